// The benchmark orchestrator: starts Redis (optionally) and K server nodes, creates a game as a host
// through the public protocol, forks load-generator workers (bench/worker.ts) that drive N contestants,
// runs the whole game, then checks every acknowledged answer against the final results.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { PHASES, type PhaseView } from '../protocol/events';
import type { ResultRow } from '../protocol/http';
import { deleteKeysWithPrefix } from '../server/src/store/redis';
import { freePort } from '../server/test/free-port';
import type { FromWorker, ToWorker, WorkerReport } from './types';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');

export interface BenchOptions {
  players: number;
  nodes?: number;
  mode?: 'memory' | 'redis';
  questions?: number;
  /** Fraction of contestants that drop and resume during each question. */
  churn?: number;
  /** SIGKILL the last node this long after question `killNodeAt` (0-based) opens. */
  killNodeAt?: number;
  killDelayMs?: number;
  /** Which node dies: 'host' (node 0: the host's node, which opened the question and enqueued its deadline job; default) or 'other' (the last node). */
  killTarget?: 'host' | 'other';
  /** Probability that a contestant does not answer a question (so questions close on their deadline). */
  skipRate?: number;
  /** Use this Redis (with a unique key prefix, deleted afterwards) instead of starting a private redis-server. */
  redisUrl?: string;
  workers?: number;
  /** The contestants' client: socket.io-client (default) or bench/raw-socket.ts. */
  client?: 'socket.io' | 'raw';
  joinRate?: number;
  thinkMinMs?: number;
  thinkMaxMs?: number;
  /** Write a V8 CPU profile per node into this directory (node --cpu-prof). */
  cpuProfDir?: string;
  /** CPU list (taskset -c) for the server nodes, and for Redis and the generator workers: gives the nodes cores of their own. */
  pinNodes?: string;
  pinOthers?: string;
  /**
   * The last node runs the queued jobs (closing and scoring) and holds no phones; the others hold the phones
   * and the host with JOB_WORKERS=false — the topology docs/operations.md recommends for a big hall.
   */
  jobNode?: boolean;
  /** Hard limit for the whole run. */
  timeoutMs?: number;
  log?: (msg: string) => void;
}

export interface Dist {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface BenchResult {
  options: Required<Omit<BenchOptions, 'redisUrl' | 'cpuProfDir' | 'log' | 'killNodeAt' | 'pinNodes' | 'pinOthers'>> & {
    killNodeAt: number | null;
    pinNodes: string | null;
    pinOthers: string | null;
  };
  joins: { ok: number; failed: Record<string, number>; retries: number; perSecond: number };
  fanoutMs: Dist;
  /** Fan-out latency of the contestants connected to each node. */
  fanoutByNodeMs: Dist[];
  ackMs: Dist;
  closeToResultMs: Dist & { missing: number };
  answers: {
    sent: number;
    accepted: number;
    acceptedViaResume: number;
    rejected: Record<string, number>;
    unacked: number;
    lost: number;
    doubleCounted: number;
    correctMismatch: number;
    scoreMismatch: number;
  };
  perContestantPerQuestion: { messages: number; bytes: number; events: Record<string, number> };
  nodes: {
    cpuSeconds: number;
    cpuSecondsInGame: number;
    /** The kernel's share of cpuSeconds (socket writes and reads: on loopback both ends' TCP work). */
    systemCpuSeconds: number;
    /**
     * The main (JavaScript) thread's share of cpuSeconds; the rest is V8's background threads (concurrent GC
     * marking and sweeping, optimising compilation), libuv's thread pool and LMDB's writer.
     */
    mainThreadCpuSeconds: number;
    /** CPU seconds per thread from readiness to the end, largest first, as `offset from the main thread id: seconds`. */
    threadCpuSeconds: string[];
    peakRssMB: number;
    killed: boolean;
    scoringJobs: number;
    scoringJobMeanMs: number | null;
    /**
     * The node's own event-loop delay (monitorEventLoopDelay, via prom-client's nodejs_eventloop_lag_*_seconds on
     * /metrics, which resets at each read): the longest stall in ms over the game, and per question (open to the
     * personal results, including the leaderboard step before it), then one more entry: the game's end (the last
     * question's leaderboard, the podium and `ended` to every phone).
     */
    loopMaxMs: number;
    loopMaxMsByQuestion: number[];
    /**
     * The same stalls measured in CPU time (cds_eventloop_busy_max_seconds: CPU the process used between two ticks
     * of a 20 ms timer): the work in the longest turn, without the time the process waited for a core.
     */
    busyMaxMs: number;
    busyMaxMsByQuestion: number[];
  }[];
  redis: {
    commandsPerAnswer: number;
    commandsInGame: number;
    top: Record<string, number>;
    memoryPerPlayerKB: number;
    memoryPerPlayerEndKB: number;
    usedMemoryMB: number;
    /** Redis' own CPU seconds (INFO cpu: used_cpu_user + used_cpu_sys) and network bytes in and out, in game. */
    cpuSecondsInGame: number;
    netInMB: number;
    netOutMB: number;
    slowest: { ms: number; command: string }[];
  } | null;
  reconnect: Dist & { failed: number; churnDrops: number };
  questionClose: { index: number; closedLateMs: number }[];
  kill: { atQuestion: number; node: number; reconnectMaxMs: number } | null;
  /** Distinct final leaderboards seen by contestants (must be 1) and how many contestants saw the final view. */
  finalLeaderboard: { distinct: number; contestants: number };
  generator: { workers: number; lagP99Ms: number; lagMaxMs: number; cpuSecondsInGame: number };
  /**
   * Which side limited the run: 'server' when the generator's event loop kept up (p99 delay in game under 50 ms:
   * it read every frame as it arrived, so the latencies are the server's), else 'generator'; with the CPU cores
   * each side used on average during the game.
   */
  saturated: string;
  /** From everyone joined to the end of the game. */
  gameSeconds: number;
  wallSeconds: number;
}

export function dist(values: number[]): Dist {
  if (!values.length) return { n: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const v = Float64Array.from(values).sort();
  const at = (q: number) => Math.round(v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]!);
  return { n: v.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: Math.round(v[v.length - 1]!) };
}

/** Every process any run started, so a SIGINT handler can stop them all (see killEverything). */
const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
/** A folder removed when the run ends (or the process exits). */
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
};

/** SIGKILLs every process started by runBench that is still running, and removes its temporary folders (for SIGINT/SIGTERM handlers). */
export function killEverything() {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system, or system alone: the kernel's share, mostly socket writes) of a process, from /proc/<pid>/stat. */
function cpuSeconds(pid: number, only?: 'system' | 'main' | number): number {
  try {
    const tid = only === 'main' ? pid : typeof only === 'number' ? only : undefined;
    const stat = readFileSync(tid ? `/proc/${pid}/task/${tid}/stat` : `/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return ((only === 'system' ? 0 : Number(fields[11])) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Each thread's CPU seconds (user + system), by thread id, from /proc/<pid>/task/<tid>/stat. */
function threadCpuSeconds(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(Number(tid), cpuSeconds(pid, Number(tid)));
  } catch {
    // the process is gone
  }
  return out;
}

/** Peak resident set size (VmHWM) in MB, from /proc/<pid>/status. */
function peakRssMB(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

function commandStats(info: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out.set(m[1]!, Number(m[2]));
  return out;
}
const usedMemory = (info: string) => Number(info.match(/^used_memory:(\d+)/m)?.[1] ?? 0);
/** Redis' CPU seconds and network bytes so far (INFO cpu and stats). */
async function redisCosts(redis: Redis) {
  const info = (await redis.info('cpu')) + (await redis.info('stats'));
  const n = (name: string) => Number(info.match(new RegExp(`^${name}:([0-9.]+)`, 'm'))?.[1] ?? NaN);
  return {
    cpu: n('used_cpu_user') + n('used_cpu_sys'),
    netIn: n('total_net_input_bytes'),
    netOut: n('total_net_output_bytes'),
  };
}

type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** Runs one benchmark; always stops every process it started. */
export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const o = withDefaults(opts);
  const started = Date.now();
  const run = new Run(o, opts);
  try {
    const redisUrl = o.mode === 'redis' ? await startRedis(run) : undefined;
    const memBefore = run.redis ? usedMemory(await run.redis.info('memory')) : 0;
    const password = randomBytes(12).toString('hex');
    const nodes = await startServers(run, redisUrl, password);
    if (process.env.BENCH_WARMUP) await warmUp(run, nodes, password);
    const game = await createGame(nodes[0]!.url, password, o.questions);
    const host = new HostConsole(run, nodes, game);
    await host.connect(0);
    const workers = startWorkers(run);
    const joinedOk = await joinPhones(run, workers, nodes, game.pin);
    await sleep(1500);
    const atStart = await workerReports(workers);
    const gameStart = await markGameStart(run, nodes);
    const played = await playGame(run, host, nodes);
    const final = await workerReports(workers);
    const after = await measureAfterGame(run, nodes, game);
    return report({
      run,
      started,
      joinedOk,
      nodes,
      hostSeen: host.seenAt,
      atStart,
      final,
      memBefore,
      gameStart,
      played,
      after,
      checks: checkAnswers(final, after.rows),
    });
  } finally {
    await run.stop();
  }
}

/** Fills in the defaults and refuses combinations the bench cannot run. */
function withDefaults(opts: BenchOptions) {
  const o = {
    players: opts.players,
    nodes: opts.nodes ?? 1,
    mode: opts.mode ?? 'redis',
    questions: opts.questions ?? 5,
    churn: opts.churn ?? 0,
    killNodeAt: opts.killNodeAt ?? null,
    killDelayMs: opts.killDelayMs ?? 1500,
    killTarget: opts.killTarget ?? 'host',
    skipRate: opts.skipRate ?? 0,
    client: opts.client ?? 'socket.io',
    workers: opts.workers ?? Math.max(1, Math.min(4, Math.ceil(opts.players / 2500))),
    joinRate: opts.joinRate ?? 500,
    thinkMinMs: opts.thinkMinMs ?? 300,
    thinkMaxMs: opts.thinkMaxMs ?? 5000,
    jobNode: opts.jobNode ?? false,
    timeoutMs: opts.timeoutMs ?? 15 * 60_000,
  };
  if (o.mode === 'memory' && o.nodes !== 1) throw new Error('embedded (memory) mode runs one node');
  if (o.killNodeAt !== null && o.nodes < 2) throw new Error('--kill-node-at needs --nodes 2 or more');
  if (o.jobNode && (o.mode !== 'redis' || o.nodes < 2 || o.killNodeAt !== null))
    throw new Error('--job-node needs Redis mode and --nodes 2 or more, without --kill-node-at');
  if (o.questions < 1 || o.questions > 10)
    throw new Error('--questions 1..10 (bench/contests/bench has rounds n1..n10)');
  return o;
}
type Options = ReturnType<typeof withDefaults>;

/** Nodes that hold phones and the host: all, or all but the jobs node. */
const phoneNodes = (o: Options) => (o.jobNode ? o.nodes - 1 : o.nodes);

/** Runs a program under `taskset -c cpus` when asked (taskset execs it: the pid stays the program's). */
const pinned = (cpus: string | undefined, cmd: string, args: string[]): [string, string[]] =>
  cpus ? ['taskset', ['-c', cpus, cmd, ...args]] : [cmd, args];

/** What one run started — processes, client sockets, Redis connection, temporary folder — under its time limit. */
class Run {
  readonly log: (msg: string) => void;
  /** This run's Redis key prefix: a shared Redis keeps other keys, and exactly these are deleted afterwards. */
  readonly prefix = `cdsbench:${randomBytes(4).toString('hex')}:`;
  readonly children: ChildProcess[] = [];
  readonly sockets: Socket[] = [];
  redis: Redis | undefined;
  tempDir: string | undefined;
  private timedOut = false;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    readonly o: Options,
    readonly opts: BenchOptions,
  ) {
    this.log = opts.log ?? (() => {});
    this.deadline = setTimeout(() => {
      this.timedOut = true;
      this.log(`timeout after ${o.timeoutMs} ms: stopping`);
      for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
    }, o.timeoutMs);
  }

  /** Stopped with the run (and by killEverything on SIGINT). */
  track(c: ChildProcess) {
    this.children.push(c);
    running.add(c);
    c.once('exit', () => running.delete(c));
  }

  /** Throws once the run's time limit has passed: every wait loop calls it. */
  check() {
    if (this.timedOut) throw new Error(`bench timed out after ${this.o.timeoutMs} ms`);
  }

  /** Disconnects every socket, stops every process (SIGTERM, SIGKILL after 8 s), deletes our Redis keys and folder. */
  async stop() {
    const { children } = this;
    clearTimeout(this.deadline);
    for (const s of this.sockets) s.disconnect();
    const exits = children.map((c) =>
      c.exitCode !== null || c.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((r) => c.once('exit', () => r())),
    );
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    const force = setTimeout(
      () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')),
      8000,
    );
    await Promise.all(exits);
    clearTimeout(force);
    // A shared Redis: delete exactly our keys.
    if (this.redis && this.opts.redisUrl) await deleteKeysWithPrefix(this.redis, this.prefix);
    this.redis?.disconnect();
    if (this.tempDir) {
      rmSync(this.tempDir, { recursive: true, force: true });
      tempDirs.delete(this.tempDir);
    }
  }
}

/** Starts a private redis-server unless the caller gave one, connects to it, and returns its URL. */
async function startRedis(run: Run): Promise<string> {
  let redisUrl = run.opts.redisUrl;
  if (!redisUrl) {
    const port = await freePort();
    run.tempDir = tempDir('cds-bench-redis-');
    const r = spawn(
      ...pinned(run.opts.pinOthers, 'redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        run.tempDir,
      ]),
      { stdio: 'ignore' },
    );
    run.track(r);
    redisUrl = `redis://127.0.0.1:${port}`;
  }
  const redis = (run.redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 }));
  redis.on('error', () => {});
  for (let i = 0; i < 50 && (await redis.ping().catch(() => '')) !== 'PONG'; i++) await sleep(100);
  return redisUrl;
}

interface ServerNode {
  url: string;
  proc: ChildProcess;
  cpuStart: number;
  cpuGameStart?: number;
  cpuEnd?: number;
  /** System (kernel) CPU seconds at readiness and at the end. */
  sysStart?: number;
  sysEnd?: number;
  /** The main thread's CPU seconds at readiness and at the end. */
  mainStart?: number;
  mainEnd?: number;
  /** Each thread's CPU seconds (by thread id) at readiness and at the end. */
  threadsStart?: Map<number, number>;
  threadsEnd?: Map<number, number>;
  peakRss?: number;
  killed: boolean;
  /** Event-loop delay maxima read from the node's /metrics, one per read after the game started. */
  loopMax: number[];
  busyMax: number[];
}

/**
 * A contests folder holding the live bench's contest alone. bench/contests also holds the online bench's contest,
 * whose closed round's prediction a fresh node fixes once at start-up (in Redis mode in a results worker: ~1 s of
 * CPU, a worker thread's start included), which is no part of a live game's cost.
 */
function liveContestDir(run: Run): string {
  const dir = path.join((run.tempDir ??= tempDir('cds-bench-data-')), 'contests');
  if (!existsSync(dir)) cpSync(path.join(BENCH, 'contests', 'bench'), path.join(dir, 'bench'), { recursive: true });
  return dir;
}

/** Starts the server nodes (server/src/index.ts, one process each) and waits until every one is ready. */
async function startServers(run: Run, redisUrl: string | undefined, password: string): Promise<ServerNode[]> {
  const { o, opts } = run;
  const nodes: ServerNode[] = [];
  const contests = liveContestDir(run);
  for (let k = 0; k < o.nodes; k++) {
    const port = await freePort();
    // BENCH_NODE_FLAGS: extra node/V8 flags for the server nodes only (experiments with V8 settings).
    const args = [...(process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? []), '--import', 'tsx'];
    if (opts.cpuProfDir) args.push('--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir);
    args.push('server/src/index.ts');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORGANISER_PASSWORD: password,
      LOG_LEVEL: 'warn',
      CONTESTS_DIR: contests,
      REDIS_PREFIX: run.prefix,
      NODE_ENV: 'production',
      // The bench reads each node's /metrics (scoring time, event-loop lag), which production leaves off.
      METRICS: 'on',
      // Every simulated phone comes from this one machine: lift the per-address join limit.
      JOIN_BURST_PER_ADDRESS: '100000',
      JOIN_RATE_PER_ADDRESS: '10000',
      JOB_WORKERS: o.jobNode && k < phoneNodes(o) ? 'false' : 'true',
      // Embedded mode keeps its data in a folder of this run; DATA_DIR=:memory: in the environment keeps none.
      DATA_DIR: process.env.DATA_DIR ?? path.join((run.tempDir ??= tempDir('cds-bench-data-')), 'data'),
    };
    delete env.REDIS_URL;
    if (redisUrl) env.REDIS_URL = redisUrl;
    const proc = spawn(...pinned(opts.pinNodes, process.execPath, args), {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr!.on('data', (d: Buffer) => run.log(`[node${k}] ${d.toString().trim().slice(0, 500)}`));
    run.track(proc);
    nodes.push({ url: `http://127.0.0.1:${port}`, proc, cpuStart: 0, killed: false, loopMax: [], busyMax: [] });
  }
  for (const n of nodes) {
    for (let i = 0; ; i++) {
      run.check();
      const ok = await fetch(`${n.url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (n.proc.exitCode !== null || i > 600) throw new Error(`node ${n.url} did not become ready`);
      await sleep(100);
    }
    n.cpuStart = cpuSeconds(n.proc.pid!);
    n.sysStart = cpuSeconds(n.proc.pid!, 'system');
    n.mainStart = cpuSeconds(n.proc.pid!, 'main');
    n.threadsStart = threadCpuSeconds(n.proc.pid!);
  }
  run.log(`${o.nodes} node(s) ready (${o.mode}${redisUrl ? ' ' + redisUrl : ''})`);
  return nodes;
}

/**
 * BENCH_WARMUP=1 (an experiment): a whole throwaway game of the same size on the fresh nodes first, its phones then
 * dropped; CPU and stalls are counted from after it. What follows is one game's cost on a server that has run one
 * before, without the process's JIT warm-up (optimising compilation of the hot paths), which a server pays once.
 */
async function warmUp(run: Run, nodes: ServerNode[], password: string) {
  const game = await createGame(nodes[0]!.url, password, run.o.questions);
  const host = new HostConsole(run, nodes, game);
  await host.connect(0);
  const workers = startWorkers(run);
  await joinPhones(run, workers, nodes, game.pin);
  await sleep(1500);
  await playGame(run, host, nodes);
  host.close();
  for (const w of workers) w.kill('SIGKILL');
  await sleep(3000);
  for (const n of nodes) {
    [n.loopMax, n.busyMax] = [[], []];
    n.cpuStart = cpuSeconds(n.proc.pid!);
    n.sysStart = cpuSeconds(n.proc.pid!, 'system');
    n.mainStart = cpuSeconds(n.proc.pid!, 'main');
    n.threadsStart = threadCpuSeconds(n.proc.pid!);
  }
  run.log('warm-up game played');
}

interface CreatedGame {
  pin: string;
  hostToken: string;
  /** The organiser's headers, for the results afterwards. */
  auth: Record<string, string>;
}

/** Logs in as the organiser and creates a game of the bench contest's round with `questions` questions. */
async function createGame(api: string, password: string, questions: number): Promise<CreatedGame> {
  const login = (await (
    await fetch(`${api}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    })
  ).json()) as { token: string };
  const auth = { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' };
  const created = (await (
    await fetch(`${api}/api/games`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ contestId: 'bench', roundId: `n${questions}` }),
    })
  ).json()) as { pin: string; hostToken: string };
  if (!created.pin) throw new Error(`could not create a game: ${JSON.stringify(created)}`);
  return { ...created, auth };
}

/** The host console: attaches with the host token, follows the game's views, and re-attaches on another node when its node dies. */
class HostConsole {
  view: PhaseView | undefined;
  /** `${phase}:${index}` → receipt time at the host. */
  readonly seenAt = new Map<string, number>();
  /** The node the host is attached to. */
  node = 0;
  private socket!: Socket;
  private onView: (() => void) | undefined;

  constructor(
    private readonly run: Run,
    private readonly nodes: ServerNode[],
    private readonly game: CreatedGame,
  ) {}

  private readonly seen = (v: PhaseView) => {
    if (this.view && v.seq <= this.view.seq) return;
    this.view = v;
    const key = `${v.phase}:${v.index}`;
    if (!this.seenAt.has(key)) this.seenAt.set(key, Date.now());
    this.onView?.();
  };

  async connect(k: number): Promise<void> {
    this.node = k;
    const s = io(`${this.nodes[k]!.url}/host`, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.run.sockets.push(s);
    this.socket = s;
    s.on('game:state', this.seen);
    s.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      const next = this.nodes.findIndex((n, j) => j !== k && !n.killed);
      this.run.log(`host lost node ${k} (${reason}); re-attaching on node ${next}`);
      if (next >= 0) void this.connect(next).catch((err) => this.run.log(`host re-attach failed: ${err}`));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('connect_error', reject);
    });
    const attach = (await s
      .timeout(10_000)
      .emitWithAck('host:attach', { pin: this.game.pin, hostToken: this.game.hostToken })) as Ack<{ state: PhaseView }>;
    if (!attach.ok) throw new Error(`host:attach: ${attach.error.message}`);
    this.seen(attach.data.state);
  }

  /** Leaves (the warm-up game's host). */
  close() {
    this.socket.disconnect();
  }

  async command(type: 'start' | 'next') {
    const ack = (await this.socket.timeout(15_000).emitWithAck('host:command', { type })) as Ack<PhaseView>;
    if (!ack.ok) throw new Error(`host ${type}: ${ack.error.code} ${ack.error.message}`);
    if (!this.view || ack.data.seq > this.view.seq) {
      this.view = ack.data;
      const key = `${this.view.phase}:${this.view.index}`;
      if (!this.seenAt.has(key)) this.seenAt.set(key, Date.now());
    }
  }

  /**
   * Until the game is at `phase` of question `index` or past it: a later phase of that question counts (the host's
   * `closed` view is dropped when the reveal, a newer view, arrived first), as does a later question.
   */
  async waitFor(phase: PhaseView['phase'], index: number, ms: number) {
    const until = Date.now() + ms;
    const reached = (v: PhaseView | undefined) =>
      !!v && (v.index > index || (v.index === index && PHASES.indexOf(v.phase) >= PHASES.indexOf(phase)));
    while (!reached(this.view)) {
      this.run.check();
      if (Date.now() > until)
        throw new Error(
          `waited ${ms} ms for ${phase} of question ${index}; at ${this.view?.phase} ${this.view?.index}`,
        );
      await new Promise<void>((r) => {
        const t = setTimeout(r, 200);
        this.onView = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }
}

/** Sends a worker one message and waits for its answer of type `want`. */
const request = (w: ChildProcess, m: ToWorker, want: FromWorker['type'], ms: number) =>
  new Promise<FromWorker>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`worker did not answer '${m.type}' in ${ms} ms`)), ms);
    const handler = (msg: FromWorker) => {
      if (msg.type !== want) return;
      clearTimeout(t);
      w.off('message', handler);
      resolve(msg);
    };
    w.on('message', handler);
    w.send(m);
  });

/** Forks the load-generator workers (bench/worker.ts), each to drive a slice of the contestants. */
function startWorkers(run: Run): ChildProcess[] {
  const { o, opts } = run;
  const workers: ChildProcess[] = [];
  for (let k = 0; k < o.workers; k++) {
    const w = fork(path.join(BENCH, 'worker.ts'), [], {
      cwd: ROOT,
      execArgv: [
        '--import',
        'tsx',
        '--max-old-space-size=4096',
        ...(opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(opts.cpuProfDir, 'workers')] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    if (opts.pinOthers) execFileSync('taskset', ['-a', '-p', '-c', opts.pinOthers, String(w.pid)], { stdio: 'ignore' });
    run.track(w);
    workers.push(w);
  }
  return workers;
}

/** Has the workers join every contestant to the game, spread over the phone nodes; returns how many joined. */
async function joinPhones(run: Run, workers: ChildProcess[], nodes: ServerNode[], pin: string): Promise<number> {
  const { o } = run;
  const perWorker = Math.ceil(o.players / o.workers);
  // Generous: on a machine shared with other work, joins can run several times slower than offered.
  const joinTimeout = (o.players / o.joinRate) * 1000 * 4 + 180_000;
  const joined = await Promise.all(
    workers.map((w, k) =>
      request(
        w,
        {
          type: 'init',
          init: {
            urls: nodes.slice(0, phoneNodes(o)).map((n) => n.url),
            pin,
            from: k * perWorker,
            to: Math.min(o.players, (k + 1) * perWorker),
            joinRate: o.joinRate / o.workers,
            churn: o.churn,
            thinkMinMs: o.thinkMinMs,
            thinkMaxMs: o.thinkMaxMs,
            client: o.client,
            correctRate: 0.7,
            skipRate: o.skipRate,
          },
        },
        'joined',
        joinTimeout,
      ),
    ),
  );
  run.check();
  const joinedOk = joined.reduce((a, m) => a + (m.type === 'joined' ? m.ok : 0), 0);
  run.log(`${joinedOk}/${o.players} joined`);
  return joinedOk;
}

/** Every worker's counts and timings so far. */
const workerReports = async (workers: ChildProcess[]) =>
  (await Promise.all(workers.map((w) => request(w, { type: 'report' }, 'report', 60_000)))).map(
    (m) => (m as { report: WorkerReport }).report,
  );

/** Redis memory and command counts, and each node's CPU time, once everyone has joined: the game's costs are counted from here. */
async function markGameStart(run: Run, nodes: ServerNode[]) {
  const { redis } = run;
  const memAfterJoin = redis ? usedMemory(await redis.info('memory')) : 0;
  const at = Date.now();
  for (const n of nodes) n.cpuGameStart = cpuSeconds(n.proc.pid!);
  await readLoopMax(nodes); // resets each node's histogram: what follows is the game's
  for (const n of nodes) [n.loopMax, n.busyMax] = [[], []];
  const cmdStart = redis ? commandStats(await redis.info('commandstats')) : new Map<string, number>();
  const redisStart = redis ? await redisCosts(redis) : null;
  return { memAfterJoin, cmdStart, at, redisStart };
}

/**
 * Plays the game as the host: each question opened, closed (by answers or its deadline) and revealed, then the
 * leaderboard; the podium and the end. Kills a node during question `killNodeAt` when asked.
 */
async function playGame(run: Run, host: HostConsole, nodes: ServerNode[]) {
  const { o } = run;
  const questionClose: { index: number; closedLateMs: number }[] = [];
  let kill: BenchResult['kill'] = null;
  for (let q = 0; q < o.questions; q++) {
    await host.command(q === 0 ? 'start' : 'next');
    await host.waitFor('open', q, 15_000);
    const open = host.view as Extract<PhaseView, { phase: 'open' }>;
    const openDeadline = open.index === q && open.phase === 'open' ? open.deadline : null;
    run.log(`question ${q} open`);
    if (o.killNodeAt === q) kill = await killNode(run, nodes, host, q);
    await host.waitFor('closed', q, 60_000);
    const closedAt = host.seenAt.get(`closed:${q}`);
    if (openDeadline && closedAt) questionClose.push({ index: q, closedLateMs: closedAt - openDeadline });
    await host.waitFor('reveal', q, 60_000);
    // Let personal results arrive (they are timed against the close, whenever they come).
    await sleep(Math.min(2000 + o.players / 5, 6000));
    await readLoopMax(nodes);
    await host.command('next'); // → leaderboard
  }
  await host.command('next'); // → podium
  await host.command('next'); // → ended
  await sleep(1500); // the `ended` view reaches every phone
  await readLoopMax(nodes);
  return { questionClose, kill };
}

/**
 * Reads each live node's longest event-loop stall since the last read (prom-client's monitorEventLoopDelay
 * histogram, reset by every /metrics read) and the CPU time of its longest turn, and appends them in ms.
 */
async function readLoopMax(nodes: ServerNode[]) {
  await Promise.all(
    nodes.map(async (n) => {
      if (n.killed) return;
      const text = await fetch(`${n.url}/metrics`).then(
        (r) => r.text(),
        () => '',
      );
      const ms = (name: string) =>
        Math.round(Number(text.match(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm'))?.[1]) * 1000);
      n.loopMax.push(ms('nodejs_eventloop_lag_max_seconds'));
      n.busyMax.push(ms('cds_eventloop_busy_max_seconds'));
    }),
  );
}

/** SIGKILLs the host's node (or the last one) `killDelayMs` into question `q`, after reading its CPU time and peak memory. */
async function killNode(
  run: Run,
  nodes: ServerNode[],
  host: HostConsole,
  q: number,
): Promise<NonNullable<BenchResult['kill']>> {
  await sleep(run.o.killDelayMs);
  const victimIndex = run.o.killTarget === 'host' ? host.node : nodes.length - 1;
  const victim = nodes[victimIndex]!;
  victim.cpuEnd = cpuSeconds(victim.proc.pid!);
  victim.peakRss = peakRssMB(victim.proc.pid!);
  victim.proc.kill('SIGKILL');
  victim.killed = true;
  run.log(`SIGKILL node ${victimIndex} during question ${q}`);
  return { atQuestion: q, node: victimIndex, reconnectMaxMs: 0 };
}

/** After the game: Redis command counts, memory and slow log, each node's CPU, memory and scoring times, and the final results. */
async function measureAfterGame(run: Run, nodes: ServerNode[], game: CreatedGame) {
  const { redis } = run;
  const cmdEnd = redis ? commandStats(await redis.info('commandstats')) : new Map<string, number>();
  const redisEnd = redis ? await redisCosts(redis) : null;
  const memEnd = redis ? usedMemory(await redis.info('memory')) : 0;
  // Redis' slow log (commands over 10 ms, by default): the scoring script shows up here at scale.
  const slowlog =
    redis && !run.opts.redisUrl
      ? ((await redis.call('SLOWLOG', 'GET', '5')) as [number, number, number, (string | Buffer)[]][])
      : [];
  for (const n of nodes)
    if (!n.killed) {
      n.cpuEnd = cpuSeconds(n.proc.pid!);
      n.sysEnd = cpuSeconds(n.proc.pid!, 'system');
      n.mainEnd = cpuSeconds(n.proc.pid!, 'main');
      n.threadsEnd = threadCpuSeconds(n.proc.pid!);
      n.peakRss = peakRssMB(n.proc.pid!);
    }
  // The server's own view of scoring (question close → scores applied and announced), per node.
  const scoring = await Promise.all(
    nodes.map(async (n) => {
      if (n.killed) return { count: 0, sum: 0 };
      const text = await fetch(`${n.url}/metrics`).then(
        (r) => r.text(),
        () => '',
      );
      const num = (name: string) => Number(text.match(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm'))?.[1] ?? 0);
      return { count: num('cds_scoring_job_seconds_count'), sum: num('cds_scoring_job_seconds_sum') };
    }),
  );
  const endedAt = Date.now();
  const alive = nodes.find((n) => !n.killed)!;
  const rows = (await (
    await fetch(`${alive.url}/api/games/${game.pin}/results.json`, { headers: game.auth })
  ).json()) as ResultRow[];
  return { cmdEnd, memEnd, slowlog, scoring, rows, endedAt, redisEnd };
}

/** Every answer a contestant saw acknowledged against the final results: none lost, none counted twice, scores equal. */
function checkAnswers(final: WorkerReport[], rows: ResultRow[]) {
  const byId = new Map(rows.map((r) => [r.playerId, r]));
  let lost = 0;
  let doubleCounted = 0;
  let correctMismatch = 0;
  let scoreMismatch = 0;
  for (const w of final)
    for (const p of w.players) {
      if (!p.playerId) continue;
      const row = byId.get(p.playerId);
      const acked = Object.entries(p.accepted);
      const expectCorrect = acked.filter(([q, choice]) => Number(q) % 4 === choice).length;
      const answered = row?.answered ?? 0;
      if (answered < acked.length) lost += acked.length - answered;
      if (answered > acked.length) doubleCounted += answered - acked.length;
      if ((row?.correct ?? 0) !== expectCorrect) correctMismatch++;
      if ((row?.score ?? -1) !== p.lastScore) scoreMismatch++;
    }
  return { lost, doubleCounted, correctMismatch, scoreMismatch };
}

/** Everything measured, as the run's BenchResult. */
function report(m: {
  run: Run;
  started: number;
  joinedOk: number;
  nodes: ServerNode[];
  hostSeen: Map<string, number>;
  /** Worker reports when everyone had joined, and after the game. */
  atStart: WorkerReport[];
  final: WorkerReport[];
  memBefore: number;
  gameStart: Awaited<ReturnType<typeof markGameStart>>;
  played: Awaited<ReturnType<typeof playGame>>;
  after: Awaited<ReturnType<typeof measureAfterGame>>;
  checks: ReturnType<typeof checkAnswers>;
}): BenchResult {
  const { run, joinedOk, nodes, hostSeen, atStart, final, memBefore } = m;
  const { o, opts, redis } = run;
  const { memAfterJoin, cmdStart } = m.gameStart;
  const { questionClose, kill } = m.played;
  const { cmdEnd, memEnd, slowlog, scoring } = m.after;
  const { lost, doubleCounted, correctMismatch, scoreMismatch } = m.checks;
  const sum = (f: (r: WorkerReport) => number, rs = final) => rs.reduce((a, r) => a + f(r), 0);
  const merge = (f: (r: WorkerReport) => Record<string, number>, rs = final) => {
    const out: Record<string, number> = {};
    for (const r of rs) for (const [k, v] of Object.entries(f(r))) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const perQ = (x: number) => Math.round((x / Math.max(1, joinedOk) / o.questions) * 100) / 100;
  const events = merge((r) => r.events);
  const eventsStart = merge((r) => r.events, atStart);
  const closeToResult: number[] = [];
  let results = 0;
  for (let q = 0; q < o.questions; q++) {
    const closedAt = hostSeen.get(`closed:${q}`) ?? NaN;
    for (const r of final)
      for (const t of r.resultAt[q] ?? []) {
        closeToResult.push(t - closedAt);
        results++;
      }
  }
  const reconnectMs = final.flatMap((r) => r.reconnectMs);
  if (kill) kill.reconnectMaxMs = Math.max(0, ...reconnectMs);
  const commands = [...cmdEnd]
    .map(([k, v]) => [k, v - (cmdStart.get(k) ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1]);
  const commandsInGame = commands.reduce((a, [, v]) => a + v, 0);
  const accepted = sum((r) => r.answersAccepted) + sum((r) => r.acceptedViaResume);
  const joinStart = Math.min(...final.map((r) => r.joinStart));
  const joinEnd = Math.max(...final.map((r) => r.joinEnd));

  return {
    options: { ...o, pinNodes: opts.pinNodes ?? null, pinOthers: opts.pinOthers ?? null },
    joins: {
      ok: joinedOk,
      failed: merge((r) => r.joinFailed),
      retries: sum((r) => r.joinRetries),
      perSecond: Math.round(joinedOk / Math.max(0.001, (joinEnd - joinStart) / 1000)),
    },
    fanoutMs: dist(final.flatMap((r) => Object.values(r.fanoutMs).flat())),
    fanoutByNodeMs: nodes.map((_, k) => dist(final.flatMap((r) => r.fanoutByNode[k] ?? []))),
    ackMs: dist(final.flatMap((r) => r.ackMs)),
    closeToResultMs: { ...dist(closeToResult), missing: joinedOk * o.questions - results },
    answers: {
      sent: sum((r) => r.answersSent),
      accepted,
      acceptedViaResume: sum((r) => r.acceptedViaResume),
      rejected: merge((r) => r.answersRejected),
      unacked: sum((r) => r.answersUnacked),
      lost,
      doubleCounted,
      correctMismatch,
      scoreMismatch,
    },
    perContestantPerQuestion: {
      messages: perQ(sum((r) => r.messages) - sum((r) => r.messages, atStart)),
      bytes: Math.round(perQ(sum((r) => r.bytes) - sum((r) => r.bytes, atStart))),
      events: Object.fromEntries(Object.entries(events).map(([k, v]) => [k, perQ(v - (eventsStart[k] ?? 0))])),
    },
    nodes: nodes.map((n, k) => ({
      cpuSeconds: Math.round(((n.cpuEnd ?? NaN) - n.cpuStart) * 10) / 10,
      cpuSecondsInGame: Math.round(((n.cpuEnd ?? NaN) - (n.cpuGameStart ?? NaN)) * 10) / 10,
      systemCpuSeconds: Math.round(((n.sysEnd ?? NaN) - (n.sysStart ?? NaN)) * 10) / 10,
      mainThreadCpuSeconds: Math.round(((n.mainEnd ?? NaN) - (n.mainStart ?? NaN)) * 10) / 10,
      threadCpuSeconds: [...(n.threadsEnd ?? [])]
        .map(([tid, end]) => [tid - n.proc.pid!, end - (n.threadsStart?.get(tid) ?? 0)] as const)
        .filter(([, s]) => s >= 0.01)
        .sort((a, b) => b[1] - a[1])
        .map(([offset, s]) => `${offset}: ${s.toFixed(2)}`),
      scoringJobs: scoring[k]!.count,
      scoringJobMeanMs: scoring[k]!.count ? Math.round((scoring[k]!.sum / scoring[k]!.count) * 1000) : null,
      peakRssMB: n.peakRss ?? NaN,
      killed: n.killed,
      loopMaxMs: Math.max(...n.loopMax.filter(Number.isFinite)),
      loopMaxMsByQuestion: n.loopMax.slice(0, o.questions + 1),
      busyMaxMs: Math.max(...n.busyMax.filter(Number.isFinite)),
      busyMaxMsByQuestion: n.busyMax.slice(0, o.questions + 1),
    })),
    redis: redis
      ? {
          commandsPerAnswer: Math.round((commandsInGame / Math.max(1, accepted)) * 10) / 10,
          commandsInGame,
          top: Object.fromEntries(commands.slice(0, 8)),
          memoryPerPlayerKB: Math.round(((memAfterJoin - memBefore) / Math.max(1, joinedOk) / 1024) * 100) / 100,
          memoryPerPlayerEndKB: Math.round(((memEnd - memBefore) / Math.max(1, joinedOk) / 1024) * 100) / 100,
          slowest: slowlog.map((e) => ({
            ms: Math.round(e[2] / 100) / 10,
            command: e[3].slice(0, 3).map(String).join(' ').slice(0, 80),
          })),
          usedMemoryMB: Math.round((memEnd / 1048576) * 10) / 10,
          ...(() => {
            const a = m.gameStart.redisStart!;
            const b = m.after.redisEnd!;
            const mb = (x: number) => Math.round((x / 1048576) * 10) / 10;
            return {
              cpuSecondsInGame: Math.round((b.cpu - a.cpu) * 10) / 10,
              netInMB: mb(b.netIn - a.netIn),
              netOutMB: mb(b.netOut - a.netOut),
            };
          })(),
        }
      : null,
    reconnect: { ...dist(reconnectMs), failed: sum((r) => r.reconnectFailed), churnDrops: sum((r) => r.churnDrops) },
    questionClose,
    kill,
    finalLeaderboard: (() => {
      const tops = merge((r) => r.endedTops);
      return { distinct: Object.keys(tops).length, contestants: Object.values(tops).reduce((a, b) => a + b, 0) };
    })(),
    generator: {
      workers: o.workers,
      lagP99Ms: Math.round(Math.max(...final.map((r) => r.lagP99Ms))),
      lagMaxMs: Math.round(Math.max(...final.map((r) => r.lagMaxMs))),
      cpuSecondsInGame: Math.round((sum((r) => r.cpuSeconds) - sum((r) => r.cpuSeconds, atStart)) * 10) / 10,
    },
    saturated: (() => {
      const seconds = Math.max(0.001, (m.after.endedAt - m.gameStart.at) / 1000);
      const nodeCores = nodes.reduce((a, n) => a + ((n.cpuEnd ?? NaN) - (n.cpuGameStart ?? NaN)), 0) / seconds;
      const genCores = (sum((r) => r.cpuSeconds) - sum((r) => r.cpuSeconds, atStart)) / seconds;
      const genP99 = Math.max(...final.map((r) => r.lagP99Ms));
      const side = genP99 < 50 ? 'server' : 'generator';
      return `${side} (game average: nodes ${nodeCores.toFixed(2)} cores, generator ${genCores.toFixed(2)}; generator loop p99 ${Math.round(genP99)} ms)`;
    })(),
    gameSeconds: Math.round((m.after.endedAt - m.gameStart.at) / 1000),
    wallSeconds: Math.round((Date.now() - m.started) / 1000),
  };
}

/** Commit, nproc and memory of this machine, for the RESULTS.md row. */
export function machine() {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    // not a git checkout: the row says 'unknown'
  }
  // Load average at the start: other work on the machine shares the cores and moves every latency.
  return {
    commit,
    nproc: os.availableParallelism(),
    memGB: Math.round(os.totalmem() / 2 ** 30),
    load1: Math.round(os.loadavg()[0]! * 10) / 10,
  };
}
