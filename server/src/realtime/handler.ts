// What every socket event goes through: rate limit per socket, zod parse, run, and an ack; and the refusal of unknown event names.
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { Ack } from '../../../protocol/errors';
import { GameError } from '../errors';
import type { Metrics } from '../metrics';

export interface HandlerDeps {
  metrics: Metrics;
  log: { error(obj: object, msg: string): void };
}

/** Rate limits per socket: answers and joins are the ones a bad phone could flood. */
export const LIMITS = {
  answer: { points: 8, durationMs: 2000 },
  join: { points: 6, durationMs: 10_000 },
  host: { points: 30, durationMs: 1000 },
  other: { points: 10, durationMs: 1000 },
};
export type LimitName = keyof typeof LIMITS;

/**
 * Each socket's windows, kept beside the socket (gone with it): a fixed window of `durationMs` from its first
 * request allows `points` requests, as rate-limiter-flexible's memory limiter counted them, without the timer that
 * limiter arms per key and window (one per phone per answer: a timer-list entry and its expiry each time).
 */
const windows = new WeakMap<Socket, Partial<Record<LimitName, { resetAt: number; used: number }>>>();

/** Counts one request of `socket` against `limit`; false once the window's points are spent. */
export function consumeLimit(socket: Socket, limit: LimitName, now = Date.now()): boolean {
  let mine = windows.get(socket);
  if (!mine) windows.set(socket, (mine = {}));
  const w = mine[limit];
  if (!w || now >= w.resetAt) {
    mine[limit] = { resetAt: now + LIMITS[limit].durationMs, used: 1 };
    return true;
  }
  return ++w.used <= LIMITS[limit].points;
}

/** Names each namespace accepts: anything else gets UNKNOWN_EVENT. */
export function refuseUnknownEvents(socket: Socket, known: readonly string[], deps: HandlerDeps) {
  const names = new Set(known);
  socket.onAny((event: string, ...args: unknown[]) => {
    if (names.has(event)) return;
    deps.metrics.badRequests.inc({ code: 'UNKNOWN_EVENT' });
    const ack = args[args.length - 1];
    if (typeof ack === 'function')
      ack({ ok: false, error: { code: 'UNKNOWN_EVENT', message: `unknown event '${String(event).slice(0, 40)}'` } });
  });
}

/**
 * The one wrapper every client event goes through: rate limit, zod parse, run, and answer through the
 * ack with `{ ok, data } | { ok: false, error }`. A handler never sees an unparsed payload; nothing throws out.
 */
export function on<S extends z.ZodType, R>(
  socket: Socket,
  event: string,
  schema: S,
  limit: LimitName,
  deps: HandlerDeps,
  run: (data: z.infer<S>) => Promise<R>,
) {
  socket.on(event, async (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack: (a: Ack<R>) => void = typeof last === 'function' ? (last as (a: Ack<R>) => void) : () => {};
    const payload = typeof last === 'function' ? (args[0] === last ? undefined : args[0]) : args[0];
    const fail = (code: Extract<Ack<R>, { ok: false }>['error']['code'], message: string) =>
      ack({ ok: false, error: { code, message } });
    if (!consumeLimit(socket, limit)) {
      deps.metrics.badRequests.inc({ code: 'RATE_LIMITED' });
      return fail('RATE_LIMITED', 'too many requests; slow down');
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      deps.metrics.badRequests.inc({ code: 'BAD_REQUEST' });
      const issue = parsed.error.issues[0];
      return fail('BAD_REQUEST', `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`.slice(0, 200));
    }
    try {
      ack({ ok: true, data: await run(parsed.data) });
    } catch (err) {
      if (err instanceof GameError) return fail(err.code, err.message);
      deps.log.error({ err, event }, 'handler failed');
      fail('INTERNAL', 'internal error');
    }
  });
}
