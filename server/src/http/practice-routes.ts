// HTTP JSON routes of practice and badges, under /api/practice/:contestId (public, rate-limited per address), and
// the organisers' figures under /api/practice-stats/:contestId. Every body and parameter is parsed with the
// protocol's zod schemas before use.
import express, { type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { z } from 'zod';
import { Slug } from '../../../protocol/contest';
import { ContestantToken } from '../../../protocol/online';
import { PracticeAnswerBody, PracticeSessionId, StartPracticeBody } from '../../../protocol/practice';
import { GameError } from '../errors';
import type { PracticeService } from '../practice/practice';
import type { Store } from '../store/store';
import { errorHandler } from './error-handler';
import { requireOrganiser } from './session';

export interface PracticeRouteDeps {
  practice: PracticeService;
  log: { error(obj: object, msg: string): void };
}

/** Parses with a schema or throws BAD_REQUEST naming the first problem. */
function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new GameError(
    'BAD_REQUEST',
    `${what}: ${issue ? `${issue.path.join('.') || '(value)'} ${issue.message}` : 'invalid'}`,
  );
}

const bearer = (req: Request) => {
  const raw = req.get('authorization')?.match(/^Bearer (\S+)$/)?.[1];
  return raw && ContestantToken.safeParse(raw).success ? raw : undefined;
};

type Handler = (req: Request, contestId: string, res: Response) => Promise<unknown>;

export function createPracticeRouter(deps: PracticeRouteDeps) {
  const { practice } = deps;
  const router = express.Router();
  router.use(express.json({ limit: '4kb' }));
  // Per address: a phone answers a question every few seconds; starting sessions in bulk is the abuse to expect.
  const requestLimiter = new RateLimiterMemory({ points: 120, duration: 60 });
  const startLimiter = new RateLimiterMemory({ points: 30, duration: 600 });
  const limit = async (limiter: RateLimiterMemory, req: Request) => {
    try {
      await limiter.consume(req.ip ?? 'unknown');
    } catch {
      throw new GameError('RATE_LIMITED', 'too many requests; wait a minute');
    }
  };
  const handle = (status: number, h: Handler) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      await limit(requestLimiter, req);
      const contestId = parse(Slug, req.params.contestId, 'contest id');
      res.status(status);
      res.json({ ok: true, data: await h(req, contestId, res) });
    } catch (err) {
      next(err);
    }
  };
  const sessionId = (req: Request) => parse(PracticeSessionId, req.params.sessionId, 'session id');

  router.get(
    '/:contestId',
    handle(200, (_req, contestId) => practice.info(contestId)),
  );
  router.post(
    '/:contestId/sessions',
    handle(201, async (req, contestId) => {
      await limit(startLimiter, req);
      return practice.start(contestId, parse(StartPracticeBody, req.body ?? {}, 'session'), bearer(req));
    }),
  );
  router.get(
    '/:contestId/sessions/:sessionId',
    handle(200, (req, contestId) => practice.read(contestId, sessionId(req))),
  );
  router.post(
    '/:contestId/sessions/:sessionId/answers',
    handle(200, (req, contestId) =>
      practice.answer(contestId, sessionId(req), parse(PracticeAnswerBody, req.body, 'answer')),
    ),
  );
  router.use(errorHandler(deps.log));
  return router;
}

/** `GET /api/practice-stats/:contestId`: organisers only. */
export function createPracticeStatsRouter(deps: PracticeRouteDeps & { store: Store }) {
  const router = express.Router();
  router.use(requireOrganiser(deps.store));
  router.get('/:contestId', async (req, res) => {
    res.json(await deps.practice.stats(parse(Slug, req.params.contestId, 'contest id')));
  });
  router.use(errorHandler(deps.log));
  return router;
}
