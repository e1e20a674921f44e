// The order in which a question's options are shown, and moving a choice between that order and the bank's own.
// Pure: live games draw one order per question when the game is created, online attempts one per attempt.
import type { Question } from '../../../protocol/contest';
import type { Choice } from '../../../protocol/events';
import { optionTexts } from './question';

/**
 * A random option order for one question (Fisher–Yates): `perm[shown] = index in the bank`. True/false and
 * `shuffle: false` keep the bank's order; numeric has no options.
 */
export function optionPermutation(q: Question, random: () => number = Math.random): number[] {
  const perm = Array.from({ length: optionTexts(q).length }, (_, i) => i);
  if (q.type === 'true-false' || !q.shuffle) return perm;
  for (let i = perm.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return perm;
}

/** A choice as shown → the same choice in the bank's order (what is stored). Numbers of numeric questions pass through. */
export function toBankChoice(q: Question, perm: number[], shown: number | number[]): number | number[] {
  if (q.type === 'numeric') return shown;
  if (Array.isArray(shown)) return shown.map((i) => perm[i]!).sort((a, b) => a - b);
  return perm[shown]!;
}

/** A stored (bank-order) choice → as shown. */
export function toShownChoice(q: Question, perm: number[], bank: number | number[]): Choice {
  if (q.type === 'numeric') return bank;
  const shownOf = (b: number) => perm.indexOf(b);
  if (Array.isArray(bank)) return bank.map(shownOf).sort((a, b) => a - b);
  return shownOf(bank);
}

/** Options (or any per-option values, e.g. a distribution) as shown. */
export function shownOptions<T>(options: readonly T[], perm: number[]): T[] {
  return perm.map((i) => options[i]!);
}
