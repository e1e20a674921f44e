// The online-round bench, live part: starts Redis (or not: embedded mode) and K server nodes, forks load
// generators (bench/online-worker.ts) that take N contestants through registration, an attempt, answers, submit and
// the result over HTTP, optionally SIGKILLs a node mid-run, then checks every acknowledged answer against what the
// server kept and scored, and that no attempt was scored twice (the round's attempt counter on the public board).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { OnlineBoard } from '../protocol/online';
import { freePort } from '../server/test/free-port';
import { dist, type Dist } from './bench';
import type { ContestantReport, OnlineWorkerInit, OnlineWorkerReport } from './online-worker';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
export const ONLINE_CONTEST = 'bench-online';

export interface OnlineLoadOptions {
  contestants: number;
  /** Contestants mid-attempt at most at once (default: all). */
  concurrent?: number;
  nodes?: number;
  mode?: 'memory' | 'redis';
  /** SIGKILL the last node this long after the first registration (needs 2 nodes, Redis mode). */
  killAfterMs?: number;
  /** Registrations started per second (all workers together). */
  rampPerSec?: number;
  thinkMinMs?: number;
  thinkMaxMs?: number;
  workers?: number;
  log?: (m: string) => void;
}

export interface OnlineLoadResult {
  options: Required<Omit<OnlineLoadOptions, 'log' | 'killAfterMs'>> & { killAfterMs: number | null };
  contestants: { ok: number; failed: number; errors: Record<string, number>; peakMidAttempt: number };
  registerMs: Dist;
  startMs: Dist;
  saveMs: Dist;
  submitToResultMs: Dist & { missing: number };
  answers: { acked: number; lost: number; scoreMismatch: number };
  /** Attempts started, attempts the round's counter holds, and any beyond one per attempt started. */
  attempts: { submitted: number; counted: number; scoredTwice: number };
  resumed: { contestants: number; ms: Dist; answersMissing: number; deadlineChanged: number } | null;
  refusals: Record<string, number>;
  retries: number;
  nodes: { cpuSeconds: number; peakRssMB: number; lagMaxMs: number | null; killed: boolean }[];
  redis: { usedMB: number; perContestantKB: number } | null;
  generatorLagMaxMs: number;
  wallSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every process this bench started (a SIGINT handler stops them: killOnline). */
const running = new Set<ChildProcess>();
const folders = new Set<string>();
export function killOnline() {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of folders) rmSync(d, { recursive: true, force: true });
}
const track = (c: ChildProcess) => {
  running.add(c);
  c.once('exit', () => running.delete(c));
  return c;
};
const folder = (prefix: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  folders.add(d);
  return d;
};

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}
function peakRssMB(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}
const usedMemory = (info: string) => Number(info.match(/^used_memory:(\d+)/m)?.[1] ?? 0);

/** A private redis-server on a free port (nothing saved), and a connection to it. */
export async function startPrivateRedis(): Promise<{ url: string; redis: Redis }> {
  const port = await freePort();
  const dir = folder('cds-online-redis-');
  track(
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    ),
  );
  const url = `redis://127.0.0.1:${port}`;
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  redis.on('error', () => {});
  for (let i = 0; i < 50 && (await redis.ping().catch(() => '')) !== 'PONG'; i++) await sleep(100);
  return { url, redis };
}

/** Max event-loop delay since the last scrape (prom-client resets its histogram on each collect), in ms. */
async function lagMaxMs(url: string): Promise<number | null> {
  const text = await fetch(`${url}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const m = text.match(/^nodejs_eventloop_lag_max_seconds (\S+)/m);
  return m ? Math.round(Number(m[1]) * 1000) : null;
}

export async function runOnlineLoad(opts: OnlineLoadOptions): Promise<OnlineLoadResult> {
  const o = {
    contestants: opts.contestants,
    concurrent: opts.concurrent ?? opts.contestants,
    nodes: opts.nodes ?? 1,
    mode: opts.mode ?? 'redis',
    killAfterMs: opts.killAfterMs ?? null,
    rampPerSec: opts.rampPerSec ?? 100,
    thinkMinMs: opts.thinkMinMs ?? 2000,
    thinkMaxMs: opts.thinkMaxMs ?? 6000,
    workers: opts.workers ?? Math.max(1, Math.min(3, Math.ceil(opts.contestants / 2500))),
  };
  const log = opts.log ?? (() => {});
  if (o.mode === 'memory' && o.nodes !== 1) throw new Error('embedded (memory) mode runs one node');
  if (o.killAfterMs !== null && (o.nodes < 2 || o.mode !== 'redis'))
    throw new Error('--kill-after needs Redis mode and --nodes 2 or more');
  const started = Date.now();
  const procs: ChildProcess[] = [];
  let redis: Redis | undefined;
  try {
    let redisUrl: string | undefined;
    if (o.mode === 'redis') ({ url: redisUrl, redis } = await startPrivateRedis());
    const memBefore = redis ? usedMemory(await redis.info('memory')) : 0;
    const prefix = `cdsonline:${randomBytes(3).toString('hex')}:`;
    const dataDir = folder('cds-online-data-');
    const nodes: { url: string; proc: ChildProcess; cpu0: number; killed: boolean }[] = [];
    for (let k = 0; k < o.nodes; k++) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        ORGANISER_PASSWORD: randomBytes(12).toString('hex'),
        LOG_LEVEL: 'warn',
        CONTESTS_DIR: 'bench/contests',
        REDIS_PREFIX: prefix,
        NODE_ENV: 'production',
        METRICS: 'on',
        // Every simulated phone comes from this one machine.
        ONLINE_REGISTRATIONS_PER_ADDRESS: '10000000',
        ONLINE_REQUESTS_PER_ADDRESS: '100000000',
        DATA_DIR: path.join(dataDir, 'data'),
      };
      delete env.REDIS_URL;
      if (redisUrl) env.REDIS_URL = redisUrl;
      const proc = track(
        spawn(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'ignore', 'pipe'],
        }),
      );
      proc.stderr!.on('data', (d: Buffer) => log(`[node${k}] ${d.toString().trim().slice(0, 300)}`));
      procs.push(proc);
      nodes.push({ url: `http://127.0.0.1:${port}`, proc, cpu0: 0, killed: false });
    }
    for (const n of nodes) {
      for (
        let i = 0;
        !(await fetch(`${n.url}/readyz`).then(
          (r) => r.ok,
          () => false,
        ));
        i++
      ) {
        if (n.proc.exitCode !== null || i > 600) throw new Error(`node ${n.url} did not become ready`);
        await sleep(100);
      }
      n.cpu0 = cpuSeconds(n.proc.pid!);
      await lagMaxMs(n.url); // resets the lag histogram: start-up (tsx compiling) is not the run
    }
    log(`${o.nodes} node(s) ready (${o.mode})`);

    const per = Math.ceil(o.contestants / o.workers);
    const runId = Date.now() % 1_000_000;
    const workers = Array.from({ length: o.workers }, () =>
      track(
        fork(path.join(BENCH, 'online-worker.ts'), [], {
          cwd: ROOT,
          execArgv: ['--import', 'tsx', '--max-old-space-size=2048'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      ),
    );
    procs.push(...workers);
    const reports = Promise.all(
      workers.map(
        (w, k) =>
          new Promise<OnlineWorkerReport>((resolve, reject) => {
            w.on(
              'message',
              (
                m:
                  | { type: 'report'; report: OnlineWorkerReport }
                  | { type: 'error'; message: string }
                  | { type: 'progress'; [k: string]: unknown },
              ) => {
                if (m.type === 'progress') log(`worker ${k}: ${JSON.stringify({ ...m, type: undefined })}`);
                else if (m.type === 'report') resolve(m.report);
                else reject(new Error(m.message));
              },
            );
            w.once('exit', (code) => reject(new Error(`worker ${k} exited with ${code}`)));
            const init: OnlineWorkerInit = {
              urls: nodes.map((n) => n.url),
              contestId: ONLINE_CONTEST,
              roundId: 'mo',
              from: k * per,
              to: Math.min(o.contestants, (k + 1) * per),
              rampPerSec: o.rampPerSec / o.workers,
              concurrent: Math.ceil(o.concurrent / o.workers),
              thinkMinMs: o.thinkMinMs,
              thinkMaxMs: o.thinkMaxMs,
              correctRate: 0.7,
              runId: runId + k,
            };
            w.send(init);
          }),
      ),
    );
    let killTimer: NodeJS.Timeout | undefined;
    if (o.killAfterMs !== null)
      killTimer = setTimeout(() => {
        const victim = nodes[nodes.length - 1]!;
        log(`SIGKILL node ${nodes.length - 1}`);
        victim.killed = true;
        victim.proc.kill('SIGKILL');
      }, o.killAfterMs);
    // Keep sampling the nodes' lag while the run lasts (each scrape covers the time since the last one).
    const lags = nodes.map(() => 0);
    const lagTimer = setInterval(
      () =>
        nodes.forEach(
          (n, k) => !n.killed && void lagMaxMs(n.url).then((v) => v !== null && (lags[k] = Math.max(lags[k]!, v))),
        ),
      5000,
    );
    const all = await reports.finally(() => {
      clearTimeout(killTimer);
      clearInterval(lagTimer);
    });
    log('every contestant done; checking');
    const contestants = all.flatMap((r) => r.contestants);
    const done = contestants.filter((c) => c.result);
    // Every attempt started is scored once: by its contestant's submit or, for one left behind, by its deadline job.
    const submitted = contestants.filter((c) => c.attemptId).length;

    // The round's attempt counter on the public board: exactly one per submitted attempt, or something was scored twice.
    const live = nodes.find((n) => !n.killed)!;
    let board: OnlineBoard | null = null;
    const until = Date.now() + 30_000;
    const since = Date.now();
    while (Date.now() < until) {
      const r = (await fetch(`${live.url}/api/online/${ONLINE_CONTEST}/board`).then((x) => x.json())) as {
        ok: boolean;
        data?: OnlineBoard;
      };
      board = r.data ?? null;
      if (board && board.at > since && (board.rounds[0]?.attempts ?? 0) >= done.length) break;
      await sleep(1000);
    }
    const counted = board?.rounds.find((r) => r.roundId === 'mo')?.attempts ?? 0;

    const lost = (c: ContestantReport) =>
      c.readBack ? Object.entries(c.acked).filter(([q, v]) => c.readBack![q] !== v).length : 0;
    const resumed = contestants.filter((c) => c.resumed);
    const errors: Record<string, number> = {};
    for (const c of contestants) if (c.error) errors[c.error.slice(0, 60)] = (errors[c.error.slice(0, 60)] ?? 0) + 1;
    const refusals: Record<string, number> = {};
    for (const r of all) for (const [k, v] of Object.entries(r.refusals)) refusals[k] = (refusals[k] ?? 0) + v;
    const nodeStats = await Promise.all(
      nodes.map(async (n, k) => ({
        cpuSeconds: Math.round((cpuSeconds(n.proc.pid!) - n.cpu0) * 10) / 10,
        peakRssMB: peakRssMB(n.proc.pid!),
        lagMaxMs: n.killed ? null : Math.max(lags[k]!, (await lagMaxMs(n.url)) ?? 0),
        killed: n.killed,
      })),
    );
    const usedMB = redis ? usedMemory(await redis.info('memory')) : 0;
    return {
      options: o,
      contestants: {
        ok: done.length,
        failed: contestants.length - done.length,
        errors,
        peakMidAttempt: all.reduce((a, r) => a + r.peakMidAttempt, 0),
      },
      registerMs: dist(all.flatMap((r) => r.registerMs)),
      startMs: dist(all.flatMap((r) => r.startMs)),
      saveMs: dist(all.flatMap((r) => r.saveMs)),
      submitToResultMs: {
        ...dist(done.map((c) => c.submitToResultMs!)),
        missing: contestants.filter((c) => c.attemptId && !c.result).length,
      },
      answers: {
        acked: contestants.reduce((a, c) => a + Object.keys(c.acked).length, 0),
        lost: contestants.reduce((a, c) => a + lost(c), 0) + contestants.filter((c) => c.result && !c.readBack).length,
        scoreMismatch: done.filter(
          (c) => c.result!.correct !== c.expectedCorrect || c.result!.answered !== c.expectedAnswered,
        ).length,
      },
      attempts: { submitted, counted, scoredTwice: Math.max(0, counted - submitted) },
      resumed: resumed.length
        ? {
            contestants: resumed.length,
            ms: dist(resumed.map((c) => c.resumed!.ms)),
            answersMissing: resumed.filter((c) => !c.resumed!.answersBack).length,
            deadlineChanged: resumed.filter((c) => !c.resumed!.deadlineKept).length,
          }
        : null,
      refusals,
      retries: all.reduce((a, r) => a + r.retries, 0),
      nodes: nodeStats,
      redis: redis
        ? {
            usedMB: Math.round((usedMB / 2 ** 20) * 10) / 10,
            perContestantKB: Math.round(((usedMB - memBefore) / o.contestants / 1024) * 100) / 100,
          }
        : null,
      generatorLagMaxMs: Math.max(...all.map((r) => r.lagMaxMs)),
      wallSeconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
    await sleep(500);
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    redis?.disconnect();
    killOnline();
  }
}
