import { describe, expect, it } from 'vitest';
import { Question } from '../../../protocol/contest';
import { optionPermutation, shownOptions, toBankChoice, toShownChoice } from './option-order';

/** A seeded random source, so failures can be replayed. */
function seeded(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const base = { text: 'q', explanation: 'e', source: { title: 's' }, area: 'safety' };
const single = Question.parse({ ...base, id: 's1', type: 'single', options: ['A', 'B', 'C', 'D'], correct: 0 });
const prediction = Question.parse({ ...base, id: 'pred', type: 'numeric', answer: 0, min: 0, max: 1000 });

describe(optionPermutation.name, () => {
  it('is a permutation, and differs between attempts', () => {
    const seen = new Set<string>();
    for (let s = 1; s < 50; s++) {
      const perm = optionPermutation(single, seeded(s));
      expect([...perm].sort()).toEqual([0, 1, 2, 3]);
      seen.add(perm.join());
    }
    expect(seen.size).toBeGreaterThan(5);
  });
  it.each<[string, Question]>([
    ['true/false', { ...single, type: 'true-false', correct: true } as unknown as Question],
    ['shuffle: false', { ...single, shuffle: false }],
  ])('keeps the order for %s', (_name, question) => {
    for (let s = 1; s < 20; s++)
      expect(optionPermutation(question, seeded(s))).toEqual(
        Array.from({ length: question.type === 'true-false' ? 2 : 4 }, (_, i) => i),
      );
  });
});

describe('choices between the shown order and the bank order', () => {
  const perm = [2, 0, 3, 1]; // shown 0 is bank 2, …
  it.each<[number | number[], number | number[]]>([
    [0, 2],
    [3, 1],
    [
      [0, 1],
      [0, 2],
    ],
    [
      [3, 2, 1],
      [0, 1, 3],
    ],
  ])('shown %j ↔ bank %j', (shown, bank) => {
    expect(toBankChoice(single, perm, shown)).toEqual(bank);
    expect(toShownChoice(single, perm, bank)).toEqual(Array.isArray(shown) ? [...shown].sort((a, b) => a - b) : shown);
  });
  it('shows the options in the permuted order', () =>
    expect(shownOptions(['A', 'B', 'C', 'D'], perm)).toEqual(['C', 'A', 'D', 'B']));
  it('passes numeric answers through', () => {
    expect(toBankChoice(prediction, [], 123)).toBe(123);
    expect(toShownChoice(prediction, [], 123)).toBe(123);
  });
});
