import { describe, expect, it } from 'vitest';
import type { Question } from '../../../protocol/contest';
import { optionTexts, trueFalseIndex } from './question';

const base = {
  text: 'q',
  explanation: 'e',
  source: { title: 's' },
  area: 'safety',
  topics: [],
  groups: ['nguoi-dan'],
  difficulty: 2,
} as const;
const q = (over: Record<string, unknown>) => ({ ...base, id: 'x', ...over }) as unknown as Question;

describe(optionTexts.name, () => {
  it.each<[string, Question, string[]]>([
    ['single: its own options', q({ type: 'single', options: ['a', 'b', 'c'], correct: 0 }), ['a', 'b', 'c']],
    ['multiple: its own options', q({ type: 'multiple', options: ['a', 'b'], correct: [0] }), ['a', 'b']],
    ['poll: its own options', q({ type: 'poll', options: ['x', 'y', 'z', 'w'] }), ['x', 'y', 'z', 'w']],
    ['true/false: Đúng then Sai', q({ type: 'true-false', correct: true }), ['Đúng', 'Sai']],
    ['numeric: none', q({ type: 'numeric', answer: 5, tolerance: 0, min: 0, max: 10 }), []],
  ])('%s', (_label, question, want) => expect(optionTexts(question)).toEqual(want));
});

describe(trueFalseIndex.name, () => {
  it.each([
    [true, 0, 'Đúng'],
    [false, 1, 'Sai'],
  ] as const)('%s → option %i (%s)', (value, index, text) => {
    expect(trueFalseIndex(value)).toBe(index);
    expect(optionTexts(q({ type: 'true-false', correct: value }))[index]).toBe(text);
  });
});
