// The online (self-paced) round over HTTP JSON: request schemas and answer types of every route under
// /api/online/:contestId. Every answer is `{ ok: true, data }` or `{ ok: false, error: { code, message } }`.
import { z } from 'zod';
import { Slug, TargetGroup, type Question, type TargetGroup as Group, type TIE_BREAKS, type Unit } from './contest';
import { Choice, type ClaimNotice } from './events';

// ---------------------------------------------------------------- ids in paths and headers

/** `:contestId` and `:roundId` path parameters. */
export const OnlineContestId = Slug;
export const OnlineRoundId = Slug;
/** `:attemptId`: random, URL-safe. Knowing it is not enough: the attempt's owner must present their token. */
export const AttemptId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'malformed attempt id');
/** The contestant token, sent as `Authorization: Bearer <token>` on every request after registering. */
export const ContestantToken = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'malformed token');

// ---------------------------------------------------------------- registration

/**
 * `POST /api/online/:contestId/register`. Answer: {@link Registered} (201).
 * `phone` in any usual Vietnamese form (`0912 345 678`, `+84 912.345.678`, `84912345678`); the server normalises it
 * and refuses anything that is not a Vietnamese mobile number (`PHONE_INVALID`). `consent` must be `true`
 * (`CONSENT_REQUIRED`). A number already registered in this contest gets `ALREADY_REGISTERED`: resume instead.
 */
export const RegisterBody = z.object({
  fullName: z.string().trim().min(2).max(100),
  phone: z.string().trim().min(1).max(30),
  group: TargetGroup,
  /** One of the contest's unit ids (`UNIT_UNKNOWN` otherwise). */
  unit: Slug,
  birthYear: z.number().int().min(1900).max(2100).optional(),
  /** The contestant ticked the (unticked by default) consent box under the privacy notice. */
  consent: z.literal(true),
  /** Asks for extra time in online rounds (elderly, disabled): the round's `extraTimeFactor`; organisers see who asked. */
  extraTime: z.boolean().optional(),
  /** A random id the phone keeps (local storage): stored only hashed, to spot many registrations from one device. */
  deviceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});
export type RegisterBody = z.infer<typeof RegisterBody>;

/** A contestant as they see themselves: the phone number masked. */
export interface ContestantView {
  id: string;
  fullName: string;
  /** e.g. `091****678`. */
  phoneMasked: string;
  group: Group;
  unit: string;
  birthYear?: number;
  registeredAt: number;
  /** Asked for extra time at registration. */
  extraTime?: true;
}

/** Answer of `register`: keep `token` (authorises every request) and `code` (resumes on another device) on the phone. */
export interface Registered {
  contestant: ContestantView;
  token: string;
  /** The contestant code, e.g. `K7M2QH`: shown once at registration, asked when the same number registers again. */
  code: string;
}

/**
 * `POST /api/online/:contestId/resume`: a second device (or a cleared browser) takes the contestant back with the
 * phone number and the contestant code. Answer: {@link Resumed}. Wrong pair: `BAD_CODE` (rate-limited per number).
 */
export const ResumeBody = z.object({
  phone: z.string().trim().min(1).max(30),
  /** The contestant code; spaces, dashes and case are ignored. */
  code: z.string().trim().min(1).max(20),
});
export type ResumeBody = z.infer<typeof ResumeBody>;

/** Answer of `resume`: a fresh token for this device (earlier devices keep theirs). */
export interface Resumed {
  contestant: ContestantView;
  token: string;
}

// ---------------------------------------------------------------- contest information (public)

/** Where a round's window stands on the server's clock. */
export type RoundStatus = 'upcoming' | 'open' | 'closed';

/** A self-paced round as contestants see it before starting. */
export interface OnlineRoundInfo {
  id: string;
  title: string;
  status: RoundStatus;
  /** ISO date-time with offset, as the contest file writes it, and the same instant in ms. */
  opensAt: string;
  closesAt: string;
  opensAtMs: number;
  closesAtMs: number;
  timeLimitMin: number;
  /** Questions in one attempt (the prediction question included). */
  questionCount: number;
  attempts: number;
  perPeriod?: { attempts: number; days: number };
  counts: 'best' | 'last';
  revealAnswers: 'after-attempt' | 'after-round';
  /** Whether the draw depends on the contestant's target group. */
  drawByGroup: boolean;
}

/** `GET /api/online/:contestId`: everything the registration page needs. Public. */
export interface OnlineContestInfo {
  id: string;
  title: string;
  organiser: string;
  description: string;
  /** What is kept, why and for how long (PDPL 91/2025/QH15, Decree 356/2025): shown above the consent box. */
  privacyNotice: string;
  personalDataRetentionDays: number;
  maskNames: boolean;
  groups: { id: Group; label: string }[];
  units: Pick<Unit, 'id' | 'name' | 'kind'>[];
  /** The self-paced rounds only. */
  rounds: OnlineRoundInfo[];
  prizes: { individual: PrizeLine[]; perGroup: PrizeLine[]; collective: PrizeLine[] };
  serverTime: number;
  /** How prizes are decided, for the public page (docs/contests.md "Prizes"). */
  prizeRules?: PrizeRules;
}
export interface PrizeRules {
  /** The rounds whose results name the prizes (any mode: a live final too). */
  rounds: { id: string; title: string }[];
  eligibility: { minCorrect: number; minScore: number; minEntrantsPerGroup: number };
  onePerPerson: boolean;
  /** The contest's ranking order: equal on every key, contestants share a rank. */
  tieBreak: (typeof TIE_BREAKS)[number][];
  /**
   * Present when the contest awards several prize sets (e.g. the online round's prizes and the final's): each
   * set's rounds and ranking order, in the contest's order. Eligibility is shared; one prize per person holds
   * within each set.
   */
  sets?: { rounds: { id: string; title: string }[]; tieBreak: (typeof TIE_BREAKS)[number][] }[];
}
export interface PrizeLine {
  id: string;
  label: string;
  count: number;
  /** The prize set's rounds (ids), when the contest awards several sets: see `PrizeRules.sets`. */
  rounds?: string[];
  /** Collective prizes going to the units with most contestants (`by: participants`). */
  byParticipants?: true;
}

// ---------------------------------------------------------------- attempts

/** A question of an attempt as the phone shows it: options in this attempt's own order, never the answer. */
export interface AttemptQuestion {
  id: string;
  type: Question['type'];
  text: string;
  /** Option texts in this attempt's order (true/false: ["Đúng", "Sai"]); absent for numeric. */
  options?: string[];
  min?: number;
  max?: number;
  unit?: string;
  image?: { src: string; alt: string };
  /** The prediction question (asked last; breaks ties, scores nothing). */
  prediction?: true;
}

export type AttemptStatus = 'open' | 'submitted' | 'scored';

/** The outcome of a scored attempt. */
export interface AttemptResult {
  /** Correct answers (the prediction question is not counted). */
  correct: number;
  /** Questions that count (the prediction question excluded). */
  total: number;
  answered: number;
  /** From start to submission on the server's clock, at most the time limit. */
  timeMs: number;
  submittedAt: number;
  /** The prediction question's answer, when the round has one and it was answered. */
  predictionGuess: number | null;
}

/** One question of the review: only when the round's reveal policy allows (after submit, or after the round closes). */
export interface ReviewItem {
  questionId: string;
  /** Correct options in this attempt's order (empty for numeric and poll). */
  correctOptions: number[];
  /** Numeric questions: the exact answer (absent for a prediction whose value is not known yet). */
  answer?: number;
  explanation: string;
  source: { title: string; url?: string };
  correct: boolean;
}

/**
 * `POST /api/online/:contestId/rounds/:roundId/attempts` (start; 201, or 200 with the attempt already in progress)
 * and `GET /api/online/:contestId/attempts/:attemptId` (resume on any node). Times come from the server's clock.
 */
export interface AttemptView {
  id: string;
  roundId: string;
  status: AttemptStatus;
  startedAt: number;
  deadline: number;
  /** Milliseconds left on the server's clock (0 once over): count down from this, not from the phone's clock. */
  remainingMs: number;
  serverTime: number;
  questions: AttemptQuestion[];
  /** Saved answers by question id, in this attempt's option order. */
  answers: Record<string, Choice>;
  /** Once scored. */
  result?: AttemptResult;
  /** Once the reveal policy allows. */
  review?: ReviewItem[];
}

/**
 * `PUT /api/online/:contestId/attempts/:attemptId/answers`: saves (or changes) one answer until submit or deadline.
 * `choice` uses the option indexes as shown in this attempt. Any timestamp the phone sends is ignored.
 */
export const SaveAnswerBody = z.object({ questionId: Slug, choice: Choice });
export type SaveAnswerBody = z.infer<typeof SaveAnswerBody>;
export interface SavedAnswer {
  questionId: string;
  remainingMs: number;
}

/** `POST /api/online/:contestId/attempts/:attemptId/submit`: ends the attempt (idempotent). Answer: {@link Submitted}. */
export interface Submitted {
  id: string;
  status: Exclude<AttemptStatus, 'open'>;
  submittedAt: number;
}

/**
 * `GET /api/online/:contestId/attempts/:attemptId/result`: waits a few seconds for scoring, then answers
 * `{ status: 'scored', result }` (200) or `{ status: 'pending' }` (202: ask again). An attempt still in progress
 * answers `{ status: 'open' }` (200).
 */
export interface AttemptResultReply {
  status: AttemptStatus | 'pending';
  result?: AttemptResult;
}

// ---------------------------------------------------------------- me

/** One round from the contestant's side. */
export interface MyRound {
  roundId: string;
  attemptsUsed: number;
  attemptsLeft: number;
  /** When a per-period limit holds the next attempt back: when it may start (ms); else null. */
  nextAttemptAt: number | null;
  /** The attempt in progress, if any. */
  openAttempt: { id: string; deadline: number } | null;
  /** The attempt that counts (best or last, by the round's rule), once one is scored. */
  counting: (AttemptResult & { attemptId: string }) | null;
  /** 1-based live rank among the round's contestants (number correct, then time, then submission); null before. */
  rank: number | null;
  /** How many contestants are ranked. */
  ranked: number;
}

/** `GET /api/online/:contestId/me`. */
export interface Me {
  contestant: ContestantView;
  rounds: MyRound[];
  /** Invitations to a later round, once the organisers issued them from the locked results (see {@link Invitation}). */
  invitations: Invitation[];
  /** Prizes won in an online round's locked results, with the codes to show at the organisers' desk. */
  claims?: ClaimNotice[];
  serverTime: number;
}

// ---------------------------------------------------------------- public board

/** A contestant on the public board: the name masked when the contest's `maskNames` says so. */
export interface BoardEntry {
  rank: number;
  name: string;
  group: Group;
  unit: string;
  correct: number;
  total: number;
  timeMs: number;
}

/** A unit's participation in a round: participants (contestants with a scored attempt) against its headcount. */
export interface BoardUnit {
  unit: string;
  name: string;
  kind: Unit['kind'];
  participants: number;
  attempts: number;
  headcount: number | null;
  /** participants / headcount; null without a headcount. */
  participationRate: number | null;
}

export interface BoardRound {
  roundId: string;
  title: string;
  status: RoundStatus;
  participants: number;
  attempts: number;
  /** The first contestants of the live ranking (number correct, then time, then submission). */
  top: BoardEntry[];
  /** Units by participants (most first), and by participation rate (those with a headcount). */
  unitsByParticipants: BoardUnit[];
  unitsByRate: BoardUnit[];
  groups: { group: Group; participants: number; attempts: number }[];
}

/**
 * `GET /api/online/:contestId/board`: public, served from a snapshot a periodic job computes every few seconds
 * (`at` says when), never from a scan per request. 404 `CONTEST_NOT_FOUND` until the first snapshot exists.
 */
export interface OnlineBoard {
  contestId: string;
  title: string;
  at: number;
  maskNames: boolean;
  registrations: number;
  rounds: BoardRound[];
}

// ---------------------------------------------------------------- qualifiers and invitations

/**
 * An invitation to a live round open to invited contestants only (`entry: invited`): issued by the organisers to the
 * qualifiers of a locked online round (`online.qualifiers`: the top `overall` and/or the top `perGroup` of each target
 * group; everyone tied at the cut qualifies). The code is typed at `player:join` (`invitation`); it binds the player to
 * the contestant, once.
 */
export interface Invitation {
  code: string;
  contestId: string;
  /** The online round qualified in. */
  roundId: string;
  contestantId: string;
  fullName: string;
  group: Group;
  unit: string;
  /** Why: the overall top, or the top of the contestant's group. */
  via: 'overall' | 'group';
  /** Rank in that ranking. */
  rank: number;
  issuedAt: number;
}

// ---------------------------------------------------------------- suspicious activity (organisers)

/** `GET /api/online-review/:contestId/suspicious` query: thresholds (defaults shown). */
export const SuspiciousQuery = z.object({
  /** Registrations from one address or one device before it is listed. */
  minRegistrations: z.coerce.number().int().min(2).max(1000).default(5),
  /** Median time per answered question below which a counting attempt is listed (ms). */
  fastMedianMs: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** Contestants with the same answers (same questions, same choices, not all correct) before they are listed. */
  minSameAnswers: z.coerce.number().int().min(2).max(1000).default(3),
});
export type SuspiciousQuery = z.infer<typeof SuspiciousQuery>;

/** A contestant as the review lists them: the phone masked. */
export interface ReviewedContestant {
  id: string;
  fullName: string;
  phoneMasked: string;
  group: Group;
  unit: string;
}

/** What the organisers may want to look at; nothing here is proof, and nothing is excluded automatically. */
export interface SuspiciousReport {
  contestId: string;
  at: number;
  thresholds: SuspiciousQuery;
  /** Many registrations from one (hashed) address or device id. */
  sharedOrigins: { kind: 'address' | 'device'; origin: string; contestants: ReviewedContestant[] }[];
  /** Counting attempts answered implausibly fast. */
  fastAttempts: {
    roundId: string;
    attemptId: string;
    contestant: ReviewedContestant;
    answered: number;
    medianMsPerQuestion: number;
    correct: number;
  }[];
  /** Several contestants with the same questions answered the same way (`answersHash` of the bank-order answer vector). */
  sameAnswers: { roundId: string; answersHash: string; contestants: ReviewedContestant[] }[];
}
