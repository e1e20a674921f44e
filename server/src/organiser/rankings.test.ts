import { describe, expect, it } from 'vitest';
import type { Contest } from '../../../protocol/contest';
import type { ResultRow } from '../../../protocol/http';
import { rankKeysFor } from '../game/ranking';
import { allTies, computeWinners, rankByGroup, rankEntries, rankUnits } from './rankings';

type Row = ResultRow & { pin: string };
const row = (pin: string, playerId: string, over: Partial<Row> = {}): Row => ({
  pin, playerId, rank: 0, nickname: playerId, group: 'nguoi-dan', score: 0, correct: 0, answered: 3, totalTimeMs: 9000, predictionError: null, lastAnswerAt: 100, ...over,
});
const SPEED = rankKeysFor(['score', 'time', 'prediction', 'submitted'], false);
const tier = (id: string, count: number) => ({ id, label: id.toUpperCase(), count });
const NO_PRIZES: Contest['prizes'] = { individual: [], perGroup: [], collective: [] };

describe(rankEntries.name, () => {
  it.each([
    {
      name: 'games merge into one ranking, points first',
      rows: [row('111111', 'a', { score: 500 }), row('222222', 'b', { score: 900 }), row('111111', 'c', { score: 700 })],
      want: [['222222:b', 1, false], ['111111:c', 2, false], ['111111:a', 3, false]],
    },
    {
      name: 'equal points: less total time wins',
      rows: [row('111111', 'a', { score: 900, totalTimeMs: 5000 }), row('222222', 'b', { score: 900, totalTimeMs: 4000 })],
      want: [['222222:b', 1, false], ['111111:a', 2, false]],
    },
    {
      name: 'equal points and time: smaller prediction error wins, none given ranks last',
      rows: [row('1', 'a', { score: 1, predictionError: null }), row('1', 'b', { score: 1, predictionError: 7 }), row('1', 'c', { score: 1, predictionError: 2 })],
      want: [['1:c', 1, false], ['1:b', 2, false], ['1:a', 3, false]],
    },
    {
      name: 'then the earlier last answer',
      rows: [row('1', 'a', { score: 1, lastAnswerAt: 200 }), row('1', 'b', { score: 1, lastAnswerAt: 150 })],
      want: [['1:b', 1, false], ['1:a', 2, false]],
    },
    {
      name: 'equal on every key: an unbreakable tie shares the rank and is flagged',
      rows: [row('1', 'a', { score: 800 }), row('2', 'b', { score: 800 }), row('1', 'c', { score: 100 })],
      want: [['1:a', 1, true], ['2:b', 1, true], ['1:c', 3, false]],
    },
  ])('$name', ({ rows, want }) => {
    expect(rankEntries(rows, SPEED).map((e) => [`${e.pin}:${e.playerId}`, e.rank, e.tied])).toEqual(want);
  });
});

describe(rankByGroup.name, () => {
  it('ranks each target group on its own and leaves empty groups out', () => {
    const overall = rankEntries([row('1', 'a', { score: 3, group: 'hoc-sinh' }), row('1', 'b', { score: 2, group: 'can-bo' }), row('1', 'c', { score: 1, group: 'hoc-sinh' })], SPEED);
    expect(rankByGroup(overall, SPEED).map((g) => [g.group, g.entries.map((e) => [e.playerId, e.rank])])).toEqual([
      ['can-bo', [['b', 1]]],
      ['hoc-sinh', [['a', 1], ['c', 2]]],
    ]);
  });
});

describe(rankUnits.name, () => {
  const units: Contest['units'] = [
    { id: 'u-a', name: 'Phường A', kind: 'ward', headcount: 10 },
    { id: 'u-b', name: 'Sở B', kind: 'department' },
    { id: 'u-c', name: 'Trường C', kind: 'school', headcount: 4 },
    { id: 'u-d', name: 'Công ty D', kind: 'enterprise', headcount: 50 },
  ];
  it('counts participants, participation rate and average score; ranks by average, then participants; empty units last', () => {
    const overall = rankEntries(
      [
        row('1', 'a1', { unit: 'u-a', score: 600, correct: 2 }), row('1', 'a2', { unit: 'u-a', score: 400, correct: 1 }),
        row('1', 'b1', { unit: 'u-b', score: 500, correct: 2 }),
        row('1', 'c1', { unit: 'u-c', score: 900, correct: 3 }),
        row('1', 'x', { score: 1000 }), // no unit
      ],
      SPEED,
    );
    const ranked = rankUnits(overall, units, false);
    expect(ranked.map((u) => [u.unit, u.rank, u.tied, u.participants, u.participationRate, u.averageScore])).toEqual([
      ['u-c', 1, false, 1, 0.25, 900],
      ['u-a', 2, false, 2, 0.2, 500], // same average as u-b, more participants
      ['u-b', 3, false, 1, null, 500],
      ['u-d', 4, false, 0, 0, 0],
    ]);
    // By correct answers (accuracy contests): u-c 3, u-b 2, u-a 1.5.
    expect(rankUnits(overall, units, true).map((u) => u.unit)).toEqual(['u-c', 'u-b', 'u-a', 'u-d']);
  });
  it('flags units equal on average and participants as tied', () => {
    const overall = rankEntries([row('1', 'a', { unit: 'u-a', score: 5 }), row('1', 'b', { unit: 'u-b', score: 5 })], SPEED);
    const ranked = rankUnits(overall, units.slice(0, 2), false);
    expect(ranked.map((u) => [u.unit, u.rank, u.tied])).toEqual([['u-a', 1, true], ['u-b', 1, true]]);
    expect(allTies(overall, [], ranked, { ...NO_PRIZES, collective: [tier('nhat', 1)] })).toContainEqual(
      expect.objectContaining({ ranking: 'units', rank: 1, members: ['u-a', 'u-b'], atPrizeBoundary: true }),
    );
  });
});

describe(computeWinners.name, () => {
  const prizes: Contest['prizes'] = { individual: [tier('nhat', 1), tier('nhi', 2), tier('ba', 1)], perGroup: [tier('nhom', 1)], collective: [tier('tap-the', 1)] };
  const rows = [
    row('1', 'p1', { score: 900, group: 'hoc-sinh', unit: 'u' }), row('1', 'p2', { score: 800 }), row('1', 'p3', { score: 700, group: 'hoc-sinh' }),
    row('1', 'p4', { score: 600 }), row('1', 'p5', { score: 500 }),
  ];
  it('hands out tiers down the ranking, per group and collectively', () => {
    const overall = rankEntries(rows, SPEED);
    const byGroup = rankByGroup(overall, SPEED);
    const units = rankUnits(overall, [{ id: 'u', name: 'U', kind: 'other' }], false);
    const winners = computeWinners(overall, byGroup, units, prizes);
    expect(winners.map((w) => [w.scope, w.group ?? '', w.tier, w.playerId ?? w.unit])).toEqual([
      ['individual', '', 'nhat', 'p1'], ['individual', '', 'nhi', 'p2'], ['individual', '', 'nhi', 'p3'], ['individual', '', 'ba', 'p4'],
      ['group', 'hoc-sinh', 'nhom', 'p1'], ['group', 'nguoi-dan', 'nhom', 'p2'],
      ['collective', '', 'tap-the', 'u'],
    ]);
    expect(allTies(overall, byGroup, units, prizes)).toEqual([]);
  });
  it.each([
    { name: 'a tie across the Nhất/Nhì cut is reported at the boundary', tied: ['p1', 'p2'], rank: 1, boundary: true },
    { name: 'a tie inside the Nhì tier is reported but does not touch a cut', tied: ['p2', 'p3'], rank: 2, boundary: false },
    { name: 'a tie across the last cut (Ba / no prize) is at the boundary', tied: ['p4', 'p5'], rank: 4, boundary: true },
  ])('$name', ({ tied, rank, boundary }) => {
    const score = rows.find((r) => r.playerId === tied[0])!.score;
    const overall = rankEntries(rows.map((r) => (tied.includes(r.playerId) ? { ...r, score } : r)), SPEED);
    const ties = allTies(overall, [], [], prizes).filter((t) => t.ranking === 'overall');
    expect(ties).toEqual([{ ranking: 'overall', rank, members: tied.map((p) => `1:${p}`), names: tied, atPrizeBoundary: boundary }]);
  });
});
