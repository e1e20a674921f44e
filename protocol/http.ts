import { z } from 'zod';
import { Slug, type TargetGroup, type Unit } from './contest';

/** `POST /api/login` body. Answer: {@link LoginResult}. */
export const LoginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
export interface LoginResult {
  token: string;
  expiresAt: number;
}

/** `POST /api/games` body (organiser bearer token). Answer: {@link CreatedGame}. */
export const CreateGameBody = z.object({ contestId: Slug, roundId: Slug });
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
  rounds: { id: string; title: string; mode: 'live' | 'self-paced'; scoring: 'speed' | 'accuracy'; questions: number }[];
}

/** `GET /api/games/:pin` answer: what a phone needs before joining. */
export interface GameInfo {
  pin: string;
  title: string;
  roundTitle: string;
  privacyNotice: string;
  groups: TargetGroup[];
  units: Pick<Unit, 'id' | 'name' | 'kind'>[];
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
}
