import { describe, expect, it } from 'vitest';
import { boardRanks, rankKeysFor, rankPlayers } from './ranking';
import { EMPTY_TALLY, type Tally } from './state';

const p = (playerId: string, t: Partial<Tally>) => ({ playerId, tally: { ...EMPTY_TALLY, ...t } });

describe(rankKeysFor.name, () => {
  it.each([
    [['score', 'time'], false, ['score', 'time']],
    [['score', 'time'], true, ['correct', 'time']],
    [['correct', 'score'], true, ['correct', 'correct']],
  ] as const)('%j (all accuracy: %s) → %j', (tieBreak, allAccuracy, keys) => {
    expect(rankKeysFor(tieBreak, allAccuracy)).toEqual(keys);
  });
});

describe(rankPlayers.name, () => {
  it('orders accuracy mode by correct count, then time, then prediction error, then submission time', () => {
    const ranked = rankPlayers(
      [
        p('slow', { correct: 5, timeMs: 9000, predictionError: 1, lastAnswerAt: 1 }),
        p('fast', { correct: 5, timeMs: 8000, predictionError: 50, lastAnswerAt: 9 }),
        p('fewer', { correct: 4, timeMs: 100 }),
        p('closer', { correct: 5, timeMs: 9000, predictionError: 0, lastAnswerAt: 5 }),
        p('no-guess', { correct: 5, timeMs: 9000, predictionError: null, lastAnswerAt: 0 }),
        p('earlier', { correct: 5, timeMs: 9000, predictionError: 1, lastAnswerAt: 0 }),
      ],
      ['correct', 'time', 'prediction', 'submitted'],
    );
    expect(ranked.map((r) => r.playerId)).toEqual(['fast', 'closer', 'earlier', 'slow', 'no-guess', 'fewer']);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ranked.some((r) => r.tied)).toBe(false);
  });

  it('shows a tie the rules cannot break instead of breaking it silently', () => {
    const ranked = rankPlayers(
      [p('b', { score: 10, timeMs: 5 }), p('a', { score: 10, timeMs: 5 }), p('c', { score: 3 })],
      ['score', 'time'],
    );
    expect(ranked.map((r) => [r.playerId, r.rank, r.tied])).toEqual([
      ['a', 1, true],
      ['b', 1, true],
      ['c', 3, false],
    ]);
  });
});

describe(boardRanks.name, () => {
  it.each([
    [
      [900, 700, 700, 0],
      [1, 2, 2, 4],
    ],
    [
      [0, 0, 0],
      [1, 1, 1],
    ],
    [
      [5, 4, 3],
      [1, 2, 3],
    ],
    [[], []],
  ])('%j → %j', (values, ranks) => {
    const entries = values.map((value, i) => ({ playerId: `p${i}`, value }));
    expect(entries.map((e) => boardRanks(entries).get(e.playerId))).toEqual(ranks);
  });
});
