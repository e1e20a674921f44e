import { describe, expect, it } from 'vitest';
import { Question } from '../../../protocol/contest';
import { scoreAttempt, type StoredAnswer } from './attempt-scoring';

const base = { explanation: 'e', source: { title: 's' }, area: 'safety' };
const questions = [
  Question.parse({ ...base, id: 'a', type: 'single', text: 'a', options: ['x', 'y', 'z'], correct: 2 }),
  Question.parse({ ...base, id: 'b', type: 'multiple', text: 'b', options: ['x', 'y', 'z'], correct: [0, 2] }),
  Question.parse({ ...base, id: 'c', type: 'true-false', text: 'c', correct: false }),
  Question.parse({
    ...base,
    id: 'p',
    type: 'numeric',
    text: 'p',
    answer: 0,
    min: 0,
    max: 1e6,
    answerKnownAfterRound: true,
    points: 0,
  }),
];
const at = (choice: number | number[]): StoredAnswer => ({ choice, at: 0 });

describe(scoreAttempt.name, () => {
  it.each<[string, Record<string, StoredAnswer>, number, number, number | null]>([
    ['all right', { a: at(2), b: at([0, 2]), c: at(1), p: at(1234) }, 3, 3, 1234],
    ['multiple is all-or-nothing', { a: at(2), b: at([0]), c: at(1) }, 2, 3, null],
    ['true/false: index 1 is "Sai"', { c: at(0) }, 0, 1, null],
    ['nothing answered', {}, 0, 0, null],
    ['the prediction is never counted correct', { p: at(0) }, 0, 0, 0],
  ])('%s', (_name, answers, correct, answered, guess) => {
    const r = scoreAttempt({
      questions,
      answers: new Map(Object.entries(answers)),
      predictionId: 'p',
      startedAt: 1000,
      submittedAt: 61_000,
      limitMs: 600_000,
    });
    expect(r).toEqual({ correct, answered, total: 3, timeMs: 60_000, submittedAt: 61_000, predictionGuess: guess });
  });
  it('caps the time at the limit', () => {
    const r = scoreAttempt({
      questions,
      answers: new Map(),
      predictionId: 'p',
      startedAt: 0,
      submittedAt: 700_000,
      limitMs: 600_000,
    });
    expect(r.timeMs).toBe(600_000);
  });
});
