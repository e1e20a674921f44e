import type { Reveal } from '../../../protocol/events';
import type { AnswerRecord, GameRecord, GameState, PlayerRecord, QuestionOutcome, Tally } from '../game/state';
import type { ScoredPlayer } from '../game/scoring';
import type { OrganiserRecords } from './records';

export type RecordAnswerResult =
  | { ok: true; elapsedMs: number; answered: number; players: number }
  | {
      ok: false;
      code:
        | 'GAME_NOT_FOUND'
        | 'WRONG_PHASE'
        | 'WRONG_QUESTION'
        | 'PAUSED'
        | 'NOT_OPEN_YET'
        | 'TOO_LATE'
        | 'ALREADY_ANSWERED';
    };

export type AddPlayerResult =
  | { ok: true; players: number }
  | { ok: false; code: 'GAME_NOT_FOUND' | 'LOBBY_LOCKED' | 'NICKNAME_TAKEN' | 'DEVICE_ALREADY_JOINED' | 'WRONG_PHASE' };

/** Everything one scoring job writes, applied at once behind the question's "scored" guard. */
export interface ScoredQuestion {
  index: number;
  players: ScoredPlayer[];
  reveal: Reveal;
}

export interface BoardEntry {
  playerId: string;
  value: number;
}

/** Which leaderboard: the whole game, one target group, or one unit. */
export type Board = { kind: 'game' } | { kind: 'group'; group: string } | { kind: 'unit'; unit: string };

export interface UnitTotals {
  unit: string;
  players: number;
  totalScore: number;
}

/**
 * All live game state. Two drivers: `memory` (embedded, one process) and `redis` (any node serves
 * any player). Both pass one contract suite. Every method is atomic on its own.
 */
export interface Store {
  readonly kind: 'memory' | 'redis';
  /** Audit log, games index and locked results (the organisers' tools), in the same backend. */
  readonly organiser: OrganiserRecords;
  /** The authoritative clock every node agrees on (Redis TIME in Redis mode), in ms. */
  now(): Promise<number>;
  /** A cheap estimate of now(), for clock sync replies. */
  clockEstimate(): number;

  /** Creates the game unless its PIN is taken. */
  createGame(game: GameRecord, state: GameState): Promise<boolean>;
  /** A game never changes once created: every caller gets the same deep-frozen record (no copy per call). */
  getGame(pin: string): Promise<GameRecord | null>;
  getState(pin: string): Promise<GameState | null>;
  /** Compare-and-set on `seq`: false when someone else changed the state first. */
  saveState(pin: string, expectedSeq: number, next: GameState): Promise<boolean>;

  /**
   * Adds a player if the lobby is open, the nickname key is free and no player of the game ever held the player's
   * `device` (kicked ones included: their device stays taken). A player without a device is not checked.
   */
  addPlayer(pin: string, player: PlayerRecord, nicknameKey: string, tokenHash: string): Promise<AddPlayerResult>;
  /** The player holding this token, unless kicked. */
  findPlayerByToken(pin: string, tokenHash: string): Promise<PlayerRecord | null>;
  getPlayer(pin: string, playerId: string): Promise<PlayerRecord | null>;
  /** Players not kicked, in joining order. */
  getPlayers(pin: string): Promise<PlayerRecord[]>;
  /** Players the host kicked (their data stays until deleted on request or by the retention sweep). */
  getKickedPlayers(pin: string): Promise<PlayerRecord[]>;
  playerCount(pin: string): Promise<number>;
  /**
   * Deletion on request: the player's nickname becomes `replacement` and its uniqueness key is released.
   * Group, unit, tallies and answers stay (statistics). False when there is no such player.
   */
  anonymisePlayer(pin: string, playerId: string, replacement: string, nicknameKey: string): Promise<boolean>;
  /** Kicks a player: token revoked, removed from boards; the nickname stays taken. False when unknown, already kicked or frozen. */
  kickPlayer(pin: string, playerId: string): Promise<boolean>;
  /**
   * The game's results are being locked: from now on `applyScores` and `kickPlayer` write nothing, checked
   * inside their atomic step, so a scoring job already in flight cannot change what the lock is about to freeze.
   */
  freezeScores(pin: string): Promise<void>;
  scoresFrozen(pin: string): Promise<boolean>;
  /**
   * Every live key of the game goes at `at` (the store's clock, ms): a Redis TTL, checked on reads in memory. Keys
   * written later (a scoring job still in flight) go at the same moment. Once gone, the PIN reads as no game and
   * `createGame` may use it again. False when there is no such game.
   */
  expireGame(pin: string, at: number): Promise<boolean>;
  /**
   * Removes what is left of expired games (their data, personal data included, leaves memory and the embedded
   * journal); Redis drops expired keys on its own. True when something was removed.
   */
  removeExpiredGames(): Promise<boolean>;

  /**
   * Records the first answer, atomically checking phase, question, pause and deadline + grace on the
   * shared clock. `choice` is the validated choice.
   */
  recordAnswer(
    pin: string,
    index: number,
    playerId: string,
    choice: number | number[],
    graceMs: number,
  ): Promise<RecordAnswerResult>;
  answeredCount(pin: string, index: number): Promise<number>;
  hasAnswered(pin: string, index: number, playerId: string): Promise<boolean>;
  getAnswers(pin: string, index: number): Promise<Map<string, AnswerRecord>>;

  getTallies(pin: string): Promise<Map<string, Tally>>;
  getTalliesFor(pin: string, playerIds: string[]): Promise<(Tally | null)[]>;
  /** Applies a question's scores once: false (and nothing written) when already applied or the game is frozen. */
  applyScores(pin: string, scored: ScoredQuestion): Promise<boolean>;
  isScored(pin: string, index: number): Promise<boolean>;
  getReveal(pin: string, index: number): Promise<Reveal | null>;
  getOutcomes(pin: string, index: number, playerIds: string[]): Promise<(QuestionOutcome | null)[]>;
  /** Top entries of a board, best first. */
  topOfBoard(pin: string, board: Board, limit: number): Promise<BoardEntry[]>;
  /** 1-based rank of every player on the game board. */
  ranks(pin: string): Promise<Map<string, number>>;
  /** 1-based rank of one player on the game board, null before their first scored question. */
  rankOf(pin: string, playerId: string): Promise<number | null>;
  unitTotals(pin: string): Promise<UnitTotals[]>;

  /** Organiser sessions, by token hash. */
  createSession(tokenHash: string, ttlMs: number): Promise<void>;
  hasSession(tokenHash: string): Promise<boolean>;
  /** Ends a session (logout); nothing happens when there is none. */
  deleteSession(tokenHash: string): Promise<void>;

  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Freezes a value and everything in it (a game record, shared by every caller of getGame). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
