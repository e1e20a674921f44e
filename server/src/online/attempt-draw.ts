// What one attempt asks: the questions drawn for this contestant and each one's option order (drawn with
// game/option-order.ts). Pure functions of the contest and a random source, so the same draw can be checked in a test.
import { onlineDrawPool, type Contest, type Question, type Round, type TargetGroup } from '../../../protocol/contest';
import { drawRoundQuestions } from '../game/round';

/** A drawn question and its option order: `perm[shown] = index in the bank`. */
export interface DrawnQuestion {
  id: string;
  perm: number[];
}

/**
 * The round's questions for one contestant: the fixed ones, then each draw quota (from the contestant's group when
 * the round draws by group, never a live round's question when excluded), then the prediction question last.
 */
export function drawAttemptQuestions(
  contest: Contest,
  round: Round,
  group: TargetGroup,
  random: () => number = Math.random,
): Question[] {
  return drawRoundQuestions(contest, round, (draw, used) => onlineDrawPool(contest, round, draw, used, group), random);
}
