// Redis mode locks and exports in a worker thread (organiser/results-thread.ts): the lock, the result set and every
// download must be byte for byte what the node's own thread makes, claims must still reach the winners' phones, and
// a worker that throws or dies mid-lock must give the organiser a clear error and leave no lock behind.
import { unzipSync } from 'fflate';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it, vi } from 'vitest';
import type { AttemptView, Registered } from '../../protocol/online';
import type { Dashboard, ResultScope, ResultSet } from '../../protocol/organiser';
import { GameError } from '../src/errors';
import { EXPORT_TABLES, resultSetCsv, writeResultSetWorkbook } from '../src/organiser/exports';
import { scopeKey, sha256 } from '../src/organiser/results';
import { ResultsThread } from '../src/organiser/results-thread';
import { Redis } from 'ioredis';
import { redisUrl, testPrefix } from './helpers';
import { organiserApi, playLiveGame } from './organiser-api';
import { testServers } from './servers';

const server = testServers('resultsthread', 'server/test/prize-contests');
const onlineServer = testServers('resultsthread-online', 'server/test/online-org-contests');
const CONTEST = 'giai-chung-ket';
const ROUND = 'chung-ket';
const FINAL = `/api/results/round/${CONTEST}/${ROUND}`;
const scope: ResultScope = { kind: 'round', contestId: CONTEST, roundId: ROUND };

/** The final played to the end: An 3 correct, Bình 2, Dũng 1 (no tie at a prize cut). */
async function playedFinal(s: Awaited<ReturnType<typeof server>>, token: string) {
  return playLiveGame(s, token, CONTEST, ROUND, [
    { nickname: 'An', group: 'can-bo', choices: [1, 2, 0] },
    { nickname: 'Bình', group: 'hoc-sinh', choices: [1, 2, 1] },
    { nickname: 'Dũng', group: 'can-bo', choices: [1, 0, 1] },
  ]);
}

const text = async (chunks: AsyncIterable<string>) => {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
};

/** A workbook's files, unzipped (the ZIP itself carries each entry's time of writing). */
const workbookFiles = (bytes: Uint8Array) =>
  Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, Buffer.from(data).toString()]));

describe('results worker thread (redis store)', () => {
  it('locks, serves the set and every download exactly as the node thread makes them; claims reach the winner', async () => {
    const prefix = testPrefix('resultsthread');
    const s = await server('redis', { prefix });
    expect(s.app.resultsThread).toBeDefined();
    const { token, auth, lock } = await organiserApi(s.url, s.organiserPassword);
    const final = await playedFinal(s, token);
    // What the node's own thread computes for the scope, before the lock (the games have ended: nothing changes).
    const computed = await s.app.results.compute(scope);

    const res = await lock(FINAL);
    expect(res.status).toBe(200);
    const answer = await res.text();
    const locked = JSON.parse(answer) as ResultSet;
    // The stored copy's digest is the one of the set as the node computes it; the answer is that set with its lock.
    expect(locked.lock!.sha256).toBe(sha256(JSON.stringify(computed)));
    expect(answer).toBe(JSON.stringify({ ...computed, lock: locked.lock }));
    const stored = await s.app.store.organiser.getLock(scopeKey(scope));
    expect(stored?.sha256).toBe(locked.lock!.sha256);
    expect(sha256(stored!.json)).toBe(locked.lock!.sha256);
    expect(await s.app.store.organiser.isGameLocked(final.pin)).toBe(true);

    // The winner's claim code was issued in the worker and pushed to An's phone by this node.
    const claims = await s.app.claims.list(scopeKey(scope));
    expect(claims.length).toBeGreaterThan(0);
    const an = claims.find((c) => c.nickname === 'An')!;
    await expect
      .poll(() => final.players[0]!.client.events.some((e) => e.event === 'player:claim'), { timeout: 5000 })
      .toBe(true);
    expect(final.players[0]!.client.events.find((e) => e.event === 'player:claim')!.args[0]).toMatchObject({
      code: an.code,
    });

    // GET of the set, every CSV table, the answers and the workbook, against the node's own thread.
    const set = await s.app.results.get(scope);
    const fetched = await fetch(`${s.url}${FINAL}`, { headers: auth });
    expect(await fetched.text()).toBe(JSON.stringify(set));
    for (const table of [...EXPORT_TABLES.filter((t) => t !== 'teams'), 'answers' as const]) {
      const r = await fetch(`${s.url}${FINAL}/${table}.csv`, { headers: auth });
      expect(r.status, table).toBe(200);
      expect(r.headers.get('x-result-sha256'), table).toBe(locked.lock!.sha256);
      const here = await text(resultSetCsv(set, table, table === 'answers' ? s.app.results.answerPages(scope) : []));
      // The bytes (fetch's text() would drop the BOM).
      expect(Buffer.from(await r.arrayBuffer()).toString(), table).toBe(here);
    }
    const wb = await fetch(`${s.url}${FINAL}/workbook.xlsx`, { headers: auth });
    expect(wb.status).toBe(200);
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        chunks.push(chunk);
        done();
      },
    });
    await writeResultSetWorkbook(set, s.app.results.answerPages(scope), sink);
    await finished(sink);
    expect(workbookFiles(new Uint8Array(await wb.arrayBuffer()))).toEqual(workbookFiles(Buffer.concat(chunks)));

    // Past maxWorkers, requests wait their turn and are all answered.
    const one = new ResultsThread({
      config: {
        redisUrl: redisUrl(),
        redisPrefix: prefix,
        contestsDir: 'server/test/prize-contests',
        auditMaxEntries: 1000,
        maxWorkers: 1,
      },
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
    const bodies = await Promise.all(
      [1, 2, 3].map(async () => {
        const { head, body } = await one.run({ kind: 'set', scope });
        expect(head.lock?.sha256).toBe(locked.lock!.sha256);
        return (await body.toArray()).join('');
      }),
    );
    expect(bodies).toEqual([JSON.stringify(set), JSON.stringify(set), JSON.stringify(set)]);

    // A refusal made in the worker reaches the organiser as its code: the scope is locked already.
    const again = await lock(FINAL);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('RESULTS_LOCKED');
    final.close();
  });

  it.each(['throw', 'die'])(
    'a worker that fails storing the lock (%s) gives a clear error and stores no lock; locking again works',
    async (fault) => {
      const prefix = testPrefix(`resultsthread-${fault}`);
      const s = await server('redis', { prefix });
      const { token, lock } = await organiserApi(s.url, s.organiserPassword);
      const final = await playedFinal(s, token);
      const redis = new Redis(redisUrl());
      const failing = new ResultsThread({
        config: {
          redisUrl: redisUrl(),
          redisPrefix: prefix,
          contestsDir: 'server/test/prize-contests',
          auditMaxEntries: 1000,
        },
        entry: new URL('./failing-results-worker.mjs', import.meta.url),
        log: { info: () => {}, warn: () => {}, error: () => {} },
      });
      process.env.RESULTS_WORKER_FAULT = fault;
      let error: unknown;
      try {
        await failing.run({ kind: 'lock', scope, acceptTies: false, actor: 'test', ip: null });
      } catch (err) {
        error = err;
      } finally {
        delete process.env.RESULTS_WORKER_FAULT;
      }
      expect(error).toBeInstanceOf(GameError);
      expect((error as GameError).code).toBe('INTERNAL');
      expect((error as GameError).message).toMatch(fault === 'throw' ? /disk full/ : /stopped \(code 3\)/);
      // Nothing locked: no lock record, no game marked locked; a half-written copy (die) expires on its own.
      expect(await s.app.store.organiser.getLock(scopeKey(scope))).toBeNull();
      expect(await s.app.store.organiser.isGameLocked(final.pin)).toBe(false);
      const writing = await redis.keys(`${prefix}{org}:lock-json-writing:*`);
      expect(writing.length).toBe(fault === 'die' ? 1 : 0);
      for (const key of writing) expect(await redis.pttl(key)).toBeGreaterThan(0);

      // The organiser locks again through the node's own worker.
      const res = await lock(FINAL);
      expect(res.status).toBe(200);
      expect(((await res.json()) as ResultSet).lock?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await s.app.store.organiser.isGameLocked(final.pin)).toBe(true);
      await failing.close();
      redis.disconnect();
      final.close();
    },
  );
});

const ONLINE = 'thi-org';
const MIN = 60_000;
/** From the test clock to past the online round's close, its 10-minute time limit and the grace. */
const pastFinal = () => Date.parse('2099-12-31T23:59+07:00') - Date.now() + 11 * MIN;

/** Registers a contestant and submits the qualifying round's attempt with these answers (option texts) and guess. */
async function onlineAttempt(url: string, n: number, group: string, unit: string, q1: string, guess: number) {
  const call = async <T>(method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${url}/api/online/${ONLINE}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { ok: true; data: T } | { ok: false; error: { code: string } };
    if (!json.ok) throw new Error(`${method} ${path}: ${json.error.code}`);
    return json.data;
  };
  const reg = await call<Registered>('POST', '/register', undefined, {
    fullName: `Người Thi ${n}`,
    phone: `0912 345 ${100 + n}`,
    group,
    unit,
    consent: true,
  });
  const attempt = await call<AttemptView>('POST', '/rounds/vong-loai/attempts', reg.token);
  const pick = (id: string, text: string) => attempt.questions.find((q) => q.id === id)!.options!.indexOf(text);
  const save = (questionId: string, choice: number) =>
    call('PUT', `/attempts/${attempt.id}/answers`, reg.token, { questionId, choice });
  await save('q1', pick('q1', q1));
  await save('q2', pick('q2', 'Đúng'));
  await save('q-du-doan', guess);
  await call('POST', `/attempts/${attempt.id}/submit`, reg.token);
}

/** A dashboard without its time of computing (the two sides read the clock at different moments). */
const figures = ({ at: _at, ...rest }: Dashboard) => rest;

describe('dashboard and prediction fix in the results worker (redis store)', () => {
  it('the dashboard of a contest with an online round is computed in the worker, equal to the node thread; the board fixes the prediction through it', async () => {
    const s = await onlineServer('redis');
    const thread = s.app.resultsThread!;
    // The board ticks when the test says (its timer could run a tick of its own in between).
    await s.app.boards.stop();
    const { auth } = await organiserApi(s.url, s.organiserPassword);
    await onlineAttempt(s.url, 1, 'hoc-sinh', 'don-vi-b', 'B', 2);
    await onlineAttempt(s.url, 2, 'nguoi-dan', 'don-vi-a', 'A', 1);
    await onlineAttempt(s.url, 3, 'nguoi-dan', 'don-vi-a', 'B', 5);
    const tasks = vi.spyOn(thread, 'json');

    const res = await fetch(`${s.url}/api/dashboard/${ONLINE}`, { headers: auth });
    expect(res.status).toBe(200);
    const viaWorker = (await res.json()) as Dashboard;
    expect(tasks.mock.calls.map(([t]) => t)).toEqual([{ kind: 'dashboard', contestId: ONLINE }]);
    const here = await s.app.results.computeDashboard(ONLINE);
    expect(figures(viaWorker)).toEqual(figures(here));
    expect(viaWorker.contestants.total).toBe(3);
    expect(viaWorker.rounds).toEqual([
      expect.objectContaining({ roundId: 'vong-loai', players: 3, answered: 6, correct: 5 }),
    ]);
    // Served from the cache within its TTL: no second worker.
    expect(((await (await fetch(`${s.url}/api/dashboard/${ONLINE}`, { headers: auth })).json()) as Dashboard).at).toBe(
      viaWorker.at,
    );
    expect(tasks).toHaveBeenCalledTimes(1);
    // An unknown contest is refused without a worker.
    expect((await fetch(`${s.url}/api/dashboard/khong-co`, { headers: auth })).status).toBe(404);
    expect(tasks).toHaveBeenCalledTimes(1);

    // Past the round's end, the board's tick fixes the prediction's actual value (2 answered everything right)
    // through the worker, once.
    s.app.onlineStore.shiftClock(pastFinal());
    expect(await s.app.onlineStore.getValue(ONLINE, 'r:vong-loai:prediction')).toBeNull();
    await s.app.boards.tick();
    expect(tasks.mock.calls.slice(1).map(([t]) => t)).toEqual([
      { kind: 'finalise', contestId: ONLINE, roundId: 'vong-loai' },
    ]);
    expect(await s.app.onlineStore.getValue(ONLINE, 'r:vong-loai:prediction')).toBe('2');
    await s.app.boards.tick();
    expect(tasks).toHaveBeenCalledTimes(2);
    // Once final, the dashboard through the worker still equals the node's (prediction errors included).
    s.app.results.forget();
    expect(figures(await s.app.results.dashboard(ONLINE))).toEqual(
      figures(await s.app.results.computeDashboard(ONLINE)),
    );
    tasks.mockRestore();
  });

  it('a failing worker: the dashboard answers a clear error and caches nothing; the board retries the prediction fix', async () => {
    const prefix = testPrefix('resultsthread-online-fail');
    const s = await onlineServer('redis', { prefix });
    await s.app.boards.stop();
    const { auth } = await organiserApi(s.url, s.organiserPassword);
    await onlineAttempt(s.url, 1, 'hoc-sinh', 'don-vi-b', 'B', 2);
    const failing = new ResultsThread({
      config: {
        redisUrl: redisUrl(),
        redisPrefix: prefix,
        contestsDir: 'server/test/online-org-contests',
        auditMaxEntries: 1000,
      },
      entry: new URL('./failing-results-worker.mjs', import.meta.url),
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
    const thread = s.app.resultsThread!;
    // The node's own thread's next task runs in a worker that fails (its entry patches the computation).
    const failOnce = (fault: string) =>
      vi.spyOn(thread, 'json').mockImplementationOnce(async (task) => {
        process.env.RESULTS_WORKER_FAULT = fault;
        try {
          return await failing.json(task);
        } finally {
          delete process.env.RESULTS_WORKER_FAULT;
        }
      });

    failOnce('dashboard');
    const res = await fetch(`${s.url}/api/dashboard/${ONLINE}`, { headers: auth });
    expect(res.status).toBe(500);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/answers unreadable/);
    // The next poll computes again (nothing of the failure was cached) and answers the figures.
    const again = await fetch(`${s.url}/api/dashboard/${ONLINE}`, { headers: auth });
    expect(again.status).toBe(200);
    expect(figures((await again.json()) as Dashboard)).toEqual(figures(await s.app.results.computeDashboard(ONLINE)));
    vi.restoreAllMocks();

    // The worker dies while it reads the round for the prediction fix: the tick fixes nothing, the next one does.
    s.app.onlineStore.shiftClock(pastFinal());
    const tasks = failOnce('finalise');
    await s.app.boards.tick();
    expect(tasks).toHaveBeenCalledTimes(1);
    await expect(tasks.mock.results[0]!.value).rejects.toThrow(/stopped \(code 3\)/);
    expect(await s.app.onlineStore.getValue(ONLINE, 'r:vong-loai:prediction')).toBeNull();
    await s.app.boards.tick();
    expect(tasks).toHaveBeenCalledTimes(2);
    expect(await s.app.onlineStore.getValue(ONLINE, 'r:vong-loai:prediction')).toBe('1');
    vi.restoreAllMocks();
    await failing.close();
  });
});
