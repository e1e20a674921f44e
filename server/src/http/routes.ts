/**
 * The HTTP side: health, readiness and metrics; the public API (organiser login, what a phone needs before joining,
 * a game's results for its host); the organisers' API (./organiser) behind its session; contest media; the built
 * client. Every refusal goes through the one error handler.
 */
import express from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TARGET_GROUPS, type Contest } from '../../../protocol/contest';
import { Pin } from '../../../protocol/events';
import { LoginBody, type GameInfo, type ResultRow } from '../../../protocol/http';
import { hashToken, randomToken, verifyPassword } from '../auth';
import { GameError } from '../errors';
import { checkHostToken } from '../host-token';
import type { LiveGames } from '../live/games';
import type { Metrics } from '../metrics';
import type { AuditLog } from '../organiser/audit';
import { PinLookupLimiter } from '../pin-lookups';
import { toCsv } from '../organiser/csv';
import type { Store } from '../store/store';
import { errorHandler, rejectMalformedPath } from './error-handler';
import { LoginLimiter } from './login-limits';
import { bearerToken, hasOrganiserSession } from './session';

export interface HttpDeps {
  games: LiveGames;
  store: Store;
  contests: Map<string, Contest>;
  contestsDir: string;
  metrics: Metrics;
  organiser: { user: string; passwordHash: string };
  clientDir: string;
  log: {
    error(obj: object, msg: string): void;
    info(obj: object, msg: string): void;
    debug?(obj: object, msg: string): void;
  };
  /** Records logins and results downloads (organiser/audit.ts). */
  audit?: AuditLog;
  /** The organisers' tools (./organiser: games, contests, results, locks, exports, claims, audit), mounted under /api. */
  organiserApi?: express.Router;
  /** Per-address PIN lookup budget, shared with the socket paths that look a PIN up. */
  pinLookups?: PinLookupLimiter;
  loginLimiter?: LoginLimiter;
}

const SESSION_MS = 12 * 3600_000;

/** A game's results as CSV, for its host: these columns, in this order. */
const CSV_COLUMNS: (keyof ResultRow)[] = [
  'rank',
  'nickname',
  'group',
  'unit',
  'score',
  'correct',
  'answered',
  'totalTimeMs',
  'predictionError',
  'lastAnswerAt',
  'playerId',
];

export function createRouter(deps: HttpDeps) {
  const { games, store, contests } = deps;
  const router = express.Router();
  router.use(rejectMalformedPath);
  const loginLimiter = deps.loginLimiter ?? new LoginLimiter();
  const pinLookups = deps.pinLookups ?? new PinLookupLimiter();
  const address = (req: express.Request) => req.ip ?? 'unknown';

  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await Promise.race([
        store.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
      ]);
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

  api.post('/login', async (req, res) => {
    const body = LoginBody.safeParse(req.body);
    await loginLimiter.attempt(address(req), body.success ? body.data.username : '');
    if (!body.success) throw new GameError('BAD_REQUEST', 'username and password required');
    const knownUser = body.data.username === deps.organiser.user;
    const ok = knownUser && (await verifyPassword(body.data.password, deps.organiser.passwordHash));
    if (!ok) {
      await loginLimiter.failed(body.data.username);
      // Never the typed name itself: a password typed into the wrong field would be kept.
      deps.log.info({ ip: req.ip, knownUser }, 'login refused');
      await deps.audit?.record({
        actor: 'anonymous',
        action: 'login.refused',
        ip: req.ip,
        outcome: 'NOT_AUTHORISED',
        detail: { knownUser },
      });
      throw new GameError('NOT_AUTHORISED', 'wrong username or password');
    }
    await loginLimiter.succeeded(body.data.username);
    await deps.audit?.record({ actor: `organiser:${deps.organiser.user}`, action: 'login.ok', ip: req.ip });
    const token = randomToken();
    await store.createSession(hashToken(token), SESSION_MS);
    res.json({ token, expiresAt: Date.now() + SESSION_MS });
  });

  // Ends the organiser session presented in the Authorization header; answers ok whether or not it was live.
  api.post('/session/logout', async (req, res) => {
    const token = bearerToken(req);
    if (!token) throw new GameError('BAD_REQUEST', 'Authorization: Bearer <session token> required');
    await store.deleteSession(hashToken(token));
    res.json({ ok: true });
  });

  api.get('/games/:pin', async (req, res) => {
    const pin = Pin.safeParse(req.params.pin);
    if (!pin.success) throw new GameError('BAD_REQUEST', 'PIN has six digits');
    const { game, contest } = await pinLookups.guard(address(req), () => games.gameInfo(pin.data));
    const info: GameInfo = {
      pin: game.pin,
      title: game.title,
      roundTitle: game.roundTitle,
      privacyNotice: contest?.privacyNotice ?? '',
      groups: [...TARGET_GROUPS],
      units: contest?.units.map((u) => ({ id: u.id, name: u.name, kind: u.kind })) ?? [],
      entry: contest?.rounds.find((r) => r.id === game.roundId)?.entry ?? 'open',
    };
    res.json(info);
  });

  api.get('/games/:pin/results.:format', async (req, res) => {
    const pin = Pin.safeParse(req.params.pin);
    const format = req.params.format;
    if (!pin.success || (format !== 'json' && format !== 'csv'))
      throw new GameError('BAD_REQUEST', 'GET /api/games/<PIN>/results.json or .csv');
    const { game } = await pinLookups.guard(address(req), () => games.gameInfo(pin.data));
    // The organiser's session or the game's host token, both only in the Authorization header: a token in a URL
    // ends up in proxy logs, browser history and Referer headers. `?hostToken=` is not read.
    const organiser = await hasOrganiserSession(store, req);
    const token = bearerToken(req);
    if (!organiser) {
      if (!token)
        throw new GameError('NOT_AUTHORISED', 'organiser login or host token (Authorization: Bearer) required');
      checkHostToken(game, await store.getState(pin.data), token, await store.now());
    }
    const rows = await games.results(pin.data);
    await deps.audit?.record({
      actor: organiser ? `organiser:${deps.organiser.user}` : `host:${pin.data}`,
      action: 'export',
      ip: req.ip,
      pin: pin.data,
      detail: { file: `results.${format}` },
    });
    if (format === 'json') return res.json(rows);
    res.attachment(`ket-qua-${pin.data}.csv`).send(
      toCsv(
        CSV_COLUMNS,
        rows.map((r) => CSV_COLUMNS.map((c) => r[c])),
      ),
    );
  });

  // After the public routes: from here on every /api request needs the organiser session (401 before 'no such route').
  if (deps.organiserApi) api.use(deps.organiserApi);
  api.use(() => {
    throw new GameError('BAD_REQUEST', 'no such API route');
  });
  router.use('/api', api);

  // Contest media: only files inside a known contest's folder.
  router.get('/media/:contestId/:file', (req, res, next) => {
    const { contestId, file } = req.params as { contestId: string; file: string };
    if (!contests.has(contestId) || !/^[\w.-]{1,120}$/.test(file) || file.startsWith('.') || /\.ya?ml$/i.test(file))
      throw new GameError('BAD_REQUEST', 'no such file');
    res.sendFile(file, { root: path.resolve(deps.contestsDir, contestId), maxAge: '1h' }, (err) => {
      if (err && !res.headersSent) next(new GameError('NOT_FOUND', 'no such file'));
    });
  });

  // The Svelte client, with SPA fallback for its routes.
  const index = path.join(deps.clientDir, 'index.html');
  router.use(express.static(deps.clientDir, { index: false, maxAge: '1h' }));
  router.get(
    /^\/(?:|play|host|admin|join\/\d{6}|screen\/\d{6}|thi\/[a-z0-9][a-z0-9-]{0,63}(?:\/bang-xep-hang)?|luyen-tap\/[a-z0-9][a-z0-9-]{0,63})\/?$/,
    (_req, res) => {
      if (!existsSync(index))
        return res
          .status(503)
          .type('text/plain')
          .send('Client not built: run `npm run build:client` (npm start does it).');
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    },
  );

  // Whatever matched nothing: a JSON 404 like every other refusal, not express's HTML page.
  router.use(() => {
    throw new GameError('NOT_FOUND', 'no such page');
  });
  router.use(errorHandler(deps.log));
  return router;
}
