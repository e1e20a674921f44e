/**
 * When a game's host token stops working: a day after the game ended (time enough to download its results), or
 * three days after it was created if it never ended. A token copied off a laptop does not open the game forever.
 */
import { sameToken } from './auth';
import { GameError } from './errors';
import { hostTokenHashOf, type GameRecord, type GameState } from './game/state';

export const HOST_TOKEN_AFTER_END_MS = 24 * 3600_000;
export const HOST_TOKEN_UNENDED_MS = 72 * 3600_000;

export function hostTokenExpiresAt(
  game: Pick<GameRecord, 'createdAt'>,
  state: Pick<GameState, 'endedAt'> | null,
): number {
  return state?.endedAt != null ? state.endedAt + HOST_TOKEN_AFTER_END_MS : game.createdAt + HOST_TOKEN_UNENDED_MS;
}

/** Throws NOT_AUTHORISED unless `token` is this game's current host token and has not expired at `now`. */
export function checkHostToken(
  game: Pick<GameRecord, 'createdAt' | 'hostTokenHash'>,
  state: Pick<GameState, 'endedAt' | 'hostTokenHash'> | null,
  token: string,
  now: number,
): void {
  // An organiser's takeover (state.hostTokenHash) revokes the token issued at creation.
  if (!sameToken(token, hostTokenHashOf(game, state))) throw new GameError('NOT_AUTHORISED', 'wrong host token');
  if (now >= hostTokenExpiresAt(game, state)) throw new GameError('NOT_AUTHORISED', 'host token expired');
}
