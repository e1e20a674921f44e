/**
 * The one express error handler: a GameError becomes its status and `{ ok: false, error: { code, message } }`,
 * a malformed request (bad JSON, a body too large, an unsupported charset, a path that is not valid %-encoding)
 * a 400 BAD_REQUEST (413 for size) logged at debug — anyone can send those, so they must not flood the log —
 * and anything else is logged as an error and answered as INTERNAL (never a stack trace).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { GameError } from '../errors';

/** What express and body-parser throw for a request they cannot read: http-errors with a 4xx `status`. */
function malformedRequest(err: unknown): { error: GameError; status: number } | null {
  if (!err || typeof err !== 'object') return null;
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (type === 'entity.too.large') return { error: new GameError('BAD_REQUEST', 'body too large'), status: 413 };
  if (type === 'entity.parse.failed') return { error: new GameError('BAD_REQUEST', 'malformed JSON'), status: 400 };
  if (type === 'charset.unsupported' || type === 'encoding.unsupported')
    return { error: new GameError('BAD_REQUEST', 'unsupported charset or encoding'), status: 400 };
  // express's parameter decoding and the static file server mark an undecodable path this way.
  if (err instanceof URIError)
    return { error: new GameError('BAD_REQUEST', 'malformed %-encoding in the path'), status: 400 };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return { error: new GameError('NOT_FOUND', 'not found'), status: 404 };
    return { error: new GameError('BAD_REQUEST', 'malformed request'), status: 400 };
  }
  return null;
}

/**
 * Refuses a path that is not valid %-encoding before any route sees it: the static file server would otherwise
 * pass over it silently and the request would end as a confusing 404.
 */
export const rejectMalformedPath: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch (err) {
    return next(err);
  }
  next();
};

export function errorHandler(log: {
  error(obj: object, msg: string): void;
  debug?(obj: object, msg: string): void;
}): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const malformed = err instanceof GameError ? null : malformedRequest(err);
    if (malformed)
      log.debug?.({ path: req.path.slice(0, 200), reason: (err as Error).message?.slice(0, 200) }, 'malformed request');
    else if (!(err instanceof GameError)) log.error({ err }, 'http handler failed');
    // Too late for a JSON answer: express ends the response.
    if (res.headersSent) return next(err);
    const e = err instanceof GameError ? err : (malformed?.error ?? new GameError('INTERNAL', 'internal error'));
    const retryAfter = e.extra?.retryAfterSec;
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res
      .status(malformed?.status ?? e.status)
      .json({ ok: false, error: { code: e.code, message: e.message }, ...e.extra });
  };
}
