/** The organiser session, read from `Authorization: Bearer <token>`: the one place the header is checked. */
import type { Request, RequestHandler } from 'express';
import { hashToken } from '../auth';
import { GameError } from '../errors';
import type { Store } from '../store/store';

/** The token of `Authorization: Bearer <token>` (an organiser session or a game's host token), if well-formed. */
export function bearerToken(req: Request): string | undefined {
  return req.get('authorization')?.match(/^Bearer ([A-Za-z0-9_-]{16,128})$/)?.[1];
}

export async function hasOrganiserSession(store: Store, req: Request): Promise<boolean> {
  const token = bearerToken(req);
  return !!token && (await store.hasSession(hashToken(token)));
}

/** Lets the request on only with a live organiser session; else `401 NOT_AUTHORISED`. */
export function requireOrganiser(store: Store): RequestHandler {
  return async (req, _res, next) => {
    if (!(await hasOrganiserSession(store, req))) throw new GameError('NOT_AUTHORISED', 'organiser login required');
    next();
  };
}
