import express, { type Request, type Response } from 'express';
import type { ErrorCode } from '../../../protocol/errors';
import { Pin } from '../../../protocol/events';
import { Slug } from '../../../protocol/contest';
import { AuditQuery, ClaimBody, ClaimCode, LockBody, PracticeBody, type AuditPage, type ResultScope } from '../../../protocol/organiser';
import { listGames } from '../organiser/dashboard';
import { PlayerId } from '../../../protocol/events';
import type { ClaimDesk } from '../organiser/claims';
import { hashToken } from '../auth';
import { GameError } from '../live/games';
import { AUDIT_CSV_COLUMNS, auditTable, type AuditLog } from '../organiser/audit';
import { toCsv } from '../organiser/csv';
import { EXPORT_TABLES, reportWorkbook, resultSetCsv, resultSetWorkbook, type ExportTable } from '../organiser/exports';
import { LockRefused, scopeKey, type OrganiserResults } from '../organiser/results';
import type { Store } from '../store/store';
import type { PurgeReport } from '../organiser/retention';
import type { ContestImportProblem, ContestImportResult } from '../../../protocol/http';
import type { ContestRegistry } from '../contests/registry';
import { contestTemplateWorkbook, exportContestWorkbook, importContestWorkbookInWorker } from '../contests/spreadsheet';

export interface OrganiserRoutesDeps {
  store: Store;
  results: OrganiserResults;
  audit: AuditLog;
  claims: ClaimDesk;
  /** Bundled and uploaded contests; uploads go through it to every node. */
  registry: ContestRegistry;
  organiserUser: string;
  /** Runs the personal-data retention sweep now. */
  purgeExpired: () => Promise<PurgeReport>;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400, NOT_AUTHORISED: 401, GAME_NOT_FOUND: 404, CONTEST_NOT_FOUND: 404, CONFLICT: 409, WRONG_PHASE: 409, RESULTS_LOCKED: 409,
};

function fail(res: Response, code: ErrorCode, message: string, extra: object = {}) {
  res.status(STATUS[code] ?? 500).json({ ok: false, error: { code, message }, ...extra });
}

/**
 * The organisers' REST tools, all behind the organiser session: the games index, results per game / round /
 * contest with prizes and ties, locking, exports (CSV, XLSX) and the audit log. Every export is audited.
 */
export function createOrganiserRouter(deps: OrganiserRoutesDeps) {
  const { store, results, audit } = deps;
  const actor = `organiser:${deps.organiserUser}`;
  const router = express.Router();

  const requireSession: express.RequestHandler = async (req, res, next) => {
    const token = req.get('authorization')?.match(/^Bearer ([A-Za-z0-9_-]{16,128})$/)?.[1];
    if (!token || !(await store.hasSession(hashToken(token)))) return fail(res, 'NOT_AUTHORISED', 'organiser login required');
    next();
  };
  router.use(['/audit', '/audit.csv', '/results', '/claims'], requireSession);

  router.get('/games', requireSession, async (req, res) => {
    res.json(await listGames(store, typeof req.query.contestId === 'string' ? req.query.contestId : undefined));
  });

  // A rehearsal or test game leaves the round's and the contest's results (its own results stay).
  router.post('/games/:pin/practice', requireSession, async (req, res) => {
    const pin = Pin.safeParse(req.params.pin);
    const body = PracticeBody.safeParse(req.body);
    if (!pin.success || !body.success) return fail(res, 'BAD_REQUEST', 'POST /api/games/<pin>/practice { practice: boolean }');
    const record = (outcome?: ErrorCode) =>
      audit.record({ actor, action: 'game.practice', ip: req.ip ?? null, pin: pin.data, detail: { practice: body.data.practice }, ...(outcome ? { outcome } : {}) });
    // A locked set never changes: a game inside one stays as it was locked.
    if (await store.organiser.isGameLocked(pin.data)) {
      await record('RESULTS_LOCKED');
      return fail(res, 'RESULTS_LOCKED', 'this game is in locked results');
    }
    if (!(await store.organiser.setPractice(pin.data, body.data.practice))) {
      await record('GAME_NOT_FOUND');
      return fail(res, 'GAME_NOT_FOUND', 'no such game');
    }
    await record();
    results.forget();
    res.json({ ok: true, practice: body.data.practice });
  });

  // The sweep also runs hourly on every node; this runs it now (e.g. right after changing a retention period).
  router.post('/retention/purge', requireSession, async (req, res) => {
    const report = await deps.purgeExpired();
    await audit.record({ actor, action: 'retention.purge', ip: req.ip ?? null, detail: { games: report.games.length, players: report.players } });
    res.json(report);
  });

  router.get('/dashboard/:contestId', requireSession, async (req, res) => {
    const contestId = Slug.safeParse(req.params.contestId);
    if (!contestId.success) return fail(res, 'BAD_REQUEST', 'malformed contest id');
    res.json(await results.dashboard(contestId.data));
  });

  router.get('/report/:contestId', requireSession, async (req, res) => {
    const m = /^([a-z0-9][a-z0-9-]{0,63})\.xlsx$/.exec(String(req.params.contestId));
    if (!m) return fail(res, 'BAD_REQUEST', 'GET /api/report/<contestId>.xlsx');
    const dashboard = await results.dashboard(m[1]!);
    await audit.record({ actor, action: 'export', ip: req.ip ?? null, detail: { file: `report-${m[1]}.xlsx` } });
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`bao-cao-${m[1]}.xlsx`).send(await reportWorkbook(dashboard));
  });

  // Contests as spreadsheets: the template to fill in, any contest as a workbook to edit, and the upload.
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  router.get('/contest-template.xlsx', requireSession, async (_req, res) => {
    res.type(XLSX).attachment('mau-cuoc-thi.xlsx').send(await contestTemplateWorkbook());
  });
  router.get('/contests/:file', requireSession, async (req, res) => {
    const m = /^([a-z0-9][a-z0-9-]{0,63})\.xlsx$/.exec(String(req.params.file));
    const contest = m ? deps.registry.all.get(m[1]!) : undefined;
    if (!contest) return fail(res, 'CONTEST_NOT_FOUND', 'GET /api/contests/<contestId>.xlsx of a known contest');
    res.type(XLSX).attachment(`${contest.id}.xlsx`).send(await exportContestWorkbook(contest));
  });
  router.post('/contests/import', requireSession, express.raw({ type: () => true, limit: '10mb' }), async (req, res) => {
    const ip = req.ip ?? null;
    const refuse = async (problems: ContestImportProblem[]) => {
      await audit.record({ actor, action: 'contest.upload', ip, outcome: 'BAD_REQUEST', detail: { problems: problems.length, first: problems[0]?.message.slice(0, 200) ?? null } });
      res.status(422).json({ ok: false, error: { code: 'BAD_REQUEST', message: `${problems.length} lỗi trong tệp` }, problems: problems.slice(0, 200) });
    };
    if (!Buffer.isBuffer(req.body) || !req.body.length) return refuse([{ sheet: '', row: 0, column: '', message: 'gửi tệp .xlsx làm nội dung yêu cầu' }]);
    const imported = await importContestWorkbookInWorker(req.body);
    if (!imported.ok) return refuse(imported.problems);
    const saved = await deps.registry.upload(imported.contest, actor, Date.now());
    if (!saved.ok) return refuse([{ sheet: '', row: 0, column: 'id', message: saved.message }]);
    const c = imported.contest;
    await audit.record({ actor, action: 'contest.upload', ip, detail: { contestId: c.id, replaced: saved.replaced, questions: c.questions.length } });
    const result: ContestImportResult = { ok: true, contest: { id: c.id, title: c.title, questions: c.questions.length, rounds: c.rounds.length }, replaced: saved.replaced };
    res.json(result);
  });

  // Only an upload nobody played yet can go: results, exports and locks of its games need it.
  router.delete('/contests/:id', requireSession, async (req, res) => {
    const id = Slug.safeParse(req.params.id);
    if (!id.success) return fail(res, 'BAD_REQUEST', 'malformed contest id');
    const refuse = async (code: ErrorCode, message: string) => {
      await audit.record({ actor, action: 'contest.delete', ip: req.ip ?? null, outcome: code, detail: { contestId: id.data } });
      fail(res, code, message);
    };
    const source = deps.registry.source(id.data);
    if (!source) return refuse('CONTEST_NOT_FOUND', 'no such contest');
    if (source === 'bundled') return refuse('CONFLICT', 'a bundled contest is removed from CONTESTS_DIR, not here');
    const games = await store.organiser.listGames(id.data);
    if (games.length) return refuse('CONFLICT', `${games.length} game(s) were created for this contest: its results need it`);
    await deps.registry.remove(id.data);
    await audit.record({ actor, action: 'contest.delete', ip: req.ip ?? null, detail: { contestId: id.data } });
    res.json({ ok: true });
  });

  router.get('/audit', async (req, res) => {
    const q = AuditQuery.safeParse(req.query);
    if (!q.success) return fail(res, 'BAD_REQUEST', 'after and limit (1–1000) are numbers');
    const entries = await audit.list(q.data.after, q.data.limit);
    await audit.record({ actor, action: 'audit.read', ip: req.ip ?? null, detail: { after: q.data.after, count: entries.length } });
    const page: AuditPage = { entries, next: entries.length === q.data.limit ? q.data.after + entries.length : null };
    res.json(page);
  });

  router.get('/audit.csv', async (req, res) => {
    const entries = await audit.all();
    await audit.record({ actor, action: 'export', ip: req.ip ?? null, detail: { file: 'audit.csv', entries: entries.length } });
    res.type('text/csv; charset=utf-8').attachment('nhat-ky.csv').send(toCsv(AUDIT_CSV_COLUMNS, auditTable(entries)));
  });

  // Winners' claims: the desk enters a code, then records the winner's personal data once.
  const code = (req: Request) => {
    const c = ClaimCode.safeParse(req.params.code);
    if (!c.success) throw new GameError('BAD_REQUEST', 'a claim code has 8 letters and digits');
    return c.data;
  };
  router.get('/claims', async (req, res) => {
    res.json(await deps.claims.list(typeof req.query.scope === 'string' ? req.query.scope : undefined));
  });
  router.get('/claims/:code', async (req, res) => {
    res.json(await deps.claims.lookup(code(req), actor, req.ip ?? null));
  });
  router.post('/claims/:code', express.json({ limit: '4kb' }), async (req, res) => {
    const body = ClaimBody.safeParse(req.body);
    if (!body.success) return fail(res, 'BAD_REQUEST', `${body.error.issues[0]?.path.join('.')}: ${body.error.issues[0]?.message}`);
    res.json(await deps.claims.complete(code(req), body.data, actor, req.ip ?? null));
  });
  router.delete('/games/:pin/players/:playerId/personal-data', requireSession, async (req, res) => {
    const pin = Pin.safeParse(req.params.pin);
    const playerId = PlayerId.safeParse(req.params.playerId);
    if (!pin.success || !playerId.success) return fail(res, 'BAD_REQUEST', 'malformed PIN or player id');
    res.json(await deps.claims.deletePersonalData(pin.data, playerId.data, actor, req.ip ?? null));
  });

  const scoped = (parse: (params: Record<string, string>) => ResultScope | null) => {
    const r = express.Router({ mergeParams: true });
    const scopeOf = (req: Request) => {
      const scope = parse(req.params as Record<string, string>);
      if (!scope) throw new GameError('BAD_REQUEST', 'malformed PIN, contest or round id');
      return scope;
    };
    r.get('/', async (req, res) => {
      res.json(await results.get(scopeOf(req)));
    });
    r.post('/lock', express.json({ limit: '4kb' }), async (req, res) => {
      const body = LockBody.safeParse(req.body ?? {});
      if (!body.success) return fail(res, 'BAD_REQUEST', '{ acceptTies?: boolean }');
      try {
        res.json(await results.lock(scopeOf(req), { acceptTies: body.data.acceptTies, actor, ip: req.ip ?? null }));
      } catch (err) {
        if (err instanceof LockRefused) return fail(res, err.code, err.message, err.ties ? { ties: err.ties } : {});
        throw err;
      }
    });
    r.get('/:file', async (req, res, next) => {
      const m = /^(\w+)\.(csv|xlsx)$/.exec(String(req.params.file));
      const table = m?.[1] as ExportTable | 'answers' | 'workbook' | undefined;
      if (!m || !(table === 'workbook' ? m[2] === 'xlsx' : m[2] === 'csv' && (table === 'answers' || EXPORT_TABLES.includes(table as ExportTable)))) return next();
      const scope = scopeOf(req);
      const set = await results.get(scope);
      const name = `ket-qua-${scopeKey(scope).replace(/:/g, '-')}-${m[1]}.${m[2]}`;
      await audit.record({
        actor, action: 'export', ip: req.ip ?? null, ...(scope.kind === 'game' ? { pin: scope.pin } : {}),
        detail: { scope: scopeKey(scope), file: String(req.params.file), sha256: set.lock?.sha256 ?? null },
      });
      if (set.lock) res.setHeader('X-Result-Sha256', set.lock.sha256);
      const answers = table === 'answers' || table === 'workbook' ? await results.answers(scope) : [];
      if (m[2] === 'csv') return res.type('text/csv; charset=utf-8').attachment(name).send(resultSetCsv(set, table as ExportTable | 'answers', answers));
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(name).send(await resultSetWorkbook(set, answers));
    });
    return r;
  };

  const pin = (p: Record<string, string>) => (Pin.safeParse(p.pin).success ? p.pin! : null);
  const slug = (s?: string) => (Slug.safeParse(s).success ? s! : null);
  router.use('/results/game/:pin', scoped((p) => (pin(p) ? { kind: 'game', pin: pin(p)! } : null)));
  router.use('/results/round/:contestId/:roundId', scoped((p) => (slug(p.contestId) && slug(p.roundId) ? { kind: 'round', contestId: p.contestId!, roundId: p.roundId! } : null)));
  router.use('/results/contest/:contestId', scoped((p) => (slug(p.contestId) ? { kind: 'contest', contestId: p.contestId! } : null)));
  return router;
}
