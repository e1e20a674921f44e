import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Contest } from '../../../protocol/contest';
import type { ErrorCode } from '../../../protocol/errors';
import { Pin, Token } from '../../../protocol/events';
import { CreateGameBody, LoginBody, type ContestSummary, type GameInfo, type ResultRow } from '../../../protocol/http';
import { hashToken, randomToken, sameToken, verifyPassword } from '../auth';
import { buildRound } from '../game/round';
import { GameError, type LiveGames } from '../live/games';
import type { Metrics } from '../metrics';
import type { AuditLog } from '../organiser/audit';
import type { Store } from '../store/store';
import type { ContestRegistry } from '../contests/registry';

export interface HttpDeps {
  games: LiveGames;
  store: Store;
  contests: Map<string, Contest>;
  /** Where each contest comes from (bundled or uploaded); refreshed before listing and before creating a game. */
  registry?: ContestRegistry;
  contestsDir: string;
  metrics: Metrics;
  organiser: { user: string; passwordHash: string };
  clientDir: string;
  log: { error(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Records logins and game creation (organiser/audit.ts). */
  audit?: AuditLog;
  /** The organisers' tools (results, locks, exports, audit), mounted under /api. */
  organiserApi?: express.Router;
}

const SESSION_MS = 12 * 3600_000;
const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  NOT_AUTHORISED: 401,
  GAME_NOT_FOUND: 404,
  CONTEST_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  RESULTS_LOCKED: 409,
};

function sendError(res: Response, code: ErrorCode, message: string) {
  res.status(STATUS[code] ?? 500).json({ ok: false, error: { code, message } });
}

/** Express 5 passes rejected promises to the error handler; this keeps handlers short. */
type Handler = (req: Request, res: Response) => Promise<unknown>;

const CSV_COLUMNS: (keyof ResultRow)[] = ['rank', 'nickname', 'group', 'unit', 'score', 'correct', 'answered', 'totalTimeMs', 'predictionError', 'lastAnswerAt', 'playerId'];

/** CSV with a UTF-8 BOM so Excel shows Vietnamese diacritics. Cells starting with = + - @ are quoted as text. */
export function resultsCsv(rows: ResultRow[]): string {
  const cell = (v: unknown) => {
    let s = v === undefined || v === null ? '' : String(v);
    if (/^[=+\-@]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function createRouter(deps: HttpDeps) {
  const { games, store, contests } = deps;
  const router = express.Router();
  const loginLimiter = new RateLimiterMemory({ points: 10, duration: 60 });

  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await Promise.race([store.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000))]);
      res.json({ ok: true, store: store.kind });
    } catch (err) {
      res.status(503).json({ ok: false, store: store.kind, error: (err as Error).message });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  const api = express.Router();
  api.use(express.json({ limit: '64kb' }));

  const organiser = async (req: Request) => {
    const token = req.get('authorization')?.match(/^Bearer ([A-Za-z0-9_-]{16,128})$/)?.[1];
    return !!token && (await store.hasSession(hashToken(token)));
  };
  const requireOrganiser = (h: Handler): Handler => async (req, res) => {
    if (!(await organiser(req))) return sendError(res, 'NOT_AUTHORISED', 'organiser login required');
    return h(req, res);
  };

  api.post('/login', async (req, res) => {
    try {
      await loginLimiter.consume(req.ip ?? 'unknown');
    } catch {
      return sendError(res, 'RATE_LIMITED', 'too many login attempts; wait a minute');
    }
    const body = LoginBody.safeParse(req.body);
    if (!body.success) return sendError(res, 'BAD_REQUEST', 'username and password required');
    const ok = body.data.username === deps.organiser.user && (await verifyPassword(body.data.password, deps.organiser.passwordHash));
    if (!ok) {
      deps.log.info({ ip: req.ip, username: body.data.username.slice(0, 100) }, 'login refused');
      await deps.audit?.record({ actor: 'anonymous', action: 'login.refused', ip: req.ip, outcome: 'NOT_AUTHORISED', detail: { username: body.data.username.slice(0, 100) } });
      return sendError(res, 'NOT_AUTHORISED', 'wrong username or password');
    }
    await deps.audit?.record({ actor: `organiser:${deps.organiser.user}`, action: 'login.ok', ip: req.ip });
    const token = randomToken();
    await store.createSession(hashToken(token), SESSION_MS);
    res.json({ token, expiresAt: Date.now() + SESSION_MS });
  });

  api.get(
    '/contests',
    requireOrganiser(async (_req, res) => {
      await deps.registry?.refresh();
      const list: ContestSummary[] = [...contests.values()].map((c) => {
        const upload = deps.registry?.uploadInfo(c.id);
        return {
          id: c.id,
          title: c.title,
          organiser: c.organiser,
          source: upload ? 'uploaded' : 'bundled',
          ...(upload ? { uploadedAt: upload.uploadedAt } : {}),
          rounds: c.rounds.map((r) => ({ id: r.id, title: r.title, mode: r.mode, scoring: r.scoring, questions: buildRound(c, r.id, () => 0)?.questions.length ?? 0 })),
        };
      });
      res.json(list);
    }),
  );

  api.post(
    '/games',
    requireOrganiser(async (req, res) => {
      const body = CreateGameBody.safeParse(req.body);
      if (!body.success) return sendError(res, 'BAD_REQUEST', 'contestId and roundId required');
      // A contest uploaded on another node a moment ago.
      if (!contests.has(body.data.contestId)) await deps.registry?.refresh();
      const created = await games.createGame(body.data.contestId, body.data.roundId, { practice: body.data.practice });
      deps.log.info({ pin: created.pin, ip: req.ip }, 'game created by organiser');
      await deps.audit?.record({ actor: `organiser:${deps.organiser.user}`, action: 'game.created', ip: req.ip, pin: created.pin, detail: body.data });
      res.status(201).json(created);
    }),
  );

  api.get('/games/:pin', async (req, res) => {
    const pin = Pin.safeParse(req.params.pin);
    if (!pin.success) return sendError(res, 'BAD_REQUEST', 'PIN has six digits');
    const { game, contest } = await games.gameInfo(pin.data);
    const info: GameInfo = {
      pin: game.pin,
      title: game.title,
      roundTitle: game.roundTitle,
      privacyNotice: contest?.privacyNotice ?? '',
      groups: ['can-bo', 'hoc-sinh', 'nguoi-lao-dong', 'nguoi-dan'],
      units: contest?.units.map((u) => ({ id: u.id, name: u.name, kind: u.kind })) ?? [],
    };
    res.json(info);
  });

  api.get('/games/:pin/results.:format', async (req, res) => {
    const pin = Pin.safeParse(req.params.pin);
    const format = req.params.format;
    if (!pin.success || (format !== 'json' && format !== 'csv')) return sendError(res, 'BAD_REQUEST', 'GET /api/games/<PIN>/results.json or .csv');
    const { game } = await games.gameInfo(pin.data);
    const hostToken = Token.safeParse(req.query.hostToken);
    const allowed = (await organiser(req)) || (hostToken.success && sameToken(hostToken.data, game.hostTokenHash));
    if (!allowed) return sendError(res, 'NOT_AUTHORISED', 'organiser login or host token required');
    const rows = await games.results(pin.data);
    await deps.audit?.record({ actor: hostToken.success && !(await organiser(req)) ? `host:${pin.data}` : `organiser:${deps.organiser.user}`, action: 'export', ip: req.ip, pin: pin.data, detail: { file: `results.${format}` } });
    if (format === 'json') return res.json(rows);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`ket-qua-${pin.data}.csv`)
      .send(resultsCsv(rows));
  });

  if (deps.organiserApi) api.use(deps.organiserApi);
  api.use((_req, res) => sendError(res, 'BAD_REQUEST', 'no such API route'));
  router.use('/api', api);

  // Contest media: only files inside a known contest's folder.
  router.get('/media/:contestId/:file', (req, res) => {
    const { contestId, file } = req.params as { contestId: string; file: string };
    if (!contests.has(contestId) || !/^[\w.-]{1,120}$/.test(file) || file.startsWith('.') || /\.ya?ml$/i.test(file)) return sendError(res, 'BAD_REQUEST', 'no such file');
    res.sendFile(file, { root: path.resolve(deps.contestsDir, contestId), maxAge: '1h' }, (err) => {
      if (err && !res.headersSent) sendError(res, 'GAME_NOT_FOUND', 'no such file');
    });
  });

  // The Svelte client, with SPA fallback for its routes.
  const index = path.join(deps.clientDir, 'index.html');
  router.use(express.static(deps.clientDir, { index: false, maxAge: '1h' }));
  router.get(/^\/(?:|play|host|admin|join\/\d{6}|screen\/\d{6})\/?$/, (_req, res) => {
    if (!existsSync(index)) return res.status(503).type('text/plain').send('Client not built: run `npm run build:client` (npm start does it).');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof GameError) return sendError(res, err.code, err.message);
    if ((err as { type?: string }).type === 'entity.too.large') return sendError(res, 'BAD_REQUEST', 'body too large');
    if ((err as { type?: string }).type === 'entity.parse.failed') return sendError(res, 'BAD_REQUEST', 'malformed JSON');
    deps.log.error({ err }, 'http handler failed');
    sendError(res, 'INTERNAL', 'internal error');
  });
  return router;
}
