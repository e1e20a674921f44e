import { z } from 'zod';
import { TargetGroup, Slug, type QuestionType, type TargetGroup as TargetGroupT } from './contest';
import type { Ack } from './errors';

import { NICKNAME_MAX, PIN_LENGTH } from './names';

// Names and limits live in a zod-free module so the browser bundle can import them without zod.
export { NAMESPACES, EVENTS, NICKNAME_MAX } from './names';

/** A game's PIN: six digits, unique among live games. */
export const Pin = z.string().regex(new RegExp(`^\\d{${PIN_LENGTH}}$`), `PIN has ${PIN_LENGTH} digits`);
/** Reconnect and host tokens: opaque, URL-safe, server-issued. */
export const Token = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'malformed token');
export const PlayerId = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/, 'malformed player id');
/** A phone's own random id (see `JoinPayload.device`). */
export const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'malformed device id');
/** Where a join burst came from: a hash of the client address, never the address itself. */
export const OriginKey = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/, 'malformed origin');

// ---------------------------------------------------------------- client → server payloads

/** `player:join` — join a game by PIN. Ack: {@link JoinResult}. */
export const JoinPayload = z.object({
  pin: Pin,
  /** 1–24 characters after trimming; unique in the game (case- and diacritic-insensitive). */
  nickname: z.string().max(200),
  group: TargetGroup,
  unit: Slug.optional(),
  /** The contestant ticked the consent box (never pre-ticked). */
  consent: z.literal(true, { error: 'consent required' }),
  /** An invitation code: required by a round open to invited contestants only (`entry: invited`). */
  invitation: z.string().trim().max(20).optional(),
  /**
   * A random id the phone keeps in localStorage: one device joins a game once, and a kicked device cannot come
   * back under a new name. Optional (older clients), but a join without one cannot be told apart from a bot's.
   */
  device: DeviceId.optional(),
});
export type JoinPayload = z.infer<typeof JoinPayload>;

/** `player:resume` — come back after a reload or a network change. Ack: {@link JoinResult}. */
export const ResumePayload = z.object({ pin: Pin, token: Token });
export type ResumePayload = z.infer<typeof ResumePayload>;

/**
 * A choice: an option index (single, true/false — 0 = true, 1 = false — and poll),
 * a list of option indexes (multiple), or a number (numeric).
 */
export const Choice = z.union([z.number().finite(), z.array(z.number().int().min(0).max(9)).min(1).max(10)]);
export type Choice = z.infer<typeof Choice>;

/** `answer:submit` — answer the open question. Ack: {@link AnswerResult}. The first answer counts. */
export const AnswerPayload = z.object({
  questionIndex: z.number().int().min(0).max(999),
  choice: Choice,
});
export type AnswerPayload = z.infer<typeof AnswerPayload>;

/** `clock:sync` — measure the offset to the server clock. Ack: {@link ClockResult}. */
export const ClockPayload = z.object({ clientTime: z.number().finite() }).optional();

/** `host:attach` — take control of a game. Ack: {@link HostSnapshot}. */
export const HostAttachPayload = z.object({ pin: Pin, hostToken: Token });

/** `host:command` — every command is checked against the host token and the current phase. Ack: {@link PhaseView}. */
export const HostCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start') }),
  z.object({ type: z.literal('next') }),
  z.object({ type: z.literal('close') }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('add-time'), seconds: z.number().int().min(1).max(120) }),
  z.object({ type: z.literal('lock') }),
  z.object({ type: z.literal('unlock') }),
  z.object({ type: z.literal('kick'), playerId: PlayerId }),
  /** Kicks every player of one join burst (see {@link JoinBurst}): those who joined from `origin` between `from` and `to`. */
  z.object({
    type: z.literal('kick-burst'),
    origin: OriginKey,
    from: z.number().int().min(0),
    to: z.number().int().min(0),
  }),
  z.object({ type: z.literal('end') }),
]);
export type HostCommand = z.infer<typeof HostCommand>;

/** `host:players` — list players, optionally filtered by nickname. Ack: {@link PlayerSummary}[]. */
export const HostPlayersPayload = z.object({ query: z.string().max(NICKNAME_MAX).optional() }).optional();

/** `host:bursts` — the join bursts of this game (many players from one address in a few seconds). Ack: {@link JoinBurst}[]. */
export const HostBurstsPayload = z.object({}).optional();

/** `screen:attach` — a read-only projector view of a game. Ack: {@link PhaseView}. */
export const ScreenAttachPayload = z.object({ pin: Pin });

// ---------------------------------------------------------------- server → client payloads

export const PHASES = ['lobby', 'open', 'closed', 'reveal', 'leaderboard', 'podium', 'ended'] as const;
export type Phase = (typeof PHASES)[number];

/** A question as contestants see it while it is open: never its correct answer. */
export interface PublicQuestion {
  id: string;
  type: QuestionType;
  text: string;
  /** Option texts (true/false questions get ["Đúng", "Sai"]); absent for numeric. */
  options?: string[];
  /** For numeric questions: the accepted range and unit. */
  min?: number;
  max?: number;
  unit?: string;
  image?: { src: string; alt: string };
  timeLimitSec: number;
  points: number;
}

/** What everyone learns when a question is revealed. */
export interface Reveal {
  /** Correct option indexes (single, true/false, multiple); empty for poll and numeric. */
  correctOptions: number[];
  /** The exact answer of a numeric question. */
  answer?: number;
  explanation: string;
  source: { title: string; url?: string };
  /** How many chose each option (choice questions). */
  distribution: number[];
  answered: number;
  correctCount: number;
}

export interface LeaderRow {
  rank: number;
  playerId: string;
  /** The nickname as the player chose it (never masked: see docs/contests.md, "Names"). */
  nickname: string;
  group: TargetGroupT;
  unit?: string;
  /** The unit's name from the contest, so the podium can show it beside the winner's nickname. */
  unitName?: string;
  score: number;
  correct: number;
}

export interface UnitRow {
  rank: number;
  unit: string;
  name: string;
  players: number;
  averageScore: number;
}

/** A unit on a unit round's board (docs/contests.md, "Unit rounds"). */
export interface UnitTeamRow {
  /** Null: fewer players than the round's `minPlayers`, shown but not ranked. */
  rank: number | null;
  /** Equal in score with another ranked unit. */
  tied: boolean;
  unit: string;
  name: string;
  players: number;
  /** The average of the members' scores, or the sum of the best `n`, in points. */
  score: number;
}

/** A unit round's board: every unit that played, ranked units first. */
export interface UnitBoard {
  score: 'average' | 'bestN';
  n?: number;
  minPlayers: number;
  rows: UnitTeamRow[];
}

interface PhaseBase {
  pin: string;
  /** Increases with every state change: ignore a view older than the one you have. */
  seq: number;
  title: string;
  roundTitle: string;
  /** 0-based index of the current question, -1 in the lobby. */
  index: number;
  total: number;
  players: number;
  locked: boolean;
  scoring: 'speed' | 'accuracy';
}

/** `game:state` — the game's phase as this audience may see it. */
export type PhaseView = PhaseBase &
  (
    | { phase: 'lobby' }
    | {
        phase: 'open';
        question: PublicQuestion;
        /** Server clock (ms since epoch) at which answers stop being accepted; null while paused. */
        deadline: number | null;
        /** Milliseconds left when the view was made. */
        remainingMs: number;
        paused: boolean;
        /**
         * "Get ready": server clock (ms) at which the options open and answers are taken (`NOT_OPEN_YET` before). Until
         * then show the question's text and a countdown, not its options. The answer timer starts here.
         */
        opensAt?: number;
        /** Milliseconds until `opensAt` when the view was made (0 once open). */
        readyMs?: number;
      }
    | { phase: 'closed'; question: PublicQuestion }
    | {
        phase: 'reveal';
        question: PublicQuestion;
        reveal: Reveal;
        /**
         * Phones only, after a question that can change scores: the first rows of the leaderboard as this question
         * left it. Phones get no `leaderboard` view while the game runs: this board comes with the reveal instead
         * (one message fewer per phone); a phone that resumes during the leaderboard gets that view.
         */
        top?: LeaderRow[];
      }
    | {
        phase: 'leaderboard';
        top: LeaderRow[];
        /** Host and screen only: top players per target group, and units ranked by average score. */
        byGroup?: Partial<Record<TargetGroupT, LeaderRow[]>>;
        byUnit?: UnitRow[];
        /** Host and screen only, in a unit round. */
        unitBoard?: UnitBoard;
      }
    | {
        phase: 'podium' | 'ended';
        top: LeaderRow[];
        byGroup?: Partial<Record<TargetGroupT, LeaderRow[]>>;
        byUnit?: UnitRow[];
        unitBoard?: UnitBoard;
      }
  );

/** A contestant's own standing. */
export interface PlayerStanding {
  playerId: string;
  nickname: string;
  group: TargetGroupT;
  unit?: string;
  score: number;
  streak: number;
  correct: number;
  /** 1-based rank in the game, null before the first scored question. */
  rank: number | null;
}

/** `player:result` — sent to each contestant after a question is scored. */
export interface PlayerResult {
  questionIndex: number;
  answered: boolean;
  correct: boolean;
  pointsGained: number;
  streakBonus: number;
  standing: PlayerStanding;
  players: number;
  /**
   * The reveal itself (`phase: 'reveal'`), when the result is pushed as the question is scored: contestants get no
   * separate `game:state` for it. Absent in `JoinResult.lastResult` (the state travels beside it there).
   */
  state?: PhaseView;
}

/** Ack of `player:join` and `player:resume`. Keep `token` to resume; never show or share it. */
export interface JoinResult {
  token: string;
  me: PlayerStanding;
  state: PhaseView;
  /** Set when the open question was already answered by this player. */
  answered: boolean;
  /** The personal result of the last scored question, when the phase is reveal. */
  lastResult?: PlayerResult;
  serverTime: number;
  /** Prizes this player won in locked results, with the codes to show at the organisers' desk. */
  claims?: ClaimNotice[];
}

/** `player:claim` (server → the winner's phone), and in `JoinResult.claims` after a resume. */
export interface ClaimNotice {
  /** 8 characters from an unambiguous alphabet; the desk types it in. */
  code: string;
  /** The prize's label from the contest file, e.g. "Giải Nhất". */
  label: string;
  /** `individual` or `group` (a target group's prize). */
  scope: 'individual' | 'group';
}

/** Ack of `answer:submit`. */
export interface AnswerResult {
  questionIndex: number;
  /** Milliseconds from the question's opening to the answer's arrival, on the server clock. */
  elapsedMs: number;
}

/** Ack of `clock:sync`: the server clock when the request arrived. */
export interface ClockResult {
  serverTime: number;
  clientTime?: number;
}

/** `game:answers` — throttled to a few per second per game, to host and screen. */
export interface AnswersUpdate {
  questionIndex: number;
  answered: number;
  players: number;
}

export interface PlayerSummary {
  playerId: string;
  nickname: string;
  group: TargetGroupT;
  unit?: string;
  connected?: boolean;
}

/** `game:players` — throttled: count and the latest joiners (to host and screen; count only to phones). */
export interface PlayersUpdate {
  count: number;
  recent?: PlayerSummary[];
}

/**
 * Many players joined from one client address within a few seconds: bots, or a hall behind one Wi-Fi router. The
 * host decides; `kick-burst` with the same `origin`, `from` and `to` removes them all.
 */
export interface JoinBurst {
  origin: string;
  count: number;
  /** Server clock of the first and the last join in the burst. */
  from: number;
  to: number;
  /** A few of the nicknames, for the host to recognise the burst. */
  sample: string[];
}

/** Ack of `screen:attach`: the projector shows the server's join link in its QR, whoever opened it. */
export interface ScreenSnapshot {
  state: PhaseView;
  joinUrl: string;
  answered: number;
}

/** Ack of `host:attach`. */
export interface HostSnapshot {
  state: PhaseView;
  players: PlayerSummary[];
  joinUrl: string;
  answered: number;
}

// ---------------------------------------------------------------- typed event maps

type AckFn<T> = (ack: Ack<T>) => void;

/** Events a contestant's socket may emit (namespace /play). */
export interface PlayClientEvents {
  'player:join': (payload: JoinPayload, ack: AckFn<JoinResult>) => void;
  'player:resume': (payload: ResumePayload, ack: AckFn<JoinResult>) => void;
  'answer:submit': (payload: AnswerPayload, ack: AckFn<AnswerResult>) => void;
  'clock:sync': (payload: { clientTime: number } | undefined, ack: AckFn<ClockResult>) => void;
}
export interface PlayServerEvents {
  'game:state': (view: PhaseView) => void;
  'game:players': (update: PlayersUpdate) => void;
  'player:result': (result: PlayerResult) => void;
  'player:kicked': () => void;
}
export interface HostClientEvents {
  'host:attach': (payload: z.infer<typeof HostAttachPayload>, ack: AckFn<HostSnapshot>) => void;
  'host:command': (payload: HostCommand, ack: AckFn<PhaseView>) => void;
  'host:players': (payload: { query?: string } | undefined, ack: AckFn<PlayerSummary[]>) => void;
  'host:bursts': (payload: Record<string, never> | undefined, ack: AckFn<JoinBurst[]>) => void;
  'clock:sync': (payload: { clientTime: number } | undefined, ack: AckFn<ClockResult>) => void;
}
export interface ViewerServerEvents {
  'game:state': (view: PhaseView) => void;
  'game:answers': (update: AnswersUpdate) => void;
  'game:players': (update: PlayersUpdate) => void;
}
export interface ScreenClientEvents {
  'screen:attach': (payload: z.infer<typeof ScreenAttachPayload>, ack: AckFn<ScreenSnapshot>) => void;
  'clock:sync': (payload: { clientTime: number } | undefined, ack: AckFn<ClockResult>) => void;
}

/** `host:replaced` — an organiser took this game over from another console: this one's host token no longer works. */
export interface HostReplaced {
  pin: string;
  /** Server time of the takeover. */
  at: number;
}

/** Events a host console receives (namespace /host). */
export interface HostServerEvents extends ViewerServerEvents {
  'host:replaced': (notice: HostReplaced) => void;
}
