// The online-round bench, stored part: a whole round held in the store — N registered contestants and M finished
// (scored) attempts, seeded in bulk through the store's own methods and the real scoring step into the bench
// contest's closed round — then, in the server process itself (createApp), the board refresh, the results lock and
// the exports of the round are timed while monitorEventLoopDelay watches the event loop (a live game on the same
// node would wait that long). Redis mode: a private redis-server, and the lock and exports made by the results
// worker thread as the routes make them (organiser/results-thread.ts); embedded mode: the memory store, on this thread.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { Redis } from 'ioredis';
import type { AttemptResult } from '../protocol/online';
import type { AnswerRow } from '../protocol/organiser';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createApp, type App } from '../server/src/app';
import { hashToken } from '../server/src/auth';
import { loadContests } from '../server/src/contests/load';
import { optionPermutation } from '../server/src/game/option-order';
import { drawAttemptQuestions } from '../server/src/online/attempt-draw';
import { scoreAttempt } from '../server/src/online/attempt-scoring';
import { hashCode } from '../server/src/online/contestant-code';
import { onlineRankKeys, rankMember, rankScore } from '../server/src/online/ranking-key';
import { attemptRules } from '../server/src/online/round-window';
import { resultSetCsv, SHEET_MAX_ROWS, writeResultSetWorkbook } from '../server/src/organiser/exports';
import { jsonPieces } from '../server/src/organiser/result-json';
import { TARGET_GROUPS } from '../protocol/contest';
import { ONLINE_CONTEST, killOnline, startPrivateRedis } from './online';

const ROUND = 'da-dong';

export interface OnlineStoreOptions {
  mode: 'redis' | 'memory';
  registered: number;
  attempts: number;
  log?: (m: string) => void;
}

interface Timed {
  ms: number;
  /** Longest event-loop stall while it ran. */
  lagMaxMs: number;
  /** CPU time of the process (every thread) while it ran: on a loaded machine the wall time says less. */
  cpuMs: number;
  /** Peak resident memory of the process while it ran. */
  rssMaxMB: number;
  /** Longest garbage-collection pause while it ran (part of a stall, if any). */
  gcMaxMs: number;
  /**
   * Longest stall in CPU time: the process's CPU between two ticks of a 20 ms timer (as cds_eventloop_busy_max_seconds):
   * the work itself, without the waiting for a core that the wall-time stall also counts on a loaded machine. It
   * counts every thread of the process (garbage collection helpers, zlib's thread pool) as well.
   */
  busyMaxMs: number;
}

export interface OnlineStoreResult {
  options: Omit<OnlineStoreOptions, 'log'>;
  seedSeconds: number;
  memory: {
    /** Redis used_memory (Redis mode) or the server's heap (embedded) for the round's data. */
    totalMB: number;
    perContestantKB: number;
    perAttemptKB: number;
    rssMB: number;
  };
  roundRead: Timed;
  board: { first: Timed; again: Timed };
  resultsRows: number;
  lock: Timed & { sha256: string; entries: number };
  exports: {
    resultsCsv: Timed & { MB: number };
    answersCsv: Timed & { MB: number; rows: number };
    workbook: (Timed & { MB: number; sheets: number }) | { error: string };
  };
  wallSeconds: number;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export async function runOnlineStore(opts: OnlineStoreOptions): Promise<OnlineStoreResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const redis = opts.mode === 'redis' ? await startPrivateRedis() : undefined;
  let app: App | undefined;
  try {
    const prefix = `cdsonline:${randomBytes(3).toString('hex')}:`;
    const memBefore = redis ? usedMemory(await redis.redis.info('memory')) : 0;
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    app = await createApp({
      config: {
        port: 0,
        host: '127.0.0.1',
        redisUrl: redis?.url,
        redisPrefix: prefix,
        organiserUser: 'admin',
        organiserPassword: randomBytes(12).toString('hex'),
        contestsDir: 'bench/contests',
        dataDir: ':memory:',
        answerGraceMs: 300,
        joinLimits: { burst: 200, perSecond: 20, warnCount: 10 },
        jobWorkers: true,
        logLevel: 'warn',
        trustProxy: ['loopback'],
        metrics: { enabled: false },
        maxConnectionsPerAddress: 2000,
        auditMaxEntries: 100_000,
        pinLookupsPerMinute: 3000,
        pinMissesPerMinute: 30,
        onlineLimits: { registrationsPer10Min: 20, requestsPerMinute: 600 },
        questionReadyMs: 0,
        gameKeepMs: 72 * 3_600_000,
        socketStream: { maxLen: 10_000, keepMs: 120_000 },
      },
    });
    // The board's periodic job waits until the round is seeded: its first tick is what is timed.
    await app.boards.stop();
    const seedStart = Date.now();
    await seed(app, opts, redis?.url, prefix, log);
    const seedSeconds = Math.round((Date.now() - seedStart) / 1000);
    global.gc?.();
    const bytes = redis
      ? usedMemory(await redis.redis.info('memory')) - memBefore
      : process.memoryUsage().heapUsed - heapBefore;
    log(`seeded in ${seedSeconds} s: ${mb(bytes)} MB`);

    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    let gcMax = 0;
    const gc = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcMax = Math.max(gcMax, e.duration);
    });
    gc.observe({ entryTypes: ['gc'] });
    // Each stall over 100 ms, on the monotonic clock a --cpu-prof profile uses (to find what ran then).
    const stalls: { endUs: number; ms: number }[] = [];
    let tick = process.hrtime.bigint();
    const probe = setInterval(() => {
      const now = process.hrtime.bigint();
      const ms = Number(now - tick) / 1e6 - 10;
      if (ms > 100) stalls.push({ endUs: Number(now / 1000n), ms: Math.round(ms) });
      tick = now;
    }, 10);
    let busyMax = 0;
    let lastCpu = process.cpuUsage();
    const busy = setInterval(() => {
      const cpu = process.cpuUsage(lastCpu);
      lastCpu = process.cpuUsage();
      busyMax = Math.max(busyMax, (cpu.user + cpu.system) / 1000);
    }, 20);
    const timed = async <T>(what: string, f: () => Promise<T>): Promise<[T, Timed]> => {
      await new Promise((r) => setTimeout(r, 50));
      let rssMax = process.memoryUsage.rss();
      const rss = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 100);
      lag.reset();
      // The monitor's first tick after a reset only starts its clock: a stall before that tick would go unrecorded.
      await new Promise((r) => setTimeout(r, 25));
      gcMax = 0;
      busyMax = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const value = await f();
      const ms = Math.round(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      clearInterval(rss);
      // A stall ending with f() is recorded when the monitor's timer next runs: let it run before reading.
      await new Promise((r) => setTimeout(r, 30));
      const t = {
        ms,
        lagMaxMs: Math.round(lag.max / 1e6),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        rssMaxMB: mb(Math.max(rssMax, process.memoryUsage.rss())),
        gcMaxMs: Math.round(gcMax),
        busyMaxMs: Math.round(busyMax),
      };
      log(
        `${what}: ${t.ms} ms (CPU ${t.cpuMs} ms), longest stall ${t.lagMaxMs} ms (CPU ${t.busyMaxMs} ms; longest GC pause ${t.gcMaxMs} ms), peak RSS ${t.rssMaxMB} MB`,
      );
      return [value, t];
    };
    const boards = app.boards;
    // The whole round read once, as the organiser dashboard does it (OrganiserResults.dashboard: in Redis mode in the
    // results worker, embedded mode on this thread); it also fixes the prediction's actual value, as the board's
    // one-off finalise would (which Redis mode also runs in the results worker).
    const [, read] = await timed('dashboard (whole round read)', () => app!.results.dashboard(ONLINE_CONTEST));
    const [, first] = await timed('board', () => boards.tick());
    const [, again] = await timed('board', () => boards.tick());
    const scope = { kind: 'round' as const, contestId: ONLINE_CONTEST, roundId: ROUND };
    const results = app.results;
    // Redis mode locks and exports in the results worker, as the routes do (organiser/results-thread.ts); embedded
    // mode on the main thread. Either way the lock's answer (the locked set's JSON) is read to the end, as a route
    // sends it, and each export is streamed into a sink.
    const thread = app.resultsThread;
    const [locked, lockT] = await timed('lock', async () => {
      if (!thread) {
        const set = await results.lock(scope, { acceptTies: true, actor: 'bench', ip: null });
        await drain(Readable.from(jsonPieces(set)));
        return { sha256: set.lock!.sha256, entries: set.overall.length };
      }
      const { head, body } = await thread.run({ kind: 'lock', scope, acceptTies: true, actor: 'bench', ip: null });
      await drain(body);
      return { sha256: head.lock!.sha256, entries: head.entries };
    });
    let answerRows = 0;
    const counted = async function* (pages: AsyncIterable<AnswerRow[]>) {
      for await (const page of pages) {
        answerRows += page.length;
        yield page;
      }
    };
    /** A download as the route makes it: the locked set read back, the file streamed into a sink. */
    const download = async (table: 'results' | 'answers' | 'workbook') => {
      if (thread) {
        const { body } = await thread.run({ kind: 'export', scope, table });
        if (table !== 'answers') return drain(body);
        // Lines of the CSV: the header, a row per answer, then an empty line and the SHA-256 (a locked set).
        let lines = 0;
        const bytes = await drain(
          body.map((chunk: Buffer) => {
            for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
            return chunk;
          }),
        );
        answerRows = lines - 3;
        return bytes;
      }
      const set = await results.get(scope);
      if (table === 'results') return drain(Readable.from(resultSetCsv(set, 'results')));
      if (table === 'answers')
        return drain(Readable.from(resultSetCsv(set, 'answers', counted(results.answerPages(scope)))));
      const sink = byteSink();
      await writeResultSetWorkbook(set, results.answerPages(scope), sink.stream);
      await finished(sink.stream);
      return sink.bytes();
    };
    const [csv, csvT] = await timed('results.csv', () => download('results'));
    const [answers, answersT] = await timed('answers.csv', () => download('answers'));
    let workbook: OnlineStoreResult['exports']['workbook'];
    try {
      const [bytes, t] = await timed('workbook.xlsx', () => download('workbook'));
      const sheets = Math.ceil((answerRows + 1) / SHEET_MAX_ROWS);
      workbook = { ...t, MB: mb(bytes), sheets };
    } catch (err) {
      workbook = { error: String((err as Error).message).slice(0, 120) };
    }
    lag.disable();
    gc.disconnect();
    clearInterval(probe);
    clearInterval(busy);
    if (process.env.BENCH_STALLS) writeFileSync(process.env.BENCH_STALLS, JSON.stringify(stalls));
    return {
      options: { mode: opts.mode, registered: opts.registered, attempts: opts.attempts },
      seedSeconds,
      memory: {
        totalMB: mb(bytes),
        perContestantKB: Math.round((bytes / opts.registered / 1024) * 100) / 100,
        perAttemptKB: Math.round((bytes / opts.attempts / 1024) * 100) / 100,
        rssMB: mb(process.memoryUsage().rss),
      },
      roundRead: read,
      board: { first, again },
      resultsRows: locked.entries,
      lock: { ...lockT, ...locked },
      exports: {
        resultsCsv: { ...csvT, MB: mb(csv) },
        answersCsv: { ...answersT, MB: mb(answers), rows: answerRows },
        workbook,
      },
      wallSeconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await app?.close();
    redis?.redis.disconnect();
    killOnline();
  }
}

/** A download that goes nowhere: counts the bytes written. */
function byteSink() {
  let n = 0;
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      n += Buffer.byteLength(chunk);
      done();
    },
  });
  return { stream, bytes: () => n };
}
const drain = async (from: Readable) => {
  const sink = byteSink();
  await pipeline(from, sink.stream);
  return sink.bytes();
};

const usedMemory = (info: string) => Number(info.match(/^used_memory:(\d+)/m)?.[1] ?? 0);

/**
 * Registers `registered` contestants and gives them `attempts` submitted and scored attempts (the first ones two
 * each). Embedded mode: through the memory store's own methods (register, start, save each answer, submit) and the
 * real scoring step, with the store's clock moved into the closed round's window. Redis mode: the same records
 * written in bulk (pipelined) in the Redis store's key layout — the scripts one call at a time would take an hour
 * here — then checked through the store's API (seedCheck), so a layout that drifted fails the bench.
 */
async function seed(
  app: App,
  opts: OnlineStoreOptions,
  redisUrl: string | undefined,
  prefix: string,
  log: (m: string) => void,
) {
  const store = app.onlineStore;
  const contest = (await loadContests('bench/contests')).get(ONLINE_CONTEST)!;
  const round = contest.rounds.find((r) => r.id === ROUND)!;
  const rules = attemptRules(round.online!);
  const keys = onlineRankKeys(contest.ranking.tieBreak);
  const twice = Math.max(0, opts.attempts - opts.registered);
  const limitMs = rules.limitMs;
  const plan = (i: number) => {
    const id = `b${i.toString(36).padStart(8, '0')}`;
    const group = TARGET_GROUPS[i % 4]!;
    const contestant = {
      id,
      fullName: `Nguyễn Văn Thí Sinh ${i}`,
      phone: `+849${String(i).padStart(8, '0')}`,
      group,
      unit: `don-vi-${(i % 114) + 1}`,
      consentAt: rules.opensAt,
      registeredAt: rules.opensAt,
      codeHash: hashCode(id, 'ABC123'),
    };
    const attempts = Array.from({ length: i < twice ? 2 : 1 }, (_, n) => {
      const questions = drawAttemptQuestions(contest, round, group);
      const startedAt = rules.opensAt + 3_600_000 + i * 7 + n * limitMs;
      const answers = new Map(
        questions.map((q, k) => [
          q.id,
          {
            at: startedAt + (k + 1) * 20_000,
            choice: q.type === 'numeric' ? i % 1000 : Math.random() < 0.7 ? (q as { correct: number }).correct : 3,
          },
        ]),
      );
      const submittedAt = startedAt + (questions.length + 1) * 20_000;
      const result = scoreAttempt({
        questions,
        answers,
        predictionId: round.prediction,
        startedAt,
        submittedAt,
        limitMs,
      });
      return {
        id: randomBytes(18).toString('base64url'),
        questions: questions.map((q) => ({ id: q.id, perm: optionPermutation(q) })),
        answers,
        startedAt,
        submittedAt,
        result,
        score: rankScore(keys, result),
        member: rankMember(submittedAt, id),
      };
    });
    return { contestant, attempts };
  };

  if (!redisUrl) {
    const shift = rules.opensAt + 3_600_000 - (await store.now());
    store.shiftClock(shift);
    try {
      for (let i = 0; i < opts.registered; i++) {
        const { contestant, attempts } = plan(i);
        await store.register(ONLINE_CONTEST, contestant, hashToken(`bench-token-${i}`));
        for (const a of attempts) {
          const started = await store.startAttempt(
            ONLINE_CONTEST,
            { id: a.id, roundId: ROUND, contestantId: contestant.id, questions: a.questions },
            rules,
            2000,
          );
          if (started.ok !== true) throw new Error(`seed start: ${JSON.stringify(started)}`);
          for (const [q, ans] of a.answers)
            await store.saveAnswer(ONLINE_CONTEST, a.id, contestant.id, q, ans.choice, 2000);
          await store.submitAttempt(ONLINE_CONTEST, a.id, contestant.id, 2000);
          await app.online.scoreAttempt(ONLINE_CONTEST, a.id);
        }
        if (i % 20_000 === 0) log(`seeded ${i} of ${opts.registered} contestants`);
      }
    } finally {
      store.shiftClock(-shift);
    }
    return;
  }

  // Redis: the layout of server/src/online/store-redis.ts, written in pipelines.
  const redis = new Redis(redisUrl);
  const k = (...parts: string[]) => [`${prefix}on:{${ONLINE_CONTEST}}`, ...parts].join(':');
  const counters = new Map<string, number>();
  const bump = (field: string) => counters.set(field, (counters.get(field) ?? 0) + 1);
  const sample: { contestantId: string; attemptId: string; correct: number }[] = [];
  try {
    const BATCH = 2000;
    for (let from = 0; from < opts.registered; from += BATCH) {
      const p = redis.pipeline();
      for (let i = from; i < Math.min(opts.registered, from + BATCH); i++) {
        const { contestant: c, attempts } = plan(i);
        p.hset(k('phones'), c.phone, c.id);
        p.hset(k('contestants'), c.id, JSON.stringify(c));
        p.hset(k('tokens'), hashToken(`bench-token-${i}`), c.id);
        let best: (typeof attempts)[number] | null = null;
        for (const a of attempts) {
          const fields: (string | number)[] = ['id', a.id, 'round', ROUND, 'ct', c.id, 'status', 'scored'];
          fields.push('startedAt', a.startedAt, 'deadline', a.startedAt + limitMs);
          a.questions.forEach((q, n) => fields.push(`q:${q.id}`, `${n}|${q.perm.join(',')}`));
          a.questions.forEach((q, n) => {
            const ans = a.answers.get(q.id)!;
            fields.push(`a:${n}`, `${ans.at - a.startedAt}|${JSON.stringify(ans.choice)}`);
          });
          fields.push('sub', a.submittedAt, 'reason', 'contestant', 'result', encodeResult(a.result));
          p.hset(k('a', a.id), ...fields);
          if (!best || a.score < best.score || (a.score === best.score && a.member < best.member)) best = a;
          for (const slot of ['', `u:${c.unit}:`, `g:${c.group}:`]) bump(`${slot}attempts`);
        }
        for (const slot of ['', `u:${c.unit}:`, `g:${c.group}:`]) bump(`${slot}participants`);
        p.zadd(k('r', ROUND, 'rank'), best!.score, best!.member);
        p.hset(k('r', ROUND, 'me', c.id), 'starts', attempts.map((a) => a.startedAt).join(','), 'counting', best!.id);
        p.hset(k('r', ROUND, 'me', c.id), 'score', best!.score, 'member', best!.member, 'cat', best!.submittedAt);
        p.hset(k('r', ROUND, 'me', c.id), 'scored', attempts.length);
        if (i % 50_000 === 0) sample.push({ contestantId: c.id, attemptId: best!.id, correct: best!.result.correct });
      }
      await p.exec();
      if ((from / BATCH) % 25 === 0) log(`seeded ${from + BATCH} of ${opts.registered} contestants`);
    }
    await redis.hset(k('r', ROUND, 'counters'), Object.fromEntries(counters));
  } finally {
    redis.disconnect();
  }
  // Read back through the store: the bulk layout must be the store's.
  const read = await store.counters(ONLINE_CONTEST, ROUND);
  if (read.participants !== opts.registered || read.attempts !== opts.registered + twice)
    throw new Error(`seed check: counters ${read.participants}/${read.attempts}`);
  for (const s of sample) {
    const a = await store.getAttempt(ONLINE_CONTEST, s.attemptId);
    const me = await store.myRound(ONLINE_CONTEST, ROUND, s.contestantId);
    if (a?.status !== 'scored' || a.result?.correct !== s.correct || me.counting !== s.attemptId)
      throw new Error(`seed check: attempt ${s.attemptId} reads back as ${JSON.stringify(a?.result)}`);
    if (Object.keys(a.answers).length !== a.questions.length) throw new Error('seed check: answers');
  }
}

/** As store-redis.ts encodes a result. */
const encodeResult = (r: AttemptResult) =>
  [r.correct, r.total, r.answered, r.timeMs, r.submittedAt, r.predictionGuess ?? ''].join(',');

export const STORE_HEADER = [
  '### Online rounds: a whole round stored (`npm run bench -- --online --stored`, bench/online-store.ts)',
  '',
  'Targets: store ≤ 2 GB; board refresh ≤ 5 s; results lock and exports ≤ 60 s each; event loop never stalled > 100 ms.',
  '',
  '| date (UTC) | commit | machine | command | contestants / attempts, seeded in | store total, per contestant, per attempt | board refresh ms (stall); whole round read | lock ms (stall) | results.csv ms (stall), MB | answers.csv ms (stall), rows | workbook ms (stall), MB | verdict |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
].join('\n');

export function storeRow(r: OnlineStoreResult): { misses: string[]; cols: string[] } {
  const misses: string[] = [];
  const t = (x: Timed) =>
    `${x.ms} (${x.lagMaxMs}, CPU ${x.busyMaxMs}) [CPU ${x.cpuMs}, GC ${x.gcMaxMs}, RSS ${x.rssMaxMB} MB]`;
  if (r.memory.totalMB > 2048) misses.push(`store ${r.memory.totalMB} MB > 2 GB`);
  if (r.board.again.ms > 5000 || r.board.first.ms > 5000) misses.push('board refresh > 5 s');
  const heavy: [string, Timed][] = [
    ['round read', r.roundRead],
    ['board', r.board.first],
    ['board', r.board.again],
    ['lock', r.lock],
    ['results.csv', r.exports.resultsCsv],
    ['answers.csv', r.exports.answersCsv],
    ...('error' in r.exports.workbook ? [] : [['workbook', r.exports.workbook] as [string, Timed]]),
  ];
  for (const [name, x] of heavy) {
    if (x.ms > 60_000 && name !== 'board') misses.push(`${name} ${x.ms} ms > 60 s`);
    if (x.lagMaxMs > 100) misses.push(`${name} stalled the loop ${x.lagMaxMs} ms (CPU ${x.busyMaxMs} ms)`);
  }
  if ('error' in r.exports.workbook) misses.push(`workbook failed: ${r.exports.workbook.error}`);
  return {
    misses,
    cols: [
      `${r.options.registered} / ${r.options.attempts}, ${r.seedSeconds} s`,
      `${r.memory.totalMB} MB, ${r.memory.perContestantKB} KB, ${r.memory.perAttemptKB} KB`,
      `${t(r.board.first)} / ${t(r.board.again)}; whole round read ${t(r.roundRead)}`,
      t(r.lock),
      `${t(r.exports.resultsCsv)}, ${r.exports.resultsCsv.MB}`,
      `${t(r.exports.answersCsv)}, ${r.exports.answersCsv.rows}`,
      'error' in r.exports.workbook
        ? 'failed'
        : `${t(r.exports.workbook)}, ${r.exports.workbook.MB}, ${r.exports.workbook.sheets} answer sheet(s)`,
    ],
  };
}
