// What a question is once a round is built: the pure core's view of it.
import type { Question } from '../../../protocol/contest';

/** A question ready to play: its time limit and points resolved from the round's defaults. */
export type PlayableQuestion = Question & { timeLimitSec: number; points: number };
