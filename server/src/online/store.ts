// The online round's storage port: contestants, attempts, answers, the ranking and counters. Two drivers (memory,
// Redis) pass one contract suite (store.contract.test.ts). Every method is one atomic step on its own.
import type { TargetGroup } from '../../../protocol/contest';
import type { AttemptResult, AttemptStatus } from '../../../protocol/online';
import type { DrawnQuestion } from './attempt-draw';
import type { StoredAnswer } from './attempt-scoring';
import type { AttemptRules, StartRefusal } from './round-window';

/** A registered contestant. The phone (normalised) is unique per contest; the code and tokens are kept only hashed. */
export interface ContestantRecord {
  id: string;
  fullName: string;
  /** `+84…` (phone.ts). */
  phone: string;
  group: TargetGroup;
  unit: string;
  birthYear?: number;
  consentAt: number;
  registeredAt: number;
  codeHash: string;
  /** Asked for extra time at registration: the round's `extraTimeFactor` stretches their time limit. */
  extraTime?: true;
  /** SHA-256 (salted per contest) of the registering address and of the phone's device id, for the abuse list. */
  originHashes?: string[];
}

export interface AttemptRecord {
  id: string;
  roundId: string;
  contestantId: string;
  status: AttemptStatus;
  startedAt: number;
  deadline: number;
  /** In the order asked, each with its option order. */
  questions: DrawnQuestion[];
  /** By question id, in the bank's option order. */
  answers: Record<string, StoredAnswer>;
  submittedAt: number | null;
  submitReason: 'contestant' | 'deadline' | null;
  result: AttemptResult | null;
}

export type StartAttemptResult =
  /** Created; `expired` is an earlier attempt found past its deadline and submitted in the same step (score it). */
  | { ok: true; attempt: AttemptRecord; expired: string | null }
  /** An attempt of this round is still running: the contestant continues it. */
  | { ok: 'existing'; attemptId: string }
  | { ok: false; code: StartRefusal; nextAt?: number; expired: string | null };

export type SaveAnswerResult =
  | { ok: true; remainingMs: number }
  | { ok: false; code: 'ATTEMPT_NOT_FOUND' | 'ATTEMPT_OVER' | 'QUESTION_NOT_IN_ATTEMPT' };

export type SubmitAttemptResult =
  | {
      ok: true;
      status: Exclude<AttemptStatus, 'open'>;
      submittedAt: number;
      /** This call submitted it (score it). */ changed: boolean;
    }
  | { ok: false; code: 'ATTEMPT_NOT_FOUND' | 'NOT_DUE' };

/** What a scoring job writes, behind the attempt's "scored" guard. */
export interface AttemptScore {
  attemptId: string;
  roundId: string;
  contestantId: string;
  unit: string;
  group: TargetGroup;
  result: AttemptResult;
  /** Ranking: lower score first, equal scores by member (ranking-key.ts). */
  score: number;
  member: string;
  counts: 'best' | 'last';
}

/** One contestant in one round. */
export interface MyRoundRecord {
  /** Start times of every attempt, oldest first. */
  starts: number[];
  open: string | null;
  /** The attempt that counts, once one is scored. */
  counting: string | null;
  member: string | null;
}

/** Participants (contestants with a scored attempt) and scored attempts: overall, per unit, per group. */
export interface RoundCounters {
  participants: number;
  attempts: number;
  units: Record<string, { participants: number; attempts: number }>;
  groups: Record<string, { participants: number; attempts: number }>;
}

export interface OnlineStore {
  readonly kind: 'memory' | 'redis';
  /** The authoritative clock (Redis TIME in Redis mode), in ms, shifted by `shiftClock`. */
  now(): Promise<number>;
  /** Tests only: moves this store's clock (every check and every script reads it) forward by `ms`. */
  shiftClock(ms: number): void;

  /** Adds the contestant unless the phone is taken in this contest. */
  register(
    contestId: string,
    contestant: ContestantRecord,
    tokenHash: string,
  ): Promise<{ ok: true } | { ok: false; code: 'ALREADY_REGISTERED' }>;
  contestantByPhone(contestId: string, phone: string): Promise<ContestantRecord | null>;
  contestantByToken(contestId: string, tokenHash: string): Promise<ContestantRecord | null>;
  getContestant(contestId: string, contestantId: string): Promise<ContestantRecord | null>;
  /** Another device's token for the same contestant (resume). */
  addToken(contestId: string, contestantId: string, tokenHash: string): Promise<void>;
  registrations(contestId: string): Promise<number>;

  /** Checks window and attempt limits on the store's clock and creates the attempt, or returns the one in progress. */
  startAttempt(
    contestId: string,
    draft: { id: string; roundId: string; contestantId: string; questions: DrawnQuestion[] },
    rules: AttemptRules,
    graceMs: number,
  ): Promise<StartAttemptResult>;
  getAttempt(contestId: string, attemptId: string): Promise<AttemptRecord | null>;
  /** Saves (or replaces) an answer: owner, status, deadline + grace and membership checked in the same step. */
  saveAnswer(
    contestId: string,
    attemptId: string,
    contestantId: string,
    questionId: string,
    choice: number | number[],
    graceMs: number,
  ): Promise<SaveAnswerResult>;
  /**
   * Ends an open attempt: by its owner (`contestantId`), or by the deadline (`null`: only once the deadline + grace
   * has passed). Submitted time is the store's clock, at most the deadline. Idempotent.
   */
  submitAttempt(
    contestId: string,
    attemptId: string,
    contestantId: string | null,
    graceMs: number,
  ): Promise<SubmitAttemptResult>;
  /** Applies a score once (false when already scored or not submitted): result, counting attempt, ranking, counters. */
  applyScore(contestId: string, score: AttemptScore): Promise<boolean>;

  myRound(contestId: string, roundId: string, contestantId: string): Promise<MyRoundRecord>;
  /** 1-based rank of a ranking member, and how many are ranked. */
  rankOf(contestId: string, roundId: string, member: string | null): Promise<{ rank: number | null; ranked: number }>;
  /** Counting attempts in ranking order (for boards, results, qualifiers). */
  ranking(
    contestId: string,
    roundId: string,
    offset: number,
    limit: number,
  ): Promise<{ contestantId: string; attemptId: string }[]>;
  /**
   * A page of `ranking` with each member's counting attempt and contestant (null where one is missing): a whole
   * round's read in one request per page.
   */
  countingPage(
    contestId: string,
    roundId: string,
    offset: number,
    limit: number,
  ): Promise<{ attempt: AttemptRecord | null; contestant: ContestantRecord | null }[]>;
  counters(contestId: string, roundId: string): Promise<RoundCounters>;

  /** Sets a named value once (the first writer wins) and returns the value kept: the prediction's actual value. */
  setOnce(contestId: string, name: string, value: string): Promise<string>;
  /** Sets (replaces) a named value, optionally expiring: the board snapshot shared by every node. */
  setValue(contestId: string, name: string, value: string, ttlMs?: number): Promise<void>;
  getValue(contestId: string, name: string): Promise<string | null>;
  /** Takes a short lease (true) unless another holder's has not expired: one node runs a periodic job. */
  lease(contestId: string, name: string, holder: string, ttlMs: number): Promise<boolean>;

  /** Records that a contestant registered from an origin (hashed address or device); one step. */
  addOrigin(contestId: string, origin: string, contestantId: string): Promise<void>;
  /** Origins with at least `min` contestants, most first, at most `limit`. */
  crowdedOrigins(contestId: string, min: number, limit: number): Promise<{ origin: string; contestantIds: string[] }[]>;

  /** Stores invitation codes (code → JSON); existing codes are kept. */
  addInvitations(contestId: string, invitations: { code: string; json: string }[]): Promise<void>;
  getInvitation(contestId: string, code: string): Promise<string | null>;
  /** Binds an invitation to its first use (e.g. `pin:playerId`); returns the use already bound when there is one. */
  useInvitation(contestId: string, code: string, use: string): Promise<{ ok: true } | { ok: false; usedBy: string }>;
  /** Undoes a use (the join it was for failed), only while it is still that use. */
  releaseInvitation(contestId: string, code: string, use: string): Promise<void>;
  close(): Promise<void>;
}
