// What a submitted attempt is worth: correct answers, time on the server's clock, the prediction guess.
import type { Question } from '../../../protocol/contest';
import type { AttemptResult } from '../../../protocol/online';
import type { PlayableQuestion } from '../game/question';
import { isCorrect } from '../game/scoring';

/** A saved answer, in the bank's option order. */
export interface StoredAnswer {
  choice: number | number[];
  /** Server clock when it was (last) saved. */
  at: number;
}

/**
 * Scores an attempt. Answers are in the bank's order, so correctness is read against the bank as is. The prediction
 * question counts no answer (its value comes after the round) but its guess is kept for the tie-break. Time taken is
 * submission minus start, at most the limit (a deadline submission took the whole time).
 */
export function scoreAttempt(input: {
  questions: Question[];
  answers: ReadonlyMap<string, StoredAnswer>;
  predictionId: string | undefined;
  startedAt: number;
  submittedAt: number;
  limitMs: number;
}): AttemptResult {
  let correct = 0;
  let answered = 0;
  let total = 0;
  let predictionGuess: number | null = null;
  for (const q of input.questions) {
    const answer = input.answers.get(q.id);
    if (q.id === input.predictionId) {
      if (answer && typeof answer.choice === 'number') predictionGuess = answer.choice;
      continue;
    }
    total++;
    if (!answer) continue;
    answered++;
    // isCorrect reads only the question's shape and key, not its time or points.
    if (isCorrect(q as PlayableQuestion, answer.choice)) correct++;
  }
  const timeMs = Math.max(0, Math.min(input.submittedAt - input.startedAt, input.limitMs));
  return { correct, total, answered, timeMs, submittedAt: input.submittedAt, predictionGuess };
}
