// HTTP JSON routes of practice and badges, under /api/practice/:contestId (public, rate-limited per address), and
// the organisers' figures under /api/practice-stats/:contestId. Every body and parameter is parsed with the
// protocol's zod schemas before use.
import express, { type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { z } from 'zod';
import { Slug, type Contest } from '../../../protocol/contest';
import { Pin } from '../../../protocol/events';
import { ContestantToken } from '../../../protocol/online';
import { PracticeAnswerBody, PracticeSessionId, StartPracticeBody } from '../../../protocol/practice';
import { GameError } from '../errors';
import type { BadgeService } from '../badges/badges';
import { accommodationsReport } from '../online/accommodations';
import type { OnlineRounds } from '../online/online-rounds';
import type { OnlineStore } from '../online/store';
import type { PracticeService } from '../practice/practice';
import type { Store } from '../store/store';
import { errorHandler } from './error-handler';
import { requireOrganiser } from './session';

export interface PracticeRouteDeps {
  practice: PracticeService;
  badges: BadgeService;
  /** Who holds a contestant token (their badges). */
  online: Pick<OnlineRounds, 'authenticate'>;
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
  // Badges: an online contestant's (bearer token) or a phone's practice badges (`?device=`).
  router.get(
    '/:contestId/badges/me',
    handle(200, async (req, contestId) => {
      const token = bearer(req);
      if (token)
        return deps.badges.mine(contestId, { contestantId: (await deps.online.authenticate(contestId, token)).id });
      const device = parse(StartPracticeBody.shape.deviceId, req.query.device, 'device');
      return deps.badges.mine(contestId, { deviceId: device });
    }),
  );
  // The contest's badges and their holders (counts only): the projector's final screen.
  router.get(
    '/:contestId/badges',
    handle(200, (_req, contestId) => deps.badges.counts(contestId)),
  );
  router.use(errorHandler(deps.log));
  return router;
}

/** `GET /api/badges/game/:pin` with the player's reconnect token: a live player's badges, for the final screen. */
export function createGameBadgesRouter(deps: PracticeRouteDeps) {
  const router = express.Router();
  const limiter = new RateLimiterMemory({ points: 60, duration: 60 });
  const countsLimiter = new RateLimiterMemory({ points: 30, duration: 60 });
  // Public: counts only. The projector asks once when the podium shows.
  router.get('/game/:pin/counts', async (req, res) => {
    try {
      await countsLimiter.consume(req.ip ?? 'unknown');
    } catch {
      throw new GameError('RATE_LIMITED', 'too many requests; wait a minute');
    }
    res.json({ ok: true, data: await deps.badges.gameCounts(parse(Pin, req.params.pin, 'pin')) });
  });
  router.get('/game/:pin', async (req, res) => {
    try {
      await limiter.consume(req.ip ?? 'unknown');
    } catch {
      throw new GameError('RATE_LIMITED', 'too many requests; wait a minute');
    }
    const pin = parse(Pin, req.params.pin, 'pin');
    const token = req.get('authorization')?.match(/^Bearer ([A-Za-z0-9_-]{16,128})$/)?.[1];
    if (!token) throw new GameError('TOKEN_INVALID', 'send the reconnect token as Authorization: Bearer');
    res.json({ ok: true, data: await deps.badges.ofPlayer(pin, token) });
  });
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

/**
 * `GET /api/accommodations/:contestId` (organisers): per self-paced round, the contestants whose counting attempt had
 * extra time (asked for at registration), phone masked. Exports carry the same as a column ("Thêm thời gian").
 */
export function createAccommodationsRouter(deps: {
  onlineStore: OnlineStore;
  contests: Map<string, Contest>;
  store: Store;
  log: PracticeRouteDeps['log'];
}) {
  const router = express.Router();
  router.use(requireOrganiser(deps.store));
  router.get('/:contestId', async (req, res) => {
    const contest = deps.contests.get(parse(Slug, req.params.contestId, 'contest id'));
    if (!contest) throw new GameError('CONTEST_NOT_FOUND', 'no such contest');
    res.json(await accommodationsReport(deps.onlineStore, contest));
  });
  router.use(errorHandler(deps.log));
  return router;
}
