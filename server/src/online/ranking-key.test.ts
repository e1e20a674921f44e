import { describe, expect, it } from 'vitest';
import type { AttemptResult } from '../../../protocol/online';
import { onlineRankKeys, rankCountingAttempts, rankMember, rankScore, ranksBefore } from './ranking-key';

const result = (
  correct: number,
  timeMs: number,
  submittedAt: number,
  predictionGuess: number | null = null,
): AttemptResult => ({
  correct,
  timeMs,
  submittedAt,
  predictionGuess,
  total: 30,
  answered: 30,
});
const keys = onlineRankKeys(['correct', 'time', 'prediction', 'submitted']);

describe(rankScore.name, () => {
  it('maps score to correct for online rounds', () =>
    expect(onlineRankKeys(['score', 'time', 'correct'])).toEqual(['correct', 'time']));
  it.each<[string, AttemptResult, AttemptResult]>([
    ['more correct first', result(20, 900_000, 5), result(19, 1000, 1)],
    ['same correct: less time first', result(20, 1000, 9), result(20, 1001, 1)],
    ['same correct and time: earlier submission first', result(20, 1000, 1), result(20, 1000, 2)],
    ['30 correct in 20 minutes beats 29 in 1 ms', result(30, 1_200_000, 9), result(29, 1, 1)],
  ])('%s', (_name, better, worse) => {
    const a = { score: rankScore(keys, better), member: rankMember(better.submittedAt, 'a') };
    const b = { score: rankScore(keys, worse), member: rankMember(worse.submittedAt, 'b') };
    expect(ranksBefore(a, b)).toBe(true);
    expect(ranksBefore(b, a)).toBe(false);
  });
  it('follows the contest order when time comes first', () => {
    const timeFirst = onlineRankKeys(['time', 'correct']);
    expect(rankScore(timeFirst, result(10, 1000, 0))).toBeLessThan(rankScore(timeFirst, result(30, 1001, 0)));
  });
  it('members sort by submission time as strings', () => {
    expect(rankMember(1_759_000_000_000, 'z') < rankMember(1_759_000_000_001, 'a')).toBe(true);
  });
});

describe(rankCountingAttempts.name, () => {
  const entries = [
    { contestantId: 'a', attemptId: 'x', result: result(20, 1000, 5, 900) },
    { contestantId: 'b', attemptId: 'y', result: result(20, 1000, 6, 1000) },
    { contestantId: 'c', attemptId: 'z', result: result(21, 5000, 7, null) },
  ];
  it('puts the closest prediction first among equals once the answer is known', () => {
    expect(rankCountingAttempts(entries, keys, 1000).map((e) => [e.contestantId, e.rank])).toEqual([
      ['c', 1],
      ['b', 2],
      ['a', 3],
    ]);
  });
  it('falls back to submission time while the answer is unknown', () => {
    expect(rankCountingAttempts(entries, keys, null).map((e) => e.contestantId)).toEqual(['c', 'a', 'b']);
  });
});
