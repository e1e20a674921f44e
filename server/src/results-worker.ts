// Inside the results worker thread (started by organiser/results-thread.ts through results-worker.mjs): builds the
// organisers' result services over Redis connections of its own — the same OrganiserResults, LiveGames and
// OnlineRounds code the node runs, with no socket.io and no job worker — runs one task, streams its bytes to the
// parent with backpressure, and ends. A composition root like app.ts, so it sits beside it.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from 'pino';
import { ContestRegistry } from './contests/registry';
import { loadContests } from './contests/load';
import { GameError } from './errors';
import type { JobRunner } from './jobs/jobs';
import { LiveGames } from './live/games';
import { OnlineRounds } from './online/online-rounds';
import { RedisOnlineStore } from './online/store-redis';
import { AuditLog } from './organiser/audit';
import { ClaimDesk } from './organiser/claims';
import { resultSetCsv, writeResultSetWorkbook } from './organiser/exports';
import { jsonPieces } from './organiser/result-json';
import { OrganiserResults } from './organiser/results';
import {
  CHUNKS_IN_FLIGHT,
  type ParentMessage,
  type ResultsHead,
  type ResultsTask,
  type ResultsThreadConfig,
  type WorkerMessage,
} from './organiser/results-thread';
import { RedisStore } from './store/redis';

const port = parentPort!;
const { config, task, onlineClockShiftMs } = workerData as {
  config: ResultsThreadConfig;
  task: ResultsTask;
  onlineClockShiftMs: number;
};
const send = (m: WorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

const log = {
  info: (obj: object, msg: string) => send({ type: 'log', level: 'info', obj, msg }),
  warn: (obj: object, msg: string) => send({ type: 'log', level: 'warn', obj, msg }),
  error: (obj: object, msg: string) =>
    send({ type: 'log', level: 'error', obj: JSON.parse(JSON.stringify(obj, errorFields)) as object, msg }),
};
function errorFields(_key: string, v: unknown) {
  return v instanceof Error ? { message: v.message, stack: v.stack } : v;
}

/** Nothing here enqueues a job (reading, locking and exporting results never do): one that tried is a bug. */
const noJobs: JobRunner = {
  kind: 'bullmq',
  enqueue: (name) => Promise.reject(new Error(`the results worker enqueues no jobs (${name})`)),
  start: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

/** Bytes gathered into pieces of this size before they are moved to the parent (fewer, larger messages). */
const PIECE = 256 * 1024;

/** Sends what is written to the parent in moved buffers, holding the writer while CHUNKS_IN_FLIGHT are untaken. */
function toParent(): Writable {
  let inFlight = 0;
  let waiting: (() => void) | undefined;
  port.on('message', (m: ParentMessage) => {
    if (m.type !== 'ack') return;
    inFlight--;
    const w = waiting;
    waiting = undefined;
    w?.();
  });
  let held: Buffer[] = [];
  let heldBytes = 0;
  const post = (done: () => void) => {
    // A buffer of its own (a small Buffer shares Node's pool, which cannot be moved), moved rather than copied.
    const bytes = new Uint8Array(heldBytes);
    let at = 0;
    for (const b of held) {
      bytes.set(b, at);
      at += b.length;
    }
    held = [];
    heldBytes = 0;
    send({ type: 'chunk', bytes }, [bytes.buffer]);
    inFlight++;
    if (inFlight < CHUNKS_IN_FLIGHT) done();
    else waiting = done;
  };
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes >= PIECE) post(() => done());
      else done();
    },
    final(done) {
      if (heldBytes) post(() => done());
      else done();
    },
  });
}

/**
 * Linux: this thread (not the process: a thread id given to setpriority names one thread) runs at a lower priority,
 * so when the node's event loop and this worker want the same core, the event loop — live games — gets it.
 */
function yieldCpuToNode() {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0) setPriority(tid, 10);
  } catch {
    // Elsewhere it runs at the node's priority.
  }
}

async function main() {
  yieldCpuToNode();
  const store = new RedisStore(config.redisUrl, config.redisPrefix);
  const onlineStore = new RedisOnlineStore(config.redisUrl, config.redisPrefix);
  onlineStore.shiftClock(onlineClockShiftMs);
  const audit = new AuditLog(store.organiser, () => store.now(), log, { maxEntries: config.auditMaxEntries });
  try {
    const registry = new ContestRegistry(await loadContests(config.contestsDir), store.organiser, {
      error: (obj: object, msg?: string) => log.error(obj, msg ?? ''),
    } as Pick<Logger, 'error'>);
    await registry.refresh();
    const contests = registry.all;
    const games = new LiveGames({ store, jobs: noJobs, contests, graceMs: 0, publicUrl: () => '', log });
    const online = new OnlineRounds({ store: onlineStore, jobs: noJobs, contests, log });
    const claims = new ClaimDesk({ store, audit });
    claims.on('issued', (pin, playerId, notice) => send({ type: 'claim', pin, playerId, notice }));
    const results = new OrganiserResults({ games, store, contests, audit, claims, online });

    /** The head, then a JSON value in slices (jsonPieces), then done. */
    const answer = async (head: ResultsHead, value: unknown) => {
      send({ type: 'head', head });
      await pipeline(Readable.from(jsonPieces(value)), toParent());
      send({ type: 'done' });
    };
    // Small answers: the heavy reads stay on this heap.
    if (task.kind === 'dashboard') {
      const dashboard = await results.computeDashboard(task.contestId);
      return await answer(
        { lock: null, games: dashboard.games.length, entries: dashboard.contestants.total },
        dashboard,
      );
    }
    if (task.kind === 'finalise') {
      const { rows, predictionActual } = await online.roundRows(task.contestId, task.roundId);
      return await answer({ lock: null, games: 1, entries: rows.length }, { predictionActual });
    }
    if (task.kind === 'playoff') {
      // Two whole-set computations (the tie to check, then the new preview), on this heap.
      const preview = await results.recordPlayoff(task.scope, task.body, { actor: task.actor, ip: task.ip });
      return await answer({ lock: null, games: 0, entries: 0 }, preview);
    }
    const set =
      task.kind === 'lock'
        ? await results.lock(task.scope, {
            acceptTies: task.acceptTies,
            ...(task.previewDigest ? { previewDigest: task.previewDigest } : {}),
            actor: task.actor,
            ip: task.ip,
          })
        : await results.get(task.scope);
    const head = { lock: set.lock, games: set.games.length, entries: set.overall.length };
    if (task.kind === 'prizes') return await answer(head, results.previewOf(set));
    if (task.kind !== 'export') return await answer(head, set);
    send({ type: 'head', head });
    const out = toParent();
    if (task.table === 'workbook') {
      await writeResultSetWorkbook(set, results.answerPages(task.scope), out);
      await finished(out);
    } else {
      const answers = task.table === 'answers' ? results.answerPages(task.scope) : [];
      await pipeline(Readable.from(resultSetCsv(set, task.table, answers)), out);
    }
    send({ type: 'done' });
  } catch (err) {
    if (err instanceof GameError) send({ type: 'error', code: err.code, message: err.message, extra: err.extra });
    else {
      log.error({ err }, 'results worker task failed');
      send({ type: 'error', code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
    }
  } finally {
    await audit.close();
    await store.close();
    await onlineStore.close();
  }
}

await main();
