import { z } from 'zod';
import { TargetGroup, type CompetenceArea, type QuestionType, type TIE_BREAKS, type UNIT_KINDS } from './contest';
import type { ErrorCode } from './errors';
import type { ClaimNotice, Phase } from './events';
import type { ResultRow } from './http';

type TieBreak = (typeof TIE_BREAKS)[number];
type UnitKind = (typeof UNIT_KINDS)[number];

// ---------------------------------------------------------------- audit log

/** What an audit entry records. Every organiser and host action has one. */
export const AUDIT_ACTIONS = [
  /** `POST /api/login` accepted / refused (wrong password, rate limit). */
  'login.ok',
  'login.refused',
  /** `POST /api/games`. */
  'game.created',
  /** A host attached to a game with its host token (or was refused). */
  'host.attach',
  /** Any `host:command` (start, next, close, pause, resume, lock, unlock, end, add-time), ok or refused. */
  'host.command',
  /** `host:command {type: "kick"}`. */
  'host.kick',
  /** Results locked by an organiser (or a lock refused). */
  'results.lock',
  /** A change to locked results was refused (a late scoring job, a kick, a deletion). */
  'write.refused',
  /** A results, winners, units or audit export was downloaded. */
  'export',
  /** The audit log itself was read. */
  'audit.read',
  /** The desk looked up a claim code (ok or unknown). */
  'claim.lookup',
  /** The desk recorded a winner's name, phone and ID number (never written to the log). */
  'claim.completed',
  /** A contestant's personal data was deleted on request (or the deletion refused). */
  'personal-data.deleted',
  /** An organiser ran the retention sweep by hand (each deletion it makes is logged as personal-data.deleted). */
  'retention.purge',
  /** A contest uploaded as a spreadsheet (saved, replaced, or refused with its problems). */
  'contest.upload',
  /** An uploaded contest removed (or the removal refused: bundled, or games were played on it). */
  'contest.delete',
  /** Invitation codes issued to an online round's qualifiers (or the issue refused). */
  'qualifiers.issued',
  /** A game marked as practice (left out of round and contest results) or back, or the change refused. */
  'game.practice',
  /** An organiser took a running game over (`POST /api/games/:pin/takeover`): a new host token, the old one revoked. */
  'host.takeover',
  /** A sudden-death playoff recorded for a tie at a prize cut (the places in `detail.places`), or refused. */
  'results.playoff',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One line of the append-only audit log: who, what, when, from where, with what outcome. */
export interface AuditEntry {
  /** 1-based position in the log; never reused, never rewritten. */
  seq: number;
  /** Server time (ms since the epoch). */
  at: number;
  /** `organiser:<username>`, `host:<pin>`, `system` (jobs), or `anonymous` (a refused login says in `detail.knownUser` whether the name was right, never the name typed). */
  actor: string;
  action: AuditAction;
  /** Client address as the server saw it (behind the load balancer: the forwarded address). Null for jobs. */
  ip: string | null;
  /** The game concerned, if any. */
  pin?: string;
  /** `ok`, or the error code the action was refused with. */
  outcome: 'ok' | ErrorCode;
  /** Small extra facts: the command, the export's file, the scope locked, the SHA-256. */
  detail?: Record<string, string | number | boolean | null>;
}

/** `GET /api/audit` query: entries after `after` (a seq), at most `limit` (1–1000, default 200), oldest first. */
export const AuditQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** `GET /api/audit` answer. `next` is the `after` for the following page, null at the end. */
export interface AuditPage {
  entries: AuditEntry[];
  next: number | null;
}

// ---------------------------------------------------------------- rankings

/** The PIN-like key an online (self-paced) round's rows carry in result sets, claims and exports. */
export const onlinePin = (contestId: string, roundId: string) => `online:${contestId}:${roundId}`;

/** Which games a result set covers: one game, every game of one round, or every game of a contest. */
export type ResultScope =
  | { kind: 'game'; pin: string }
  | { kind: 'round'; contestId: string; roundId: string }
  | { kind: 'contest'; contestId: string };

/** A contestant's row in a result set. Across games each (game, player) is its own entry: live play has no accounts. */
export interface RankedEntry extends ResultRow {
  /** The game's PIN, or for an online round `online:<contestId>:<roundId>` ({@link onlinePin}). */
  pin: string;
  /** A registered contestant (online rounds, invited finals): the same person across rounds, one record. */
  contestantId?: string;
  /** Equal to another entry on every tie-break key: the rules cannot separate them. */
  tied: boolean;
}

/** A target group's ranking. `rank` is the rank within the group. */
export interface GroupRanking {
  group: TargetGroup;
  entries: RankedEntry[];
}

/** A unit's collective standing. */
export interface UnitStanding {
  rank: number;
  tied: boolean;
  unit: string;
  name: string;
  kind: UnitKind;
  participants: number;
  /** From the contest's unit list; null when it gives none. */
  headcount: number | null;
  /** participants / headcount, null without a headcount. */
  participationRate: number | null;
  averageScore: number;
  averageCorrect: number;
}

/**
 * An unbreakable tie: entries equal on every tie-break key. `atPrizeBoundary` when it straddles a prize tier's
 * cut among the entrants eligible for that list (after eligibility and one-prize-per-person).
 */
export interface TieReport {
  ranking: 'overall' | TargetGroup | 'units';
  rank: number;
  /** `pin:playerId` of the tied entries, or unit ids for the unit ranking. */
  members: string[];
  names: string[];
  atPrizeBoundary: boolean;
}

/** A computed prize. */
export interface Winner {
  scope: 'individual' | 'group' | 'collective';
  /** For `group` prizes. */
  group?: TargetGroup;
  tier: string;
  label: string;
  rank: number;
  /** Individual and group prizes. */
  pin?: string;
  playerId?: string;
  nickname?: string;
  unit?: string;
  score?: number;
  correct?: number;
  /** The prize set's rounds: present when the contest awards prizes of several sets (tiers with their own `rounds`). */
  rounds?: string[];
}

/**
 * Why an entrant, or a whole group, was passed over for a prize list:
 * - `below-min-correct` / `below-min-score`: fewer correct answers or points than `prizes.eligibility` asks;
 * - `group-too-small`: the target group has fewer entrants than `minEntrantsPerGroup`, so its prizes are not awarded;
 * - `already-won-higher`: one prize per person, and this person already holds a higher one (`held`).
 */
export const PRIZE_SKIP_REASONS = [
  'below-min-correct',
  'below-min-score',
  'group-too-small',
  'already-won-higher',
] as const;
export type PrizeSkipReason = (typeof PRIZE_SKIP_REASONS)[number];

/** Someone the award passed over while places were still open, and why; the next eligible entrant took the place. */
export interface SkippedPrize {
  list: 'individual' | 'group';
  /** For `group` (and always for `group-too-small`). */
  group?: TargetGroup;
  reason: PrizeSkipReason;
  /** The entrant (absent for `group-too-small`). */
  pin?: string;
  playerId?: string;
  nickname?: string;
  /** Rank in the list's ranking. */
  rank?: number;
  score?: number;
  correct?: number;
  /** `already-won-higher`: the prize they keep. */
  held?: { scope: 'individual' | 'group'; tier: string; label: string };
  /** `group-too-small`: entrants in the group, and the minimum. */
  entrants?: number;
  minEntrants?: number;
  /** The prize set's rounds, as on {@link Winner}. */
  rounds?: string[];
}

/**
 * Why a result set names no prizes:
 * - `practice-game`: a practice game (rehearsal, test) never wins anything;
 * - `outside-prize-rounds`: none of its games belongs to the rounds in `prizes.rounds` (e.g. a warm-up);
 * - `partial-prize-rounds`: it lacks some games of those rounds (`missingGames`): lock the round or the contest;
 * - `no-prizes`: the contest awards no prizes.
 */
export const PRIZE_SCOPE_REASONS = [
  'practice-game',
  'outside-prize-rounds',
  'partial-prize-rounds',
  'no-prizes',
] as const;
export type PrizeScopeReason = (typeof PRIZE_SCOPE_REASONS)[number];

/** Which rounds the prizes rank, and whether this result set is the one that names them. */
export interface PrizeScopeInfo {
  /** The contest's prize rounds (`prizes.rounds`, or its only round). */
  rounds: string[];
  /** True when the set holds every non-practice game of those rounds: its `winners` are the prizes. */
  namesPrizes: boolean;
  /** Set when `namesPrizes` is false. */
  reason?: PrizeScopeReason;
  /** `partial-prize-rounds`: PINs of the prize rounds' games this set does not hold. */
  missingGames?: string[];
  /** The contest's policy, as applied. */
  onePerPerson: boolean;
  eligibility: { minCorrect: number; minScore: number; minEntrantsPerGroup: number };
  /**
   * Present when the contest awards several prize sets (tiers with their own `rounds`): each set's own answer, in
   * the contest's order. The fields above then sum them up: `namesPrizes` when any set is named, `rounds` those of
   * the sets named (all prize rounds when none is), `reason` the most useful one when none is.
   */
  sets?: Omit<PrizeScopeInfo, 'sets' | 'onePerPerson' | 'eligibility'>[];
}

/**
 * `GET /api/results/<scope>/prizes`: the prizes a lock of this scope names (or, once locked, named), by tier;
 * the ties at a prize cut the lock must accept; and who was passed over and why. Computed by the same function
 * as the lock, so locking names exactly these winners.
 */
export interface PrizePreview {
  scope: ResultScope;
  contestId: string;
  prizeScope: PrizeScopeInfo;
  /** Every tier of every list in the contest's order (per group for `group`), with its winners (fewer than `count` when not enough are eligible). */
  tiers: {
    scope: 'individual' | 'group' | 'collective';
    group?: TargetGroup;
    tier: string;
    label: string;
    count: number;
    winners: Winner[];
    /** The prize set's rounds, as on {@link Winner}. */
    rounds?: string[];
  }[];
  /** Ties across a prize cut: locking needs `acceptTies`. */
  tiesAtCut: TieReport[];
  skipped: SkippedPrize[];
  /** Set when the scope is locked: the preview is then what the lock named. */
  lock: ResultLockInfo | null;
  /** SHA-256 of what this preview names (scope info, tiers with winners, ties at a cut, skipped): send it back as the lock's `previewDigest`. */
  digest: string;
}

/** `GET /api/results/…` answer. Locked result sets are served frozen, exactly as they were locked. */
/** A unit in a unit round's ranking (docs/contests.md, "Unit rounds"). */
export interface UnitTeamStanding {
  /** Null: fewer players than the round's `minPlayers`, listed but not ranked (never wins a collective prize). */
  rank: number | null;
  tied: boolean;
  unit: string;
  name: string;
  players: number;
  /** The average of the members' scores, or the sum of the best `n`, in points. */
  score: number;
}

/** The unit ranking of a result set whose games all belong to one unit round (a round with `teams`). */
export interface TeamRanking {
  roundId: string;
  score: 'average' | 'bestN';
  n?: number;
  minPlayers: number;
  units: UnitTeamStanding[];
}

export interface ResultSet {
  scope: ResultScope;
  contestId: string;
  title: string;
  /** PINs of the games included. */
  games: string[];
  tieBreak: TieBreak[];
  overall: RankedEntry[];
  byGroup: GroupRanking[];
  units: UnitStanding[];
  ties: TieReport[];
  /** The prizes this set names: empty unless `prizeScope.namesPrizes`. Locking issues a claim for each individual and group prize. */
  winners: Winner[];
  prizeScope: PrizeScopeInfo;
  /** Entrants passed over for a prize, and why. */
  skipped: SkippedPrize[];
  /** Every scored question of every game: how many answered it and how many got it right. */
  questions: QuestionStat[];
  /** Set once the organiser locked the results. */
  lock: ResultLockInfo | null;
  /** A unit round's unit ranking: present when every game of the set belongs to one round with `teams`. */
  teams?: TeamRanking;
}

/** One scored question of one game. `correctRate` is correct / answered (null for polls or when nobody answered). */
export interface QuestionStat {
  pin: string;
  index: number;
  questionId: string;
  text: string;
  type: QuestionType;
  area: CompetenceArea;
  players: number;
  answered: number;
  correct: number;
  correctRate: number | null;
  /** Average answering time of those who answered (ms), null when nobody did. */
  averageTimeMs: number | null;
  /** Options of single, multiple, true/false and poll questions (true/false: Đúng, Sai), empty for numeric. */
  options: string[];
  /** How many chose each option (a multiple-choice answer counts once per option chosen). */
  distribution: number[];
  /** Indexes of the correct options: the rest of `distribution` is how often each wrong option was chosen. */
  correctOptions: number[];
}

/** One contestant's outcome on one question (the `answers` export). */
export interface AnswerRow {
  pin: string;
  playerId: string;
  nickname: string;
  group: TargetGroup;
  unit?: string;
  index: number;
  questionId: string;
  answered: boolean;
  correct: boolean;
  points: number;
}

export interface ResultLockInfo {
  at: number;
  by: string;
  /** SHA-256 (hex) of `JSON.stringify` of the result set with `lock: null`: exports carry it. */
  sha256: string;
}

/**
 * A sudden-death playoff that settled a tie at a prize cut: the tied entrants played an extra question (a game
 * of its own, marked practice), and their places in it rank them as the contest's last tie-break.
 */
export interface Playoff {
  contestId: string;
  /** The ranking whose tie it settled. */
  ranking: 'overall' | TargetGroup;
  /** Entry ids (`pin:playerId`) of the tied entrants. */
  members: string[];
  /** Each member's place in the playoff (1 best; equal places stay tied); a member who did not play comes last. */
  places: Record<string, number>;
  /** The playoff game. */
  pin: string;
  at: number;
  by: string;
}

/** `POST /api/results/…/playoff` body: the tie (its ranking and members, as a preview lists them) and the playoff game. */
export const PlayoffBody = z.object({
  ranking: z.union([z.literal('overall'), TargetGroup]),
  members: z
    .array(z.string().regex(/^\d{6}:[A-Za-z0-9_-]{1,40}$/))
    .min(2)
    .max(50),
  pin: z.string().regex(/^\d{6}$/),
});

/** `POST /api/results/…/lock` body. Ties at a prize boundary must be accepted explicitly. */
export const LockBody = z
  .object({
    acceptTies: z.boolean().default(false),
    /** The `digest` of the preview the organiser reviewed: the lock is refused (409, with the new preview) if what it would name differs. */
    previewDigest: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .default({ acceptTies: false });

/** One game in the games index: which contest and round it belongs to. */
export interface IndexedGame {
  pin: string;
  contestId: string;
  roundId: string;
  createdAt: number;
  /** A rehearsal or test game: left out of round and contest rankings, prizes, locks and the dashboard's figures. */
  practice?: boolean;
}

/** `POST /api/games/:pin/practice` body. */
export const PracticeBody = z.object({ practice: z.boolean() });

/** `GET /api/games?contestId=` answer: the index with each game's phase (null once its data expired), players and lock. */
export interface GameListing extends IndexedGame {
  phase: Phase | null;
  players: number;
  locked: boolean;
}

// ---------------------------------------------------------------- winners' claims

/** A prize awaiting (or having had) its winner at the desk. Issued for every individual and group prize when results are locked. */
export interface Claim extends ClaimNotice {
  /** The locked result set it comes from (`game:<pin>`, `round:<contest>:<round>`, `contest:<contest>`). */
  scopeKey: string;
  pin: string;
  playerId: string;
  nickname: string;
  tier: string;
  group?: TargetGroup;
  rank: number;
  /** The prize set's rounds, as on {@link Winner}: one prize per person applies within a set. */
  rounds?: string[];
  issuedAt: number;
  /** Null until the desk records the winner; `erased` once their personal data was deleted. */
  claimed:
    | null
    | { at: number; by: string; fullName: string; phone: string; idNumber: string }
    | { at: number; by: string; erased: true };
}

/** `POST /api/claims/:code` body: what the desk collects, from winners only. */
export const ClaimBody = z.object({
  fullName: z.string().trim().min(2).max(120),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 .-]{8,20}$/, 'phone number'),
  /** CCCD (12 digits) or another ID document number. */
  idNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{6,20}$/, 'ID number'),
});

/** A claim code as typed at the desk: case-insensitive, spaces and dashes ignored. */
export const ClaimCode = z
  .string()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[A-HJ-NP-Z2-9]{8}$/, 'claim code'));

// ---------------------------------------------------------------- dashboard

/** `GET /api/dashboard/:contestId`: the event at a glance, for `/admin` (polled every few seconds). */
export interface Dashboard {
  contestId: string;
  title: string;
  /** Server time it was computed. */
  at: number;
  games: GameListing[];
  contestants: {
    total: number;
    byGroup: { group: TargetGroup; players: number }[];
    byUnitKind: { kind: UnitKind; players: number }[];
    /** Every unit of the contest, with its participation rate when it has a headcount. */
    byUnit: {
      unit: string;
      name: string;
      kind: UnitKind;
      players: number;
      headcount: number | null;
      participationRate: number | null;
    }[];
  };
  /** Answers accepted in the last minute, across the contest's games. */
  answersLastMinute: number;
  questions: QuestionStat[];
  /** Knowledge gaps: correct rate per competence area and target group, over scored answers. */
  areas: { area: CompetenceArea; group: TargetGroup; answered: number; correct: number; correctRate: number | null }[];
  /** Correct rate per round, to compare rounds. */
  rounds: {
    roundId: string;
    title: string;
    players: number;
    answered: number;
    correct: number;
    correctRate: number | null;
  }[];
}

// ---------------------------------------------------------------- running games and host takeover

/** `GET /api/running-games` answer, one per game not yet ended: what an organiser needs to pick one to take over. */
export interface RunningGame {
  pin: string;
  contestId: string;
  roundId: string;
  title: string;
  roundTitle: string;
  phase: Phase;
  /** 0-based current question, -1 in the lobby. */
  index: number;
  total: number;
  players: number;
  createdAt: number;
  practice?: boolean;
}

/** `POST /api/games/:pin/takeover` body: why (kept in the audit log), optional. Answer: {@link HostTakeover}. */
export const TakeoverBody = z.object({ reason: z.string().trim().max(200).optional() }).default({});

/**
 * A new host token for a running game. The previous one stops working at once and its consoles get `host:replaced`.
 * Keep it like a created game's token: in the tab's session storage, never in a URL.
 */
export interface HostTakeover {
  pin: string;
  hostToken: string;
  joinUrl: string;
  /** Server time of the takeover. */
  at: number;
}
