// What one attempt asks: the questions drawn for this contestant and each one's option order. Pure functions of
// the contest and a random source, so the same draw can be checked in a test.
import { onlineDrawPool, type Contest, type Question, type Round, type TargetGroup } from '../../../protocol/contest';
import type { Choice } from '../../../protocol/events';

/** A drawn question and its option order: `perm[shown] = index in the bank`. */
export interface DrawnQuestion {
  id: string;
  perm: number[];
}

/**
 * The round's questions for one contestant: the fixed ones, then each draw quota (from the contestant's group when
 * the round draws by group, never a live round's question when excluded), then the prediction question last.
 */
export function drawAttemptQuestions(contest: Contest, round: Round, group: TargetGroup, random: () => number = Math.random): Question[] {
  const byId = new Map(contest.questions.map((q) => [q.id, q]));
  const chosen: Question[] = [];
  const used = new Set<string>();
  const take = (q: Question | undefined) => {
    if (q && !used.has(q.id)) {
      used.add(q.id);
      chosen.push(q);
    }
  };
  for (const id of round.questions) if (id !== round.prediction) take(byId.get(id));
  for (const draw of round.draw) {
    const pool = onlineDrawPool(contest, round, draw, used, group);
    for (let i = 0; i < draw.count && pool.length; i++) take(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  }
  if (round.prediction) take(byId.get(round.prediction));
  return chosen;
}

/** How many options a question shows (true/false: 2; numeric: none). */
export function optionCount(q: Question): number {
  return q.type === 'true-false' ? 2 : q.type === 'numeric' ? 0 : q.options.length;
}

/**
 * A random option order for one question in one attempt (Fisher–Yates). True/false and `shuffle: false` keep the
 * bank's order; numeric has no options.
 */
export function optionPermutation(q: Question, random: () => number = Math.random): number[] {
  const perm = Array.from({ length: optionCount(q) }, (_, i) => i);
  if (q.type === 'true-false' || !q.shuffle) return perm;
  for (let i = perm.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return perm;
}

/** A choice as shown in the attempt → the same choice in the bank's order (what is stored). Numbers of numeric questions pass through. */
export function toBankChoice(q: Question, perm: number[], shown: number | number[]): number | number[] {
  if (q.type === 'numeric') return shown;
  if (Array.isArray(shown)) return shown.map((i) => perm[i]!).sort((a, b) => a - b);
  return perm[shown as number]!;
}

/** A stored (bank-order) choice → as shown in this attempt. */
export function toShownChoice(q: Question, perm: number[], bank: number | number[]): Choice {
  if (q.type === 'numeric') return bank;
  const shownOf = (b: number) => perm.indexOf(b);
  if (Array.isArray(bank)) return bank.map(shownOf).sort((a, b) => a - b);
  return shownOf(bank);
}

/** Options as this attempt shows them. */
export function shownOptions(options: string[], perm: number[]): string[] {
  return perm.map((i) => options[i]!);
}
