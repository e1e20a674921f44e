import type { TIE_BREAKS } from '../../../protocol/contest';
import type { Tally } from './state';

/** Tie-break keys, in the contest's order. */
export type RankKey = (typeof TIE_BREAKS)[number];

export interface Rankable {
  playerId: string;
  tally: Tally;
}

const compareBy: Record<RankKey, (a: Tally, b: Tally) => number> = {
  score: (a, b) => b.score - a.score,
  correct: (a, b) => b.correct - a.correct,
  time: (a, b) => a.timeMs - b.timeMs,
  // No prediction given ranks after any prediction.
  prediction: (a, b) => (a.predictionError ?? Infinity) - (b.predictionError ?? Infinity) || 0,
  submitted: (a, b) => (a.lastAnswerAt ?? Infinity) - (b.lastAnswerAt ?? Infinity) || 0,
};

/** The order of tallies by the keys, best first: 0 when equal on every key. */
export function tallyOrder(keys: RankKey[]): (a: Tally, b: Tally) => number {
  return (a, b) => {
    for (const key of keys) {
      const d = compareBy[key](a, b);
      if (d !== 0 && !Number.isNaN(d)) return d;
    }
    return 0;
  };
}

/** Sorts by the keys in order; players equal on every key share a rank and are flagged `tied`. */
export function rankPlayers<T extends Rankable>(
  players: T[],
  keys: RankKey[],
): (T & { rank: number; tied: boolean })[] {
  const { equal, order } = playerOrder<T>(keys);
  const sorted = [...players].sort(order);
  return assignRanks(sorted, equal, [], 0, sorted.length);
}

/**
 * How rankPlayers orders players: `order` by the keys, then by id (so the listing is stable); `equal` by the keys
 * only (0: level, tied).
 */
export function playerOrder<T extends Rankable>(keys: RankKey[]) {
  const byTally = tallyOrder(keys);
  const equal = (a: T, b: T) => byTally(a.tally, b.tally);
  return { equal, order: (a: T, b: T) => equal(a, b) || a.playerId.localeCompare(b.playerId) };
}

/**
 * Ranks `sorted[from, to)` onto the end of `out` (rankPlayers' second step); called in order, a slice at a time if
 * need be, it gives what one call over the whole list gives.
 */
export function assignRanks<T extends Rankable>(
  sorted: T[],
  equal: (a: T, b: T) => number,
  out: (T & { rank: number; tied: boolean })[],
  from: number,
  to: number,
): (T & { rank: number; tied: boolean })[] {
  for (let i = from; i < to; i++) {
    const p = sorted[i]!;
    const prev = sorted[i - 1];
    const sameAsPrev = prev !== undefined && equal(prev, p) === 0;
    const rank = sameAsPrev ? out[i - 1]!.rank : i + 1;
    out.push({ ...p, rank, tied: false });
    if (sameAsPrev) {
      out[i - 1]!.tied = true;
      out[i]!.tied = true;
    }
  }
  return out;
}

/**
 * Competition ranks ("1, 2, 2, 4") of board entries sorted best first by one value: equal values share a rank,
 * so a phone, the projector and the host never disagree about who is level.
 */
export function boardRanks(entries: readonly { playerId: string; value: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    out.set(e.playerId, prev && prev.value === e.value ? out.get(prev.playerId)! : i + 1);
  });
  return out;
}

/** The contest's tie-break order; `score` means correct answers when every game counted accuracy. */
export function rankKeysFor(tieBreak: readonly RankKey[], allAccuracy: boolean): RankKey[] {
  return tieBreak.map((k) => (k === 'score' && allAccuracy ? 'correct' : k));
}

/** Default order: speed rounds rank by points, accuracy rounds by correct answers; both then time, prediction, submission. */
export function defaultRankKeys(mode: 'speed' | 'accuracy'): RankKey[] {
  return mode === 'speed'
    ? ['score', 'time', 'prediction', 'submitted']
    : ['correct', 'time', 'prediction', 'submitted'];
}
