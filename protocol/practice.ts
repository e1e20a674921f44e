// Practice ("Luyện tập") and badges over HTTP JSON: request schemas and answer types of the routes under
// /api/practice/:contestId. Every answer is `{ ok: true, data }` or `{ ok: false, error: { code, message } }`.
import { z } from 'zod';
import { CompetenceArea, Slug, type Question } from './contest';
import { Choice } from './events';

/** `:sessionId`: random and URL-safe; it is the only key to an anonymous session, so it is long. */
export const PracticeSessionId = z.string().regex(/^[A-Za-z0-9_-]{20,64}$/, 'malformed session id');

/** A competence area and how many practice questions it has now. */
export interface PracticeArea {
  area: CompetenceArea;
  questions: number;
}

/** `GET /api/practice/:contestId`: public. 404 `CONTEST_NOT_FOUND` when the contest has no practice or no pool yet. */
export interface PracticeInfo {
  contestId: string;
  title: string;
  organiser: string;
  questionsPerSession: number;
  /** Areas with at least one question in the pool now (the pool grows as rounds end). */
  areas: PracticeArea[];
}

/**
 * `POST /api/practice/:contestId/sessions`: starts a session (201). `area` limits it to one competence area.
 * `deviceId` (the phone's random id) and an online contestant's `Authorization: Bearer <token>` (optional) are what
 * completed sessions are counted under for the "practice sessions" badge; nothing else about the person is kept.
 */
export const StartPracticeBody = z.object({
  area: CompetenceArea.optional(),
  deviceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});
export type StartPracticeBody = z.infer<typeof StartPracticeBody>;

/** A practice question as the phone shows it: options in this session's order, never the answer. */
export interface PracticeQuestion {
  id: string;
  type: Exclude<Question['type'], 'poll'>;
  area: CompetenceArea;
  text: string;
  /** Option texts in this session's order (true/false: ["Đúng", "Sai"]); absent for numeric. */
  options?: string[];
  min?: number;
  max?: number;
  unit?: string;
  image?: { src: string; alt: string };
}

/** What an answer earns: sent only after the answer is saved. Option indexes are in this session's order. */
export interface PracticeFeedback {
  questionId: string;
  correct: boolean;
  /** Correct options as shown (empty for numeric). */
  correctOptions: number[];
  /** Numeric questions: the exact answer. */
  answer?: number;
  explanation: string;
  /** `url` is always http(s) (the contest schema refuses anything else). */
  source: { title: string; url?: string };
}

/** Answered and correct, per area, with the areas below {@link PRACTICE_WEAK_BELOW} of them called weak. */
export interface PracticeSummary {
  answered: number;
  correct: number;
  total: number;
  areas: { area: CompetenceArea; answered: number; correct: number }[];
  /** Areas answered below {@link PRACTICE_WEAK_BELOW} correct, weakest first: what to practise next. */
  weakAreas: CompetenceArea[];
  /** Every question answered: the session counts for the practice badge. */
  complete: boolean;
}

/** An area is weak below this share of correct answers. */
export const PRACTICE_WEAK_BELOW = 0.7;

/** A session, as started and as read again (`GET …/sessions/:sessionId`): the feedback of answered questions only. */
export interface PracticeSessionView {
  id: string;
  contestId: string;
  area: CompetenceArea | null;
  questions: PracticeQuestion[];
  /** By question id: the choice given (in this session's order) and what it earned. */
  answers: Record<string, { choice: Choice; feedback: PracticeFeedback }>;
  summary: PracticeSummary;
  /** The session is kept until then (ms, server clock). */
  expiresAt: number;
}

/**
 * `POST /api/practice/:contestId/sessions/:sessionId/answers`: one answer per question (a second one is
 * `ALREADY_ANSWERED`: the key has been shown). Answer: {@link PracticeAnswered}.
 */
export const PracticeAnswerBody = z.object({ questionId: Slug, choice: Choice });
export type PracticeAnswerBody = z.infer<typeof PracticeAnswerBody>;
export interface PracticeAnswered {
  feedback: PracticeFeedback;
  summary: PracticeSummary;
}

// ---------------------------------------------------------------- badges

/** A badge as contestants see it. */
export interface BadgeView {
  id: string;
  name: string;
  description: string;
  icon: string;
}

/** A badge someone holds: when it was awarded (server clock). */
export interface EarnedBadge extends BadgeView {
  at: number;
}

/**
 * `GET /api/practice/:contestId/badges/me` (online contestant's bearer token, or `?device=` for practice only):
 * the contest's badges and those this person holds.
 */
export interface MyBadges {
  badges: BadgeView[];
  earned: EarnedBadge[];
  /** Completed practice sessions counted for this person. */
  practiceSessions: number;
}

// ---------------------------------------------------------------- organisers

/**
 * `GET /api/practice-stats/:contestId` (organiser): practice answers per area, labelled as practice (never mixed into
 * the rounds' figures), and how many hold each badge.
 */
export interface PracticeStats {
  contestId: string;
  at: number;
  sessions: { started: number; completed: number };
  /** Knowledge gaps from practice: anonymous, per competence area. */
  areas: { area: CompetenceArea; answered: number; correct: number; correctRate: number | null }[];
  badges: { id: string; name: string; icon: string; holders: number }[];
}
