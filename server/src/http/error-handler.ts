/**
 * The one express error handler: a GameError becomes its status and `{ ok: false, error: { code, message } }`,
 * a body-parser refusal a BAD_REQUEST, anything else is logged and answered as INTERNAL (never a stack trace).
 */
import type { ErrorRequestHandler } from 'express';
import { GameError } from '../errors';

export function errorHandler(log: { error(obj: object, msg: string): void }): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    const type = (err as { type?: string } | null)?.type;
    const known =
      err instanceof GameError ? err
      : type === 'entity.too.large' ? new GameError('BAD_REQUEST', 'body too large')
      : type === 'entity.parse.failed' ? new GameError('BAD_REQUEST', 'malformed JSON')
      : null;
    if (!known) log.error({ err }, 'http handler failed');
    // Too late for a JSON answer: express ends the response.
    if (res.headersSent) return next(err);
    const e = known ?? new GameError('INTERNAL', 'internal error');
    res.status(e.status).json({ ok: false, error: { code: e.code, message: e.message }, ...e.extra });
  };
}
