import { describe, expect, it } from 'vitest';
import { Prizes, type Contest } from '../../../protocol/contest';
import type { ResultRow } from '../../../protocol/http';
import { rankKeysFor } from '../game/ranking';
import {
  allTies,
  applyPlayoffs,
  computeWinners,
  personKey,
  rankByGroup,
  rankEntries,
  rankUnits,
  rankUnitsByParticipants,
  type PrizeRankings,
} from './rankings';

type Row = ResultRow & { pin: string };
const row = (pin: string, playerId: string, over: Partial<Row> = {}): Row => ({
  pin,
  playerId,
  rank: 0,
  nickname: playerId,
  group: 'nguoi-dan',
  score: 0,
  correct: 0,
  answered: 3,
  totalTimeMs: 9000,
  predictionError: null,
  lastAnswerAt: 100,
  ...over,
});
const SPEED = rankKeysFor(['score', 'time', 'prediction', 'submitted'], false);
const tier = (id: string, count: number) => ({ id, label: id.toUpperCase(), count });
/** A prizes section as a contest file would give it (defaults filled by the schema). */
const prizesOf = (p: Record<string, unknown>): Prizes => Prizes.parse(p);
const NO_PRIZES = prizesOf({});
const rankAll = (rows: Row[]): PrizeRankings => {
  const overall = rankEntries(rows, SPEED);
  return { overall, byGroup: rankByGroup(overall, SPEED), units: [] };
};

describe(rankEntries.name, () => {
  it.each([
    {
      name: 'games merge into one ranking, points first',
      rows: [
        row('111111', 'a', { score: 500 }),
        row('222222', 'b', { score: 900 }),
        row('111111', 'c', { score: 700 }),
      ],
      want: [
        ['222222:b', 1, false],
        ['111111:c', 2, false],
        ['111111:a', 3, false],
      ],
    },
    {
      name: 'equal points: less total time wins',
      rows: [
        row('111111', 'a', { score: 900, totalTimeMs: 5000 }),
        row('222222', 'b', { score: 900, totalTimeMs: 4000 }),
      ],
      want: [
        ['222222:b', 1, false],
        ['111111:a', 2, false],
      ],
    },
    {
      name: 'equal points and time: smaller prediction error wins, none given ranks last',
      rows: [
        row('1', 'a', { score: 1, predictionError: null }),
        row('1', 'b', { score: 1, predictionError: 7 }),
        row('1', 'c', { score: 1, predictionError: 2 }),
      ],
      want: [
        ['1:c', 1, false],
        ['1:b', 2, false],
        ['1:a', 3, false],
      ],
    },
    {
      name: 'then the earlier last answer',
      rows: [row('1', 'a', { score: 1, lastAnswerAt: 200 }), row('1', 'b', { score: 1, lastAnswerAt: 150 })],
      want: [
        ['1:b', 1, false],
        ['1:a', 2, false],
      ],
    },
    {
      name: 'equal on every key: an unbreakable tie shares the rank and is flagged',
      rows: [row('1', 'a', { score: 800 }), row('2', 'b', { score: 800 }), row('1', 'c', { score: 100 })],
      want: [
        ['1:a', 1, true],
        ['2:b', 1, true],
        ['1:c', 3, false],
      ],
    },
  ])('$name', ({ rows, want }) => {
    expect(rankEntries(rows, SPEED).map((e) => [`${e.pin}:${e.playerId}`, e.rank, e.tied])).toEqual(want);
  });
});

describe(rankByGroup.name, () => {
  it('ranks each target group on its own and leaves empty groups out', () => {
    const overall = rankEntries(
      [
        row('1', 'a', { score: 3, group: 'hoc-sinh' }),
        row('1', 'b', { score: 2, group: 'can-bo' }),
        row('1', 'c', { score: 1, group: 'hoc-sinh' }),
      ],
      SPEED,
    );
    expect(rankByGroup(overall, SPEED).map((g) => [g.group, g.entries.map((e) => [e.playerId, e.rank])])).toEqual([
      ['can-bo', [['b', 1]]],
      [
        'hoc-sinh',
        [
          ['a', 1],
          ['c', 2],
        ],
      ],
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
        row('1', 'a1', { unit: 'u-a', score: 600, correct: 2 }),
        row('1', 'a2', { unit: 'u-a', score: 400, correct: 1 }),
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
    const overall = rankEntries(
      [row('1', 'a', { unit: 'u-a', score: 5 }), row('1', 'b', { unit: 'u-b', score: 5 })],
      SPEED,
    );
    const ranked = rankUnits(overall, units.slice(0, 2), false);
    expect(ranked.map((u) => [u.unit, u.rank, u.tied])).toEqual([
      ['u-a', 1, true],
      ['u-b', 1, true],
    ]);
    const { tiesAtCut } = computeWinners(
      { overall, byGroup: [], units: ranked },
      { ...NO_PRIZES, collective: [tier('nhat', 1)] },
    );
    expect(allTies(overall, [], ranked, tiesAtCut)).toContainEqual(
      expect.objectContaining({ ranking: 'units', rank: 1, members: ['u-a', 'u-b'], atPrizeBoundary: true }),
    );
  });
});

describe(rankUnitsByParticipants.name, () => {
  const units: Contest['units'] = [
    { id: 'u-a', name: 'Phường A', kind: 'ward' },
    { id: 'u-b', name: 'Sở B', kind: 'department' },
    { id: 'u-c', name: 'Trường C', kind: 'school' },
    { id: 'u-d', name: 'Công ty D', kind: 'enterprise' },
  ];
  it('ranks the most participants first, then by average; equal on both share a rank; empty units stay last', () => {
    const overall = rankEntries(
      [
        row('1', 'a1', { unit: 'u-a', score: 100 }),
        row('1', 'a2', { unit: 'u-a', score: 100 }),
        row('1', 'b1', { unit: 'u-b', score: 900 }),
        row('1', 'c1', { unit: 'u-c', score: 100 }),
        row('1', 'c2', { unit: 'u-c', score: 100 }),
      ],
      SPEED,
    );
    const byAverage = rankUnits(overall, units, false);
    expect(byAverage.map((u) => u.unit)).toEqual(['u-b', 'u-a', 'u-c', 'u-d']);
    expect(rankUnitsByParticipants(byAverage).map((u) => [u.unit, u.rank, u.tied, u.participants])).toEqual([
      ['u-a', 1, true, 2],
      ['u-c', 1, true, 2],
      ['u-b', 3, false, 1],
      ['u-d', 4, false, 0],
    ]);
  });
});

describe(computeWinners.name, () => {
  // Everyone answers something right unless a case says otherwise: eligibility is tested on its own below.
  const p = (id: string, score: number, over: Partial<Row> = {}) =>
    row('1', id, { score, correct: score ? 1 : 0, ...over });
  const prizes = prizesOf({
    individual: [tier('nhat', 1), tier('nhi', 2), tier('ba', 1)],
    perGroup: [tier('nhom', 1)],
    collective: [tier('tap-the', 1)],
  });
  const rows = [
    p('p1', 900, { group: 'hoc-sinh', unit: 'u' }),
    p('p2', 800),
    p('p3', 700, { group: 'hoc-sinh' }),
    p('p4', 600),
    p('p5', 500),
    p('p6', 400),
  ];
  const winnersOf = (outcome: ReturnType<typeof computeWinners>) =>
    outcome.winners.map((w) => [w.scope, w.group ?? '', w.tier, w.playerId ?? w.unit]);
  const skippedOf = (outcome: ReturnType<typeof computeWinners>) =>
    outcome.skipped.map((x) => [x.list, x.group ?? '', x.playerId ?? '', x.reason]);

  it('hands out tiers down the ranking, per group and collectively; one prize per person frees the group place', () => {
    const overall = rankEntries(rows, SPEED);
    const ranked = {
      overall,
      byGroup: rankByGroup(overall, SPEED),
      units: rankUnits(overall, [{ id: 'u', name: 'U', kind: 'other' }], false),
    };
    const outcome = computeWinners(ranked, prizes);
    expect(winnersOf(outcome)).toEqual([
      ['individual', '', 'nhat', 'p1'],
      ['individual', '', 'nhi', 'p2'],
      ['individual', '', 'nhi', 'p3'],
      ['individual', '', 'ba', 'p4'],
      // hoc-sinh: p1 and p3 hold individual prizes and nobody else is in the group; nguoi-dan: p5 after p2 and p4.
      ['group', 'nguoi-dan', 'nhom', 'p5'],
      ['collective', '', 'tap-the', 'u'],
    ]);
    expect(skippedOf(outcome)).toEqual([
      ['group', 'hoc-sinh', 'p1', 'already-won-higher'],
      ['group', 'hoc-sinh', 'p3', 'already-won-higher'],
      ['group', 'nguoi-dan', 'p2', 'already-won-higher'],
      ['group', 'nguoi-dan', 'p4', 'already-won-higher'],
    ]);
    expect(outcome.skipped[0]!.held).toEqual({ scope: 'individual', tier: 'nhat', label: 'NHAT' });
    expect(outcome.tiesAtCut).toEqual([]);
  });

  it.each([
    {
      name: 'zero correct answers never win (default minCorrect 1), even with places to spare',
      rows: [p('a', 0, { answered: 0 }), p('b', 500), p('c', 300)],
      prizes: { individual: [tier('nhat', 1), tier('nhi', 1), tier('ba', 3)] },
      winners: [
        ['individual', '', 'nhat', 'b'],
        ['individual', '', 'nhi', 'c'],
      ],
      skipped: [['individual', '', 'a', 'below-min-correct']],
    },
    {
      name: 'nobody eligible: fewer winners than places, never a zero scorer',
      rows: [p('a', 0), p('b', 0)],
      prizes: { individual: [tier('nhat', 1)] },
      winners: [],
      skipped: [
        ['individual', '', 'a', 'below-min-correct'],
        ['individual', '', 'b', 'below-min-correct'],
      ],
    },
    {
      name: 'minCorrect 0 lets zero scorers win (an organiser choice)',
      rows: [p('a', 0), p('b', 500)],
      prizes: { eligibility: { minCorrect: 0 }, individual: [tier('nhat', 1), tier('nhi', 1)] },
      winners: [
        ['individual', '', 'nhat', 'b'],
        ['individual', '', 'nhi', 'a'],
      ],
      skipped: [],
    },
    {
      name: 'minCorrect counts correct answers, not points',
      rows: [p('a', 2000, { correct: 1 }), p('b', 1500, { correct: 2 })],
      prizes: { eligibility: { minCorrect: 2 }, individual: [tier('nhat', 1)] },
      winners: [['individual', '', 'nhat', 'b']],
      skipped: [['individual', '', 'a', 'below-min-correct']],
    },
    {
      name: 'minScore passes over those below it',
      rows: [p('a', 900), p('b', 400), p('c', 100)],
      prizes: { eligibility: { minScore: 500 }, individual: [tier('nhat', 1), tier('nhi', 1)] },
      winners: [['individual', '', 'nhat', 'a']],
      skipped: [
        ['individual', '', 'b', 'below-min-score'],
        ['individual', '', 'c', 'below-min-score'],
      ],
    },
    {
      name: 'a group below minEntrantsPerGroup gets no group prize; a large enough one does',
      rows: [p('a', 900, { group: 'can-bo' }), p('b', 800, { group: 'hoc-sinh' }), p('c', 700, { group: 'hoc-sinh' })],
      prizes: { eligibility: { minEntrantsPerGroup: 2 }, perGroup: [tier('nhom', 1)] },
      winners: [['group', 'hoc-sinh', 'nhom', 'b']],
      skipped: [['group', 'can-bo', '', 'group-too-small']],
    },
    {
      name: 'onePerPerson false: the overall winner also takes the group prize',
      rows: [p('a', 900), p('b', 800)],
      prizes: { onePerPerson: false, individual: [tier('nhat', 1)], perGroup: [tier('nhom', 1)] },
      winners: [
        ['individual', '', 'nhat', 'a'],
        ['group', 'nguoi-dan', 'nhom', 'a'],
      ],
      skipped: [],
    },
    {
      name: 'onePerPerson: the overall winner keeps the higher prize, the group prize goes to the next',
      rows: [p('a', 900), p('b', 800)],
      prizes: { individual: [tier('nhat', 1)], perGroup: [tier('nhom', 1)] },
      winners: [
        ['individual', '', 'nhat', 'a'],
        ['group', 'nguoi-dan', 'nhom', 'b'],
      ],
      skipped: [['group', 'nguoi-dan', 'a', 'already-won-higher']],
    },
    {
      name: 'one person, two rows (a registered contestant in two rounds): one prize',
      rows: [
        p('a', 900, { contestantId: 'c-1' } as Partial<Row>),
        row('2', 'a2', { score: 850, correct: 3, contestantId: 'c-1' } as Partial<Row>),
        p('b', 800),
      ],
      prizes: { individual: [tier('nhat', 1), tier('nhi', 1)] },
      winners: [
        ['individual', '', 'nhat', 'a'],
        ['individual', '', 'nhi', 'b'],
      ],
      skipped: [['individual', '', 'a2', 'already-won-higher']],
    },
  ])('$name', ({ rows: given, prizes: section, winners, skipped }) => {
    const outcome = computeWinners(rankAll(given), prizesOf(section));
    expect(winnersOf(outcome)).toEqual(winners);
    expect(skippedOf(outcome)).toEqual(skipped);
  });

  it.each([
    { name: 'a tie across the Nhất/Nhì cut is at the boundary', tied: ['p1', 'p2'], rank: 1, boundary: true },
    { name: 'a tie inside the Nhì tier touches no cut', tied: ['p2', 'p3'], rank: 2, boundary: false },
    {
      name: 'a tie across the last cut (Ba / no prize) is at the boundary',
      tied: ['p4', 'p5'],
      rank: 4,
      boundary: true,
    },
    { name: 'a tie below every prize touches no cut', tied: ['p5', 'p6'], rank: 5, boundary: false },
  ])('$name', ({ tied, rank, boundary }) => {
    const score = rows.find((r) => r.playerId === tied[0])!.score;
    const ranked = rankAll(rows.map((r) => (tied.includes(r.playerId) ? { ...r, score } : r)));
    const { tiesAtCut } = computeWinners(ranked, prizesOf({ individual: prizes.individual }));
    const ties = allTies(ranked.overall, [], [], tiesAtCut).filter((t) => t.ranking === 'overall');
    expect(ties).toEqual([
      { ranking: 'overall', rank, members: tied.map((x) => `1:${x}`), names: tied, atPrizeBoundary: boundary },
    ]);
  });

  it('collective tiers with by: participants rank the units with most contestants; a set tags what it names', () => {
    const overall = rankEntries(
      [p('a1', 100, { unit: 'u-a' }), p('a2', 100, { unit: 'u-a' }), p('b1', 900, { unit: 'u-b' })],
      SPEED,
    );
    const units = rankUnits(
      overall,
      [
        { id: 'u-a', name: 'A', kind: 'ward' },
        { id: 'u-b', name: 'B', kind: 'ward' },
      ],
      false,
    );
    const ranked = { overall, byGroup: rankByGroup(overall, SPEED), units };
    const byAverage = computeWinners(ranked, prizesOf({ collective: [tier('tap-the', 1)] }));
    expect(winnersOf(byAverage)).toEqual([['collective', '', 'tap-the', 'u-b']]);
    const byParticipants = computeWinners(
      ranked,
      prizesOf({ individual: [tier('xuat-sac', 1)], collective: [{ ...tier('tap-the', 1), by: 'participants' }] }),
      ['so-khao'],
    );
    expect(byParticipants.winners.map((w) => [w.tier, w.playerId ?? w.unit, w.rounds])).toEqual([
      ['xuat-sac', 'b1', ['so-khao']],
      ['tap-the', 'u-a', ['so-khao']],
    ]);
  });

  it('a tie at the cut among the eligible counts only after the ineligible are passed over', () => {
    // Without eligibility the cut (1 place) falls between z (0 correct) and the tied a, b; with it, through a = b.
    const given = [p('z', 900, { correct: 0 }), p('a', 500), p('b', 500)];
    const { tiesAtCut, winners } = computeWinners(rankAll(given), prizesOf({ individual: [tier('nhat', 1)] }));
    expect(tiesAtCut.map((t) => [t.ranking, t.members])).toEqual([['overall', ['1:a', '1:b']]]);
    expect(winners.map((w) => w.playerId)).toEqual(['a']); // named, but the lock must accept the tie first
  });

  it('a tie at a group cut is reported against that group', () => {
    const given = [
      p('x', 900, { group: 'can-bo' }),
      p('a', 500, { group: 'can-bo' }),
      p('b', 500, { group: 'can-bo' }),
    ];
    const { tiesAtCut } = computeWinners(
      rankAll(given),
      prizesOf({ individual: [tier('nhat', 1)], perGroup: [tier('nhom', 1)] }),
    );
    expect(tiesAtCut.map((t) => [t.ranking, t.members, t.atPrizeBoundary])).toEqual([['can-bo', ['1:a', '1:b'], true]]);
  });
});

describe('personKey', () => {
  it('is the contestant when a row carries one, else the game and player', () => {
    expect(personKey({ pin: '123456', playerId: 'p' })).toBe('123456:p');
    expect(personKey({ pin: '123456', playerId: 'p', contestantId: 'c-9' })).toBe('c-9');
  });
});

describe(applyPlayoffs.name, () => {
  const tied = ['a', 'b', 'c'].map((id) => row('111111', id, { score: 500 }));
  const playoff = (places: Record<string, number>) => ({
    contestId: 'giai',
    ranking: 'overall' as const,
    members: Object.keys(places),
    places,
    pin: '222222',
    at: 1,
    by: 'organiser:admin',
  });
  const ranks = (rows: Row[], playoffs: ReturnType<typeof playoff>[]) =>
    rankEntries([row('111111', 'top', { score: 900 }), ...rows], SPEED, playoffs).map((e) => [
      e.playerId,
      e.rank,
      e.tied,
    ]);
  it.each([
    [
      'orders a tie whose every member played, places equal stay tied',
      [playoff({ '111111:a': 3, '111111:b': 1, '111111:c': 1 })],
      [
        ['top', 1, false],
        ['b', 2, true],
        ['c', 2, true],
        ['a', 4, false],
      ],
    ],
    [
      'leaves a tie alone when one of it did not play (nobody ranked by a question they never got)',
      [playoff({ '111111:a': 2, '111111:b': 1 })],
      [
        ['top', 1, false],
        ['a', 2, true],
        ['b', 2, true],
        ['c', 2, true],
      ],
    ],
    [
      'a second playoff settles what the first left tied',
      [playoff({ '111111:a': 3, '111111:b': 1, '111111:c': 1 }), playoff({ '111111:b': 2, '111111:c': 1 })],
      [
        ['top', 1, false],
        ['c', 2, false],
        ['b', 3, false],
        ['a', 4, false],
      ],
    ],
  ])('%s', (_, playoffs, expected) => {
    expect(ranks(tied, playoffs)).toEqual(expected);
  });
});
