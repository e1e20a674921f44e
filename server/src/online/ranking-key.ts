// Ordering of counting attempts in the round's ranking: number correct (desc), then time (asc), then submission
// (asc), in the contest's tie-break order. Live, one sorted set holds it; the prediction's closeness joins when the
// actual value is known, through the same ranking code as live games (game/ranking.ts).
import type { TIE_BREAKS } from '../../../protocol/contest';
import type { AttemptResult } from '../../../protocol/online';
import { rankPlayers, type RankKey } from '../game/ranking';

type TieBreak = (typeof TIE_BREAKS)[number];

/** The contest's tie-break keys for an online round: `score` means correct answers (accuracy). */
export function onlineRankKeys(tieBreak: readonly TieBreak[]): RankKey[] {
  const keys = tieBreak.map((k) => (k === 'score' ? 'correct' : k));
  return [...new Set(keys)];
}

const CORRECT_BITS = 2 ** 8; // up to 255 questions
const TIME_BITS = 2 ** 26; // up to 18.6 hours, in ms

/**
 * The sorted-set score, lower is better: correct and time packed in the keys' order (prediction and submission
 * left out: the first is not known during the round, the second goes in the member). Exact: 34 bits.
 */
export function rankScore(keys: readonly RankKey[], r: Pick<AttemptResult, 'correct' | 'timeMs'>): number {
  let score = 0;
  for (const key of keys) {
    if (key === 'correct') score = score * CORRECT_BITS + (CORRECT_BITS - 1 - Math.min(r.correct, CORRECT_BITS - 1));
    if (key === 'time') score = score * TIME_BITS + Math.min(Math.max(r.timeMs, 0), TIME_BITS - 1);
  }
  return score;
}

/** The sorted-set member: equal scores order by member, so an earlier submission comes first. */
export function rankMember(submittedAt: number, contestantId: string): string {
  return `${submittedAt.toString(36).padStart(10, '0')}:${contestantId}`;
}
export function contestantOfMember(member: string): string {
  return member.slice(member.indexOf(':') + 1);
}

/** Whether an attempt ranks before another (lower score, or the same score submitted earlier). */
export function ranksBefore(a: { score: number; member: string }, b: { score: number; member: string }): boolean {
  return a.score < b.score || (a.score === b.score && a.member < b.member);
}

/** A counting attempt as the final ranking reads it. */
export interface CountingAttempt {
  contestantId: string;
  attemptId: string;
  result: AttemptResult;
}

/**
 * The final order once the prediction's actual value is known (or not: then it ties nobody apart), with the same
 * rules and tie flags as every other ranking of the contest.
 */
export function rankCountingAttempts<T extends CountingAttempt>(
  entries: T[],
  keys: RankKey[],
  predictionAnswer: number | null,
) {
  return rankPlayers(
    entries.map((e) => ({
      ...e,
      playerId: e.contestantId,
      tally: {
        score: e.result.correct,
        correct: e.result.correct,
        answered: e.result.answered,
        timeMs: e.result.timeMs,
        streak: 0,
        bestStreak: 0,
        predictionError:
          predictionAnswer !== null && e.result.predictionGuess !== null
            ? Math.abs(e.result.predictionGuess - predictionAnswer)
            : null,
        lastAnswerAt: e.result.submittedAt,
      },
    })),
    keys,
  );
}
