import { describe, expect, it } from 'vitest';
import type { PlayableQuestion } from './question';
import {
  closeness,
  isCorrect,
  leaderboardScore,
  scoreAnswer,
  scoreQuestion,
  speedPoints,
  streakBonus,
  validateChoice,
} from './scoring';
import { EMPTY_TALLY, type Tally } from './state';

const base = {
  text: 'q',
  explanation: 'e',
  source: { title: 's' },
  area: 'safety',
  topics: [],
  groups: ['nguoi-dan'],
  difficulty: 2,
  timeLimitSec: 20,
  points: 1000,
} as const;
const single = {
  ...base,
  id: 's',
  type: 'single',
  options: ['a', 'b', 'c', 'd'],
  correct: 2,
} as unknown as PlayableQuestion;
const multiple = {
  ...base,
  id: 'm',
  type: 'multiple',
  options: ['a', 'b', 'c', 'd'],
  correct: [0, 3],
} as unknown as PlayableQuestion;
const tf = { ...base, id: 't', type: 'true-false', correct: false } as unknown as PlayableQuestion;
const numeric = {
  ...base,
  id: 'n',
  type: 'numeric',
  answer: 50,
  tolerance: 2,
  min: 0,
  max: 100,
} as unknown as PlayableQuestion;
const poll = { ...base, id: 'p', type: 'poll', options: ['a', 'b'] } as unknown as PlayableQuestion;
const double = { ...single, points: 2000 } as unknown as PlayableQuestion;
const speed = { mode: 'speed', streakBonus: false, isPrediction: false } as const;
const answer = (choice: number | number[], elapsedMs: number) => ({ choice, elapsedMs, at: 1_000 + elapsedMs });

describe(speedPoints.name, () => {
  it.each([
    ['at 0 ms', 1000, 0, 20_000, 1000],
    ['at 0.4 s (under 0.5 s: full)', 1000, 400, 20_000, 1000],
    ['at 0.5 s', 1000, 500, 20_000, 988],
    ['half way', 1000, 10_000, 20_000, 750],
    ['at the deadline', 1000, 20_000, 20_000, 500],
    ['in the grace after the deadline (clamped)', 1000, 20_300, 20_000, 500],
    ['double points at 0.4 s', 2000, 400, 20_000, 2000],
    ['double points at the deadline', 2000, 20_000, 20_000, 1000],
    ['zero-point question', 0, 100, 20_000, 0],
  ])('%s', (_label, points, elapsed, limit, want) => {
    expect(speedPoints(points, elapsed, limit)).toBe(want);
  });
});

describe(streakBonus.name, () => {
  it.each([
    [0, 0],
    [1, 0],
    [2, 100],
    [3, 200],
    [6, 500],
    [10, 500],
  ])('streak %i → +%i', (streak, want) => expect(streakBonus(streak)).toBe(want));
});

describe(isCorrect.name, () => {
  it.each<[string, PlayableQuestion, number | number[], boolean]>([
    ['single right', single, 2, true],
    ['single wrong', single, 1, false],
    ['multiple exact set', multiple, [0, 3], true],
    ['multiple missing one', multiple, [0], false],
    ['multiple one too many', multiple, [0, 1, 3], false],
    ['true/false: false is index 1', tf, 1, true],
    ['true/false wrong', tf, 0, false],
    ['numeric within tolerance', numeric, 52, true],
    ['numeric outside tolerance', numeric, 53, false],
    ['poll is never correct', poll, 0, false],
  ])('%s', (_l, q, choice, want) => expect(isCorrect(q, choice)).toBe(want));
});

describe(validateChoice.name, () => {
  it.each<[string, PlayableQuestion, number | number[], boolean]>([
    ['single in range', single, 3, true],
    ['single out of range', single, 4, false],
    ['single not an integer', single, 1.5, false],
    ['single given a list', single, [1], false],
    ['multiple given a number', multiple, 1, false],
    ['multiple out of range', multiple, [0, 9], false],
    ['true/false index 2', tf, 2, false],
    ['numeric in range', numeric, 12.5, true],
    ['numeric above max', numeric, 101, false],
    ['poll in range', poll, 1, true],
  ])('%s', (_l, q, choice, ok) => expect(validateChoice(q, choice).ok).toBe(ok));

  it('sorts and de-duplicates multiple choices', () => {
    expect(validateChoice(multiple, [3, 0, 3])).toEqual({ ok: true, choice: [0, 3] });
  });
});

describe(closeness.name, () => {
  it.each([
    [50, 1],
    [52, 1],
    [23, 0.5],
    [0, 0.04],
    [100, 0.04],
  ])('guess %d → %d', (guess, want) =>
    expect(closeness(numeric as Extract<PlayableQuestion, { type: 'numeric' }>, guess)).toBeCloseTo(want, 5),
  );
});

describe(scoreAnswer.name, () => {
  it('builds a streak, adds the capped bonus when the round has it, and resets on a wrong or missing answer', () => {
    const rules = { ...speed, streakBonus: true };
    let t: Tally = EMPTY_TALLY;
    const bonuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = scoreAnswer(single, answer(2, 100), t, rules);
      bonuses.push(r.outcome.streakBonus);
      t = r.tally;
    }
    expect(bonuses).toEqual([0, 100, 200, 300, 400, 500, 500, 500]);
    expect(t.streak).toBe(8);
    expect(t.score).toBe(8 * 1000 + 2500);
    const wrong = scoreAnswer(single, answer(1, 100), t, rules);
    expect(wrong.tally.streak).toBe(0);
    expect(wrong.tally.bestStreak).toBe(8);
    expect(wrong.outcome).toEqual({ answered: true, correct: false, points: 0, streakBonus: 0 });
    const missing = scoreAnswer(single, undefined, t, rules);
    expect(missing.tally.streak).toBe(0);
    expect(missing.tally.timeMs).toBe(t.timeMs + 20_000);
  });

  it('gives no bonus when the round turns streaks off', () => {
    const first = scoreAnswer(single, answer(2, 100), EMPTY_TALLY, speed);
    const second = scoreAnswer(single, answer(2, 100), first.tally, speed);
    expect(second.outcome.streakBonus).toBe(0);
    expect(second.tally.streak).toBe(2);
  });

  it('scores double-point questions and multiple choice all-or-nothing', () => {
    expect(scoreAnswer(double, answer(2, 10_000), EMPTY_TALLY, speed).outcome.points).toBe(1500);
    expect(scoreAnswer(multiple, answer([0, 3], 0), EMPTY_TALLY, speed).outcome.points).toBe(1000);
    expect(scoreAnswer(multiple, answer([0], 0), EMPTY_TALLY, speed).outcome.points).toBe(0);
  });

  it('scores numeric estimates by closeness', () => {
    expect(scoreAnswer(numeric, answer(51, 0), EMPTY_TALLY, speed).outcome).toMatchObject({
      correct: true,
      points: 1000,
    });
    expect(scoreAnswer(numeric, answer(23, 0), EMPTY_TALLY, speed).outcome).toMatchObject({
      correct: false,
      points: 500,
    });
  });

  it('leaves polls out of score and streak', () => {
    const before = { ...EMPTY_TALLY, streak: 3, score: 10 };
    const r = scoreAnswer(poll, answer(0, 100), before, { ...speed, streakBonus: true });
    expect(r.outcome.points).toBe(0);
    expect(r.tally.streak).toBe(3);
    expect(r.tally.score).toBe(10);
  });

  it('keeps accuracy tallies: correct count, time, prediction error', () => {
    const acc = { mode: 'accuracy', streakBonus: false, isPrediction: false } as const;
    const r1 = scoreAnswer(single, answer(2, 3000), EMPTY_TALLY, acc);
    expect(r1.outcome.points).toBe(1000); // no speed factor
    const r2 = scoreAnswer(numeric, answer(58, 4000), r1.tally, { ...acc, isPrediction: true });
    expect(r2.outcome.points).toBe(0);
    expect(r2.tally).toMatchObject({ correct: 1, answered: 2, timeMs: 7000, predictionError: 8, lastAnswerAt: 5000 });
  });
});

describe(scoreQuestion.name, () => {
  const players = [
    { id: 'a', group: 'nguoi-dan', unit: 'phuong-a' },
    { id: 'b', group: 'hoc-sinh' },
    { id: 'c', group: 'nguoi-dan' },
  ] as const;
  const answers = (choices: Record<string, number | number[]>) =>
    new Map(Object.entries(choices).map(([id, choice]) => [id, answer(choice, 1000)]));

  it.each<{
    name: string;
    q: PlayableQuestion;
    choices: Record<string, number | number[]>;
    reveal: object;
    correct: string[];
  }>([
    {
      name: 'single: one right, one wrong, one silent',
      q: single,
      choices: { a: 2, b: 1 },
      reveal: { correctOptions: [2], distribution: [0, 1, 1, 0], answered: 2, correctCount: 1 },
      correct: ['a'],
    },
    {
      name: 'multiple: every chosen option counts in the distribution, only the exact set is right',
      q: multiple,
      choices: { a: [0, 3], b: [0], c: [1, 3] },
      reveal: { correctOptions: [0, 3], distribution: [2, 1, 0, 2], answered: 3, correctCount: 1 },
      correct: ['a'],
    },
    {
      name: 'true/false: two options, false is option 1',
      q: tf,
      choices: { a: 1, b: 0, c: 1 },
      reveal: { correctOptions: [1], distribution: [1, 2], answered: 3, correctCount: 2 },
      correct: ['a', 'c'],
    },
    {
      name: 'numeric: no distribution, the exact answer revealed, right within the tolerance',
      q: numeric,
      choices: { a: 51, b: 23 },
      reveal: { correctOptions: [], answer: 50, distribution: [], answered: 2, correctCount: 1 },
      correct: ['a'],
    },
    {
      name: 'poll: a distribution, nobody right',
      q: poll,
      choices: { a: 0, b: 1, c: 1 },
      reveal: { correctOptions: [], distribution: [1, 2], answered: 3, correctCount: 0 },
      correct: [],
    },
    {
      name: 'nobody answered',
      q: single,
      choices: {},
      reveal: { correctOptions: [2], distribution: [0, 0, 0, 0], answered: 0, correctCount: 0 },
      correct: [],
    },
  ])('$name', ({ q, choices, reveal, correct }) => {
    const scored = scoreQuestion(q, players, answers(choices), new Map(), speed);
    expect(scored.reveal).toEqual({ explanation: 'e', source: { title: 's' }, ...reveal });
    expect(scored.players.filter((p) => p.outcome.correct).map((p) => p.playerId)).toEqual(correct);
  });

  it.each([
    { mode: 'speed', rules: speed },
    { mode: 'accuracy', rules: { mode: 'accuracy', streakBonus: true, isPrediction: false } },
  ] as const)(
    'gives each player scoreAnswer from their tally before, with the $mode board number and the score gained',
    ({ rules }) => {
      const before: Tally = {
        ...EMPTY_TALLY,
        score: 3000,
        correct: 3,
        answered: 3,
        timeMs: 9000,
        streak: 3,
        bestStreak: 3,
      };
      const given = answers({ a: 2, b: 1 });
      const scored = scoreQuestion(single, players, given, new Map([['a', before]]), rules);
      const want = (id: string, from: Tally) => {
        const { outcome, tally } = scoreAnswer(single, given.get(id), from, rules);
        return {
          outcome,
          tally,
          boardScore: leaderboardScore(rules.mode, tally),
          scoreDelta: tally.score - from.score,
        };
      };
      expect(scored.players).toEqual([
        { playerId: 'a', group: 'nguoi-dan', unit: 'phuong-a', ...want('a', before) },
        { playerId: 'b', group: 'hoc-sinh', ...want('b', EMPTY_TALLY) },
        { playerId: 'c', group: 'nguoi-dan', ...want('c', EMPTY_TALLY) },
      ]);
      expect(scored.players[0]!.scoreDelta).toBe(rules.mode === 'speed' ? 975 : 1000 + 300); // speed: 1 s of 20 s; accuracy: full points + the 4th streak's bonus;
      expect(scored.players.map((p) => 'unit' in p)).toEqual([true, false, false]);
    },
  );
});

describe(leaderboardScore.name, () => {
  it('orders accuracy by correct count, then by less time', () => {
    const t = (correct: number, timeMs: number) => leaderboardScore('accuracy', { ...EMPTY_TALLY, correct, timeMs });
    expect(t(5, 90_000)).toBeGreaterThan(t(4, 1_000));
    expect(t(5, 1_000)).toBeGreaterThan(t(5, 2_000));
    expect(leaderboardScore('speed', { ...EMPTY_TALLY, score: 1234 })).toBe(1234);
  });
});
