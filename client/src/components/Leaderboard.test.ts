import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LeaderRow } from '../../../protocol';
import Leaderboard from './Leaderboard.svelte';

const row = (rank: number, playerId: string, nickname: string, score: number): LeaderRow => ({
  rank,
  playerId,
  nickname,
  group: 'hoc-sinh',
  score,
  correct: 1,
});

describe('Leaderboard', () => {
  it('formats scores for vi-VN and says rank changes in words, not only arrows', () => {
    const rows = [row(1, 'p-b', 'Bình', 12500), row(2, 'p-a', 'An', 9000), row(3, 'p-c', 'Chi', 100)];
    const previous = new Map([
      ['p-a', 1],
      ['p-b', 2],
    ]);
    render(Leaderboard, { rows, previous, caption: 'Bảng xếp hạng', highlight: 'p-a' });
    expect(screen.getByRole('table', { name: 'Bảng xếp hạng' })).toBeTruthy();
    expect(screen.getByText('12.500')).toBeTruthy();
    expect(screen.getByText('tăng 1 hạng')).toBeTruthy();
    expect(screen.getByText('giảm 1 hạng')).toBeTruthy();
    expect(screen.getByText('mới vào bảng')).toBeTruthy();
  });
});
