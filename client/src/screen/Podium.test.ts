import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Podium from './Podium.svelte';

const place = (key: string, rank: number, detail: string | null = null) => ({
  key,
  name: key,
  detail,
  score: 1000 * (4 - rank),
  rank,
});

describe('Podium', () => {
  it('stands two tied for first on the first and second steps, both marked 1, not on one step', () => {
    const { container } = render(Podium, {
      title: 'Vinh danh',
      places: [place('Lan', 1), place('Ba', 1, 'Phường A'), place('Chi', 3), place('Dũng', 4)],
      confetti: false,
    });
    const steps = [...container.querySelectorAll('.podium .place')].map((li) => ({
      at: [...li.classList].find((c) => /^p\d$/.test(c)),
      text: li.textContent?.replace(/\s+/g, ' ').trim(),
    }));
    expect(steps).toEqual([
      { at: 'p1', text: 'Lan 3.000 điểm Hạng 1' },
      { at: 'p2', text: 'Ba Phường A 3.000 điểm Hạng 1' },
      { at: 'p3', text: 'Chi 1.000 điểm Hạng 3' },
    ]);
  });
});
