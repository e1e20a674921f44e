// Storage port of practice sessions and badges: two drivers (memory, Redis) pass one contract suite
// (store.contract.test.ts). Every method is one atomic step. Nothing here names a person: a session is counted under
// opaque learner keys (`d:<device id>`, `c:<contestant id>`) and badges under a subject key (`c:<contestant id>`,
// `p:<pin>:<player id>`).
import type { CompetenceArea } from '../../../protocol/contest';

/** A drawn practice question: its option order (`perm[shown] = index in the bank`) and its area (for the statistics). */
export interface PracticeDrawn {
  id: string;
  perm: number[];
  area: CompetenceArea;
}

/** An answer as saved: the choice in the bank's order and whether it was right (checked on the server). */
export interface PracticeAnswerRecord {
  choice: number | number[];
  correct: boolean;
}

export interface PracticeSessionRecord {
  id: string;
  area: CompetenceArea | null;
  questions: PracticeDrawn[];
  /** Keys its completion is counted under (the practice badge). */
  learners: string[];
  createdAt: number;
  expiresAt: number;
  answers: Record<string, PracticeAnswerRecord>;
}

export type PracticeAnswerResult =
  /** `complete`: this answer was the session's last (it was counted as completed in the same step). */
  { ok: true; complete: boolean } | { ok: false; code: 'NOT_FOUND' | 'QUESTION_NOT_IN_ATTEMPT' | 'ALREADY_ANSWERED' };

/** Anonymous practice figures of a contest: sessions, and answers per area. */
export interface PracticeCounters {
  started: number;
  completed: number;
  areas: Partial<Record<CompetenceArea, { answered: number; correct: number }>>;
}

export interface PracticeStore {
  readonly kind: 'memory' | 'redis';
  /** The authoritative clock (Redis TIME in Redis mode), in ms, shifted by `shiftClock`. */
  now(): Promise<number>;
  /** Tests only: moves this store's clock forward by `ms`. */
  shiftClock(ms: number): void;

  /** Saves a new session (no answers yet), kept until its `expiresAt`, and counts it as started. */
  createPracticeSession(contestId: string, session: PracticeSessionRecord): Promise<void>;
  /** The session, or null once it has expired on the store's clock. */
  getPracticeSession(contestId: string, sessionId: string): Promise<PracticeSessionRecord | null>;
  /**
   * Saves the first answer to a question of the session; in the same step counts it in the area's figures and, when
   * it completes the session, counts the session as completed for the contest and for each of its learners.
   */
  answerPractice(
    contestId: string,
    sessionId: string,
    questionId: string,
    answer: PracticeAnswerRecord,
  ): Promise<PracticeAnswerResult>;
  /** Completed sessions counted under a learner key. */
  practiceSessions(contestId: string, learner: string): Promise<number>;
  practiceCounters(contestId: string): Promise<PracticeCounters>;

  /** Awards the badges the subject does not hold yet (and counts their holders); returns those newly awarded. */
  awardBadges(contestId: string, subject: string, badgeIds: string[], at: number): Promise<string[]>;
  /** The subject's badges and when each was awarded. */
  badgesOf(contestId: string, subject: string): Promise<{ id: string; at: number }[]>;
  /** Holders per badge id. */
  badgeHolders(contestId: string): Promise<Record<string, number>>;
  close(): Promise<void>;
}
