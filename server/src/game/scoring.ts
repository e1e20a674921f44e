// Scoring rules, pure: points, streaks, closeness, choice checks, and scoring a whole question.
import type { ErrorCode } from '../../../protocol/errors';
import type { Choice, Reveal } from '../../../protocol/events';
import { optionTexts, trueFalseIndex, type PlayableQuestion } from './question';
import { EMPTY_TALLY, type AnswerRecord, type PlayerRecord, type QuestionOutcome, type Tally } from './state';

/** Answers faster than this score full points. */
export const FULL_POINTS_MS = 500;
export const STREAK_STEP = 100;
export const STREAK_CAP = 500;

/** `round(P × (1 − (elapsed / limit) / 2))`: full P under 0.5 s, half P at the deadline. */
export function speedPoints(points: number, elapsedMs: number, limitMs: number): number {
  if (points === 0) return 0;
  if (elapsedMs < FULL_POINTS_MS) return points;
  const fraction = Math.min(Math.max(elapsedMs / limitMs, 0), 1);
  return Math.round(points * (1 - fraction / 2));
}

/** +100 per consecutive correct answer after the first, capped at 500. */
export function streakBonus(streak: number): number {
  return Math.min(Math.max(streak - 1, 0) * STREAK_STEP, STREAK_CAP);
}

/**
 * Closeness of a numeric estimate in [0, 1]: 1 within the tolerance, falling linearly to 0
 * at half the question's range away from it.
 */
export function closeness(q: Extract<PlayableQuestion, { type: 'numeric' }>, guess: number): number {
  const error = Math.abs(guess - q.answer);
  if (error <= q.tolerance) return 1;
  const span = (q.max - q.min) / 2;
  return Math.max(0, 1 - (error - q.tolerance) / span);
}

/** Checks a choice against the question's shape. Returns the normalised choice or an error code. */
export function validateChoice(
  q: PlayableQuestion,
  choice: Choice,
): { ok: true; choice: number | number[] } | { ok: false; code: ErrorCode; message: string } {
  const bad = (message: string) => ({ ok: false as const, code: 'INVALID_CHOICE' as const, message });
  switch (q.type) {
    case 'single':
    case 'poll':
    case 'true-false': {
      const count = optionTexts(q).length;
      if (typeof choice !== 'number' || !Number.isInteger(choice) || choice < 0 || choice >= count)
        return bad(`choose one option index from 0 to ${count - 1}`);
      return { ok: true, choice };
    }
    case 'multiple': {
      if (!Array.isArray(choice)) return bad('choose a list of option indexes');
      const unique = [...new Set(choice)].sort((a, b) => a - b);
      if (unique.some((i) => i >= q.options.length)) return bad(`option indexes go from 0 to ${q.options.length - 1}`);
      return { ok: true, choice: unique };
    }
    case 'numeric':
      if (typeof choice !== 'number' || choice < q.min || choice > q.max)
        return bad(`give a number from ${q.min} to ${q.max}`);
      return { ok: true, choice };
  }
}

/** Whether a (validated) choice is correct. Multiple choice is all-or-nothing. */
export function isCorrect(q: PlayableQuestion, choice: number | number[]): boolean {
  switch (q.type) {
    case 'single':
      return choice === q.correct;
    case 'true-false':
      return choice === trueFalseIndex(q.correct);
    case 'multiple': {
      if (!Array.isArray(choice) || choice.length !== q.correct.length) return false;
      const want = new Set(q.correct);
      return choice.every((c) => want.has(c));
    }
    case 'numeric':
      return typeof choice === 'number' && Math.abs(choice - q.answer) <= q.tolerance;
    case 'poll':
      return false;
  }
}

/** Correct option indexes to reveal (empty for poll and numeric). */
export function correctOptions(q: PlayableQuestion): number[] {
  switch (q.type) {
    case 'single':
      return [q.correct];
    case 'true-false':
      return [trueFalseIndex(q.correct)];
    case 'multiple':
      return [...q.correct].sort((a, b) => a - b);
    default:
      return [];
  }
}

export interface ScoringRules {
  mode: 'speed' | 'accuracy';
  streakBonus: boolean;
  /** The prediction question: its error is a tally, not points. */
  isPrediction: boolean;
}

/**
 * What one question gives one player, and the player's tally after it.
 * Polls score nothing and leave streaks alone; an unanswered scored question breaks the streak
 * and counts its whole time limit towards the accuracy time tally.
 */
export function scoreAnswer(
  q: PlayableQuestion,
  answer: AnswerRecord | undefined,
  before: Tally,
  rules: ScoringRules,
): { outcome: QuestionOutcome; tally: Tally } {
  const limitMs = q.timeLimitSec * 1000;
  if (q.type === 'poll') {
    const tally = answer ? { ...before, answered: before.answered + 1, lastAnswerAt: answer.at } : before;
    return { outcome: { answered: !!answer, correct: false, points: 0, streakBonus: 0 }, tally };
  }
  if (!answer) {
    const tally = { ...before, streak: 0, timeMs: before.timeMs + limitMs };
    return { outcome: { answered: false, correct: false, points: 0, streakBonus: 0 }, tally };
  }
  const correct = isCorrect(q, answer.choice);
  let points = 0;
  if (q.type === 'numeric') {
    const c = closeness(q, answer.choice as number);
    points =
      rules.mode === 'speed'
        ? Math.round(speedPoints(q.points, answer.elapsedMs, limitMs) * c)
        : correct
          ? q.points
          : 0;
  } else if (correct) {
    points = rules.mode === 'speed' ? speedPoints(q.points, answer.elapsedMs, limitMs) : q.points;
  }
  if (rules.isPrediction) points = 0;
  const streak = correct ? before.streak + 1 : 0;
  const bonus = correct && rules.streakBonus && q.points > 0 && !rules.isPrediction ? streakBonus(streak) : 0;
  const tally: Tally = {
    score: before.score + points + bonus,
    correct: before.correct + (correct && !rules.isPrediction ? 1 : 0),
    answered: before.answered + 1,
    timeMs: before.timeMs + Math.min(answer.elapsedMs, limitMs),
    streak: rules.isPrediction ? before.streak : streak,
    bestStreak: Math.max(before.bestStreak, rules.isPrediction ? 0 : streak),
    predictionError:
      rules.isPrediction && q.type === 'numeric'
        ? Math.abs((answer.choice as number) - q.answer)
        : before.predictionError,
    lastAnswerAt: answer.at,
  };
  return { outcome: { answered: true, correct, points: points + bonus, streakBonus: bonus }, tally };
}

/** One player's part of a scored question: the outcome, the tally after it, the leaderboard number, and the score gained (for unit sums). */
export interface ScoredPlayer {
  playerId: string;
  group: string;
  unit?: string;
  outcome: QuestionOutcome;
  tally: Tally;
  boardScore: number;
  scoreDelta: number;
}

/**
 * Scores one question for every player (`scoreAnswer` each, from their tally before it) and builds the reveal:
 * correct options, how many chose each option, how many answered and how many were right.
 */
export function scoreQuestion(
  q: PlayableQuestion,
  players: readonly Pick<PlayerRecord, 'id' | 'group' | 'unit'>[],
  answers: ReadonlyMap<string, AnswerRecord>,
  tallies: ReadonlyMap<string, Tally>,
  rules: ScoringRules,
): { players: ScoredPlayer[]; reveal: Reveal } {
  const optionCount = optionTexts(q).length;
  const distribution = new Array<number>(optionCount).fill(0);
  let correctCount = 0;
  const scored = players.map((p): ScoredPlayer => {
    const answer = answers.get(p.id);
    if (answer)
      for (const c of Array.isArray(answer.choice) ? answer.choice : [answer.choice])
        if (c < optionCount && q.type !== 'numeric') distribution[c]!++;
    const before = tallies.get(p.id) ?? EMPTY_TALLY;
    const { outcome, tally } = scoreAnswer(q, answer, before, rules);
    if (outcome.correct) correctCount++;
    return {
      playerId: p.id,
      group: p.group,
      ...(p.unit ? { unit: p.unit } : {}),
      outcome,
      tally,
      boardScore: leaderboardScore(rules.mode, tally),
      scoreDelta: tally.score - before.score,
    };
  });
  return {
    players: scored,
    reveal: {
      correctOptions: correctOptions(q),
      ...(q.type === 'numeric' ? { answer: q.answer } : {}),
      explanation: q.explanation,
      source: q.source,
      distribution,
      answered: answers.size,
      correctCount,
    },
  };
}

/**
 * The number a live leaderboard sorts by (descending). Speed: the score. Accuracy: correct count first,
 * then less total time — packed into one double (exact below 2^53).
 */
export function leaderboardScore(mode: 'speed' | 'accuracy', tally: Tally): number {
  if (mode === 'speed') return tally.score;
  const TIME_SLOTS = 1e10; // ms: 115 days of answering time
  return tally.correct * TIME_SLOTS + (TIME_SLOTS - 1 - Math.min(tally.timeMs, TIME_SLOTS - 1));
}
