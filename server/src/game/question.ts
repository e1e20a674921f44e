// What a question is once a round is built: the pure core's view of it.
import type { Question } from '../../../protocol/contest';

/** A question ready to play: its time limit and points resolved from the round's defaults. */
export type PlayableQuestion = Question & { timeLimitSec: number; points: number };

/** Option texts of every true/false question: "Đúng" is option 0, "Sai" option 1. */
export const TRUE_FALSE_OPTIONS: readonly string[] = ['Đúng', 'Sai'];

/** The option index of a true/false value. */
export const trueFalseIndex = (value: boolean): number => (value ? 0 : 1);

/** The options a choice indexes: the question's own, Đúng/Sai for true/false, none for numeric. */
export function optionTexts(q: Question): readonly string[] {
  if (q.type === 'true-false') return TRUE_FALSE_OPTIONS;
  return q.type === 'numeric' ? [] : q.options;
}
