import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import BarChart from './BarChart.svelte';

describe('BarChart', () => {
  it('draws one bar per row, scaled to max, and prints every label in full and every value (a dash for none)', () => {
    const long = 'Giao tiếp và hợp tác — Người lao động trong doanh nghiệp';
    const { container } = render(BarChart, {
      title: 'Tỷ lệ đúng',
      rows: [
        { label: 'An toàn — Người dân', value: 0.5 },
        { label: 'Dịch vụ số — Người dân', value: 1 },
        { label: long, value: null },
      ],
      max: 1,
      format: (v: number) => `${v * 100} %`,
    });
    const figure = screen.getByRole('figure', { name: 'Tỷ lệ đúng' });
    const widths = [...container.querySelectorAll<HTMLElement>('.bar')].map((b) => parseFloat(b.style.width));
    expect(widths).toEqual([50, 100, 0]);
    const items = [...figure.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(items).toEqual(['An toàn — Người dân 50 %', 'Dịch vụ số — Người dân 100 %', `${long} —`]);
  });
});
