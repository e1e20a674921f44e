import type { Phase } from '../../../protocol/events';
import { optionTexts, type PlayableQuestion } from './question';
import type { ScoringMode, TargetGroup } from '../../../protocol/contest';

/** What a game is: fixed when it is created. Holds the correct answers: never sent to clients as is. */
export interface GameRecord {
  pin: string;
  contestId: string;
  roundId: string;
  title: string;
  roundTitle: string;
  scoring: ScoringMode;
  streakBonus: boolean;
  maskNames: boolean;
  questions: PlayableQuestion[];
  /**
   * The order every phone and the projector show each question's options in, drawn once when the game is created:
   * `optionOrders[i][shown] = index in the bank`. Answers, reveals and results are stored in the bank's order.
   * Absent in games created before shuffling: the bank's order.
   */
  optionOrders?: number[][];
  /** Index of the prediction question (accuracy tie-break), if the round has one. */
  predictionIndex: number | null;
  /** sha256 of the host token. */
  hostTokenHash: string;
  createdAt: number;
}

/** Where a game is: changed only through the engine, stored with compare-and-set on `seq`. */
export interface GameState {
  seq: number;
  phase: Phase;
  /** Current question, -1 in the lobby. */
  index: number;
  locked: boolean;
  /** Server clock (ms) when the current question's options open (after the "get ready"); answers are timed from it. */
  openedAt: number;
  /** Time limit of the current question including added time (ms). */
  limitMs: number;
  /** Set while the countdown is paused. */
  pausedAt: number | null;
  /** Total paused time of the current question (ms). */
  pausedMs: number;
  endedAt: number | null;
  /** Device keys of kicked players (see PlayerRecord.device): refused if they join again. */
  banned?: string[];
  /** sha256 of the host token issued by the last organiser takeover: replaces `GameRecord.hostTokenHash`. */
  hostTokenHash?: string;
}

export function initialState(): GameState {
  return {
    seq: 1,
    phase: 'lobby',
    index: -1,
    locked: false,
    openedAt: 0,
    limitMs: 0,
    pausedAt: null,
    pausedMs: 0,
    endedAt: null,
  };
}

/** When answers stop being accepted (before grace), or null while paused or not open. */
export function deadlineOf(state: GameState): number | null {
  if (state.phase !== 'open' || state.pausedAt !== null) return null;
  return state.openedAt + state.limitMs + state.pausedMs;
}

export function remainingMs(state: GameState, now: number): number {
  if (state.phase !== 'open') return 0;
  const end = state.pausedAt ?? now;
  return Math.max(0, state.openedAt + state.limitMs + state.pausedMs - end);
}

/** The hash of the host token that controls the game now: the last takeover's, else the one issued at creation. */
export function hostTokenHashOf(
  game: Pick<GameRecord, 'hostTokenHash'>,
  state: Pick<GameState, 'hostTokenHash'> | null,
): string {
  return state?.hostTokenHash ?? game.hostTokenHash;
}

/** The option order of question `index`: the game's drawn one, else the bank's. */
export function optionOrder(game: GameRecord, index: number): number[] {
  return game.optionOrders?.[index] ?? optionTexts(game.questions[index]!).map((_, i) => i);
}

/** A contestant as stored. The reconnect token is kept only as a hash. */
export interface PlayerRecord {
  id: string;
  nickname: string;
  group: TargetGroup;
  unit?: string;
  joinedAt: number;
  consentAt: number;
  /** A registered contestant admitted with an invitation (an `entry: invited` round): one person across rounds. */
  contestantId?: string;
  /** Hash of the device id the phone sent with its join (one device, one player per game). */
  device?: string;
  /** Hash of the client address it joined from, to find join bursts (never the address itself). */
  origin?: string;
}

/** A recorded answer: the first one counts. */
export interface AnswerRecord {
  /** Raw choice as validated against the question. */
  choice: number | number[];
  /** From opening to arrival on the shared server clock, paused time excluded. */
  elapsedMs: number;
  /** Server clock at arrival. */
  at: number;
}

/** Both tallies of a player, kept for every player so either ranking can be shown. */
export interface Tally {
  score: number;
  correct: number;
  answered: number;
  /** Sum of answering times; an unanswered scored question counts its whole limit. */
  timeMs: number;
  streak: number;
  bestStreak: number;
  predictionError: number | null;
  lastAnswerAt: number | null;
}

export const EMPTY_TALLY: Tally = {
  score: 0,
  correct: 0,
  answered: 0,
  timeMs: 0,
  streak: 0,
  bestStreak: 0,
  predictionError: null,
  lastAnswerAt: null,
};

/** What a question gave one player, stored per question for personal results and reconnects. */
export interface QuestionOutcome {
  answered: boolean;
  correct: boolean;
  points: number;
  streakBonus: number;
}
