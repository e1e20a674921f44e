import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { UnitBoard } from '../../../protocol';
import UnitTable from './UnitTable.svelte';

describe('UnitTable', () => {
  it('lists ranked units, then the small one marked as not ranked, with how the score is counted', () => {
    const board: UnitBoard = {
      score: 'bestN',
      n: 5,
      minPlayers: 3,
      rows: [
        { rank: 1, tied: false, unit: 'a', name: 'Phường A', players: 7, score: 12500 },
        { rank: null, tied: false, unit: 'c', name: 'Trường C', players: 2, score: 9000 },
      ],
    };
    render(UnitTable, { board });
    const table = screen.getByRole('table', { name: /Bảng xếp hạng đơn vị/ });
    const rows = [...table.querySelectorAll('tbody tr')].map((r) =>
      [...r.children].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()),
    );
    expect(rows).toEqual([
      ['1', 'Phường A', '7', '12.500'],
      ['–', 'Trường C Chưa xếp hạng: cần ít nhất 3 người chơi', '2', '9.000'],
    ]);
    expect(screen.getByText('Điểm: tổng điểm 5 người cao nhất của đơn vị')).toBeTruthy();
  });

  it('says so when no unit has players yet', () => {
    render(UnitTable, { board: { score: 'average', minPlayers: 1, rows: [] } });
    expect(screen.getByText('Chưa có đơn vị nào có người chơi.')).toBeTruthy();
  });
});
