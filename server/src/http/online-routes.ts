// HTTP JSON routes of online (self-paced) rounds, under /api/online/:contestId. Request/response on any node:
// no sticky sessions. Every body and parameter is parsed with the protocol's zod schemas before use.
import express, { type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import {
  AttemptId,
  ContestantToken,
  OnlineContestId,
  OnlineRoundId,
  RegisterBody,
  ResumeBody,
  SaveAnswerBody,
} from '../../../protocol/online';
import { GameError } from '../errors';
import { errorHandler } from './error-handler';
import type { OnlineBoards } from '../online/board';
import type { OnlineRounds } from '../online/online-rounds';
import { normalisePhone } from '../online/phone';

export interface OnlineRouteDeps {
  online: OnlineRounds;
  /** The public board's snapshots. */
  boards?: OnlineBoards;
  log: { error(obj: object, msg: string): void };
  /** Per client address on this node (config ONLINE_*_PER_ADDRESS). */
  limits?: { registrationsPer10Min: number; requestsPerMinute: number };
}

/** Parses with a schema or throws BAD_REQUEST naming the first problem. */
function parse<T>(
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
  what: string,
): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new GameError(
    'BAD_REQUEST',
    `${what}: ${issue ? `${issue.path.map(String).join('.') || '(value)'} ${issue.message}` : 'invalid'}`,
  );
}

export function createOnlineRouter(deps: OnlineRouteDeps) {
  const { online } = deps;
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));

  // Per address: registration floods and code guessing are the abuse to expect; play itself is light.
  const limits = deps.limits ?? { registrationsPer10Min: 20, requestsPerMinute: 600 };
  const registerLimiter = new RateLimiterMemory({ points: limits.registrationsPer10Min, duration: 600 });
  const resumeLimiter = new RateLimiterMemory({ points: 10, duration: 600 });
  // Per phone number: 6-character codes are guessable only with many tries.
  const codeLimiter = new RateLimiterMemory({ points: 8, duration: 3600 });
  const requestLimiter = new RateLimiterMemory({ points: limits.requestsPerMinute, duration: 60 });

  const limit = async (limiter: RateLimiterMemory, key: string) => {
    try {
      await limiter.consume(key);
    } catch {
      throw new GameError('RATE_LIMITED', 'too many requests; wait a few minutes');
    }
  };
  const bearer = (req: Request) => {
    const raw = req.get('authorization')?.match(/^Bearer (\S+)$/)?.[1];
    return raw && ContestantToken.safeParse(raw).success ? raw : undefined;
  };

  /** Wraps a handler: rate limit per address, parse the contest id; refusals go to the one error handler. */
  const handle =
    (status: number, h: (req: Request, contestId: string, res: Response) => Promise<unknown>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        await limit(requestLimiter, req.ip ?? 'unknown');
        const contestId = parse(OnlineContestId, req.params.contestId, 'contest id');
        res.status(status); // a handler may change it (an attempt already running: 200; a result still pending: 202)
        const data = await h(req, contestId, res);
        res.json({ ok: true, data });
      } catch (err) {
        next(err); // http/error-handler.ts answers it
      }
    };
  const me = (req: Request, contestId: string) => online.authenticate(contestId, bearer(req));

  router.get(
    '/:contestId',
    handle(200, (_req, contestId) => online.info(contestId)),
  );

  // Public board: served from the periodic snapshot (see online/board.ts); a projector polls it every few seconds.
  const boardLimiter = new RateLimiterMemory({ points: 60, duration: 60 });
  router.get(
    '/:contestId/board',
    handle(200, async (req, contestId) => {
      await limit(boardLimiter, req.ip ?? 'unknown');
      const board = await deps.boards?.board(contestId);
      if (!board) throw new GameError('CONTEST_NOT_FOUND', `no board for '${contestId}' (yet)`);
      return board;
    }),
  );

  router.post(
    '/:contestId/register',
    handle(201, async (req, contestId) => {
      await limit(registerLimiter, req.ip ?? 'unknown');
      const raw = (req.body ?? {}) as Record<string, unknown>;
      // Clear codes for the two refusals a form shows next to its field.
      if (raw.consent !== true) throw new GameError('CONSENT_REQUIRED', 'consent must be true');
      if (typeof raw.phone === 'string' && raw.phone.length <= 30 && !normalisePhone(raw.phone))
        throw new GameError('PHONE_INVALID', 'not a Vietnamese mobile number');
      return online.register(contestId, parse(RegisterBody, raw, 'registration'), { address: req.ip });
    }),
  );

  router.post(
    '/:contestId/resume',
    handle(200, async (req, contestId) => {
      await limit(resumeLimiter, req.ip ?? 'unknown');
      const body = parse(ResumeBody, req.body, 'resume');
      await limit(codeLimiter, `${contestId}:${normalisePhone(body.phone) ?? body.phone}`);
      return online.resume(contestId, body);
    }),
  );

  router.get(
    '/:contestId/me',
    handle(200, async (req, contestId) => online.me(contestId, await me(req, contestId))),
  );

  router.post(
    '/:contestId/rounds/:roundId/attempts',
    handle(201, async (req, contestId, res) => {
      const who = await me(req, contestId);
      const roundId = parse(OnlineRoundId, req.params.roundId, 'round id');
      const { created, attempt } = await online.startAttempt(contestId, roundId, who);
      if (!created) res.status(200);
      return attempt;
    }),
  );

  router.get(
    '/:contestId/attempts/:attemptId',
    handle(200, async (req, contestId) =>
      online.readAttempt(contestId, parse(AttemptId, req.params.attemptId, 'attempt id'), await me(req, contestId)),
    ),
  );

  router.put(
    '/:contestId/attempts/:attemptId/answers',
    handle(200, async (req, contestId) => {
      const who = await me(req, contestId);
      return online.saveAnswer(
        contestId,
        parse(AttemptId, req.params.attemptId, 'attempt id'),
        who,
        parse(SaveAnswerBody, req.body, 'answer'),
      );
    }),
  );

  router.post(
    '/:contestId/attempts/:attemptId/submit',
    handle(200, async (req, contestId) =>
      online.submit(contestId, parse(AttemptId, req.params.attemptId, 'attempt id'), await me(req, contestId)),
    ),
  );

  router.get(
    '/:contestId/attempts/:attemptId/result',
    handle(200, async (req, contestId, res) => {
      const reply = await online.result(
        contestId,
        parse(AttemptId, req.params.attemptId, 'attempt id'),
        await me(req, contestId),
      );
      if (reply.status === 'pending') res.status(202);
      return reply;
    }),
  );

  router.use(errorHandler(deps.log));
  return router;
}
