import { z } from 'zod';
import { Slug, type TargetGroup, type Unit } from './contest';

/** `POST /api/login` body. Answer: {@link LoginResult}. */
export const LoginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
export interface LoginResult {
  token: string;
  expiresAt: number;
}

/** `POST /api/games` body (organiser bearer token). Answer: {@link CreatedGame}. */
/** `practice`: a rehearsal or test game, left out of round and contest results (can be changed later). */
export const CreateGameBody = z.object({ contestId: Slug, roundId: Slug, practice: z.boolean().optional() });
export interface CreatedGame {
  pin: string;
  hostToken: string;
  joinUrl: string;
}

/** `GET /api/contests` answer, one per contest. */
export interface ContestSummary {
  id: string;
  title: string;
  organiser: string;
  /** `bundled`: from the server's CONTESTS_DIR; `uploaded`: an organiser's spreadsheet (`POST /api/contests/import`). */
  source: 'bundled' | 'uploaded';
  uploadedAt?: number;
  rounds: {
    id: string;
    title: string;
    mode: 'live' | 'self-paced';
    scoring: 'speed' | 'accuracy';
    questions: number;
    /** An online round's `online.qualifiers`: who the organisers invite to a later round (`/api/qualifiers/…`). */
    qualifiers?: { overall?: number; perGroup?: number };
  }[];
}

/** `POST /api/contests/import` answer. On 422 the body is `{ ok: false, error, problems }` instead. */
export interface ContestImportResult {
  ok: true;
  contest: { id: string; title: string; questions: number; rounds: number };
  /** An earlier upload with this id was replaced (games already created keep their own copy of the questions). */
  replaced: boolean;
}

/** A problem in an uploaded workbook, located by sheet, row (1 = header) and column, in Vietnamese. */
export interface ContestImportProblem {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

/** `GET /api/games/:pin` answer: what a phone needs before joining. */
export interface GameInfo {
  pin: string;
  title: string;
  roundTitle: string;
  privacyNotice: string;
  groups: TargetGroup[];
  units: Pick<Unit, 'id' | 'name' | 'kind'>[];
  /** `invited`: only contestants with an invitation code join (the join form asks for it). Absent: open. */
  entry?: 'open' | 'invited';
}

/** One row of `GET /api/games/:pin/results` (JSON; `.csv` gives the same columns). */
export interface ResultRow {
  rank: number;
  playerId: string;
  nickname: string;
  group: TargetGroup;
  unit?: string;
  score: number;
  correct: number;
  answered: number;
  totalTimeMs: number;
  predictionError: number | null;
  lastAnswerAt: number | null;
  /** Online rounds: the contestant had extra time (an accommodation asked for at registration). */
  extraTime?: true;
}
