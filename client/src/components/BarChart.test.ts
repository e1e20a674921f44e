import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import BarChart from './BarChart.svelte';

describe('BarChart', () => {
  it('draws one bar per row, scaled to max, and prints every value (a dash for none)', () => {
    const { container } = render(BarChart, {
      title: 'Tỷ lệ đúng',
      rows: [
        { label: 'An toàn — Người dân', value: 0.5 },
        { label: 'Dịch vụ số — Người dân', value: 1 },
        { label: 'AI — Người dân', value: null },
      ],
      max: 1,
      format: (v: number) => `${v * 100} %`,
    });
    expect(screen.getByRole('img', { name: 'Tỷ lệ đúng' })).toBeTruthy();
    const widths = [...container.querySelectorAll('rect')].map((r) => Number(r.getAttribute('width')));
    expect(widths[1]).toBeGreaterThan(0);
    expect(widths[0]).toBeCloseTo(widths[1]! / 2);
    expect(widths[2]).toBe(0);
    expect([...container.querySelectorAll('text')].map((t) => t.textContent)).toEqual(
      expect.arrayContaining(['50 %', '100 %', '—']),
    );
  });
});
