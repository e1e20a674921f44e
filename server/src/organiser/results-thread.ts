// Locks and downloads of result sets, done in a worker thread of their own (Redis mode). A whole online round is
// ~100 MB of result-set JSON and 2,000,000 answer rows: even sliced, building, joining and collecting that on the
// main thread stalled a live game on the node by 250-400 ms (bench/RESULTS.md). The worker (results-worker.ts, the
// same OrganiserResults code over its own Redis connections) has its own heap, so its strings and its garbage
// collections never stop this event loop; this side only passes on the bytes it sends, with backpressure.
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ClaimNotice } from '../../../protocol/events';
import type { Playoff, ResultScope, ResultSet } from '../../../protocol/organiser';
import type { ErrorCode } from '../../../protocol/errors';
import { GameError } from '../errors';
import type { ExportTable } from './exports';

const ENTRY = new URL('../results-worker.mjs', import.meta.url);

/** What the worker is asked to do; every kind answers a head, then a body of bytes. */
export type ResultsTask =
  /** Lock the scope (OrganiserResults.lock); the body is the locked set's JSON, as the lock route answers. */
  | {
      kind: 'lock';
      scope: ResultScope;
      acceptTies: boolean;
      previewDigest?: string;
      actor: string;
      ip: string | null;
    }
  /** A sudden-death playoff recorded (OrganiserResults.recordPlayoff); the body is the new prize preview's JSON. */
  | {
      kind: 'playoff';
      scope: ResultScope;
      body: { ranking: Playoff['ranking']; members: string[]; pin: string };
      actor: string;
      ip: string | null;
    }
  /** The result set (locked copy or computed now) as JSON; `prizes`: what its lock names (OrganiserResults.preview). */
  | { kind: 'set' | 'prizes'; scope: ResultScope }
  /** A download: one CSV table, the answers CSV, or the workbook. */
  | { kind: 'export'; scope: ResultScope; table: ExportTable | 'answers' | 'workbook' }
  /** The contest's dashboard computed now (OrganiserResults.computeDashboard); the body is its JSON. */
  | { kind: 'dashboard'; contestId: string }
  /**
   * The online round's whole read once it is final, which fixes its prediction's actual value (the board's one-off,
   * OnlineRounds.roundRows); the body is `{ predictionActual }`.
   */
  | { kind: 'finalise'; contestId: string; roundId: string };

/** What comes before the body: enough for the response's headers and the audit entry. */
export interface ResultsHead {
  lock: ResultSet['lock'];
  games: number;
  entries: number;
}

/** How the worker reaches Redis and the contests; the same settings the node runs with. */
export interface ResultsThreadConfig {
  redisUrl: string;
  redisPrefix: string;
  /** Absolute path of the bundled contests. */
  contestsDir: string;
  auditMaxEntries: number;
  /** The worker's heap limit in MB (V8's default, or --max-old-space-size, when absent). */
  maxHeapMb?: number;
  /** Workers running at once (default 2): more requests wait their turn, each worker can take a GB or more. */
  maxWorkers?: number;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { type: 'head'; head: ResultsHead }
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'done' }
  | { type: 'error'; code: ErrorCode; message: string; extra?: Record<string, unknown> }
  | { type: 'claim'; pin: string; playerId: string; notice: ClaimNotice }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; obj: object; msg: string };

/** Messages to the worker: one per chunk the response has taken. */
export type ParentMessage = { type: 'ack' };

/** Chunks the worker may send before this side has passed the first of them on. */
export const CHUNKS_IN_FLIGHT = 4;

export interface ResultsThreadDeps {
  config: ResultsThreadConfig;
  /** The worker's entry script (default results-worker.mjs; tests give one that fails on purpose). */
  entry?: URL;
  /** How far the node's online clock was shifted (tests move it: OnlineStore.shiftClock); the worker's goes as far. */
  onlineClockShiftMs?: () => number;
  /** A claim code issued by a lock (pushed to the winner's phone by the fan-out). */
  onClaim?: (pin: string, playerId: string, notice: ClaimNotice) => void;
  log: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
}

export class ResultsThread {
  private readonly running = new Set<Worker>();
  private starts = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly deps: ResultsThreadDeps) {}

  /** Resolves when a worker may start (at most maxWorkers at once, in the order asked). */
  private turn(): Promise<void> {
    if (this.starts < (this.deps.config.maxWorkers ?? 2)) {
      this.starts++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.starts--;
  }

  /**
   * Starts the task in a new worker. Resolves with the head once the work before the first byte is done (for a
   * lock: the lock is stored); rejects with the worker's GameError (a refusal) or INTERNAL (it threw or died), and
   * then nothing was stored. The body streams what follows; a failure past the head destroys it.
   */
  async run(task: ResultsTask): Promise<{ head: ResultsHead; body: Readable }> {
    await this.turn();
    const { config, log } = this.deps;
    let worker: Worker;
    try {
      worker = new Worker(this.deps.entry ?? ENTRY, {
        // Not the parent's loader flags: the entry registers tsx itself.
        execArgv: [],
        workerData: { config, task, onlineClockShiftMs: this.deps.onlineClockShiftMs?.() ?? 0 },
        ...(config.maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: config.maxHeapMb } } : {}),
      });
    } catch (err) {
      this.release();
      throw err;
    }
    this.running.add(worker);
    let owed = 0;
    const body = new Readable({
      read() {
        // The consumer wants more: the worker may send as many chunks as were held back.
        for (; owed > 0; owed--) worker.postMessage({ type: 'ack' } satisfies ParentMessage);
      },
    });
    return new Promise((resolve, reject) => {
      let headSent = false;
      let finished = false;
      const fail = (err: Error) => {
        if (finished) return;
        finished = true;
        if (!headSent) reject(err);
        else body.destroy(err);
        void worker.terminate();
      };
      worker.on('message', (m: WorkerMessage) => {
        switch (m.type) {
          case 'head':
            headSent = true;
            resolve({ head: m.head, body });
            break;
          case 'chunk':
            if (body.push(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength)))
              worker.postMessage({ type: 'ack' } satisfies ParentMessage);
            else owed++;
            break;
          case 'done':
            finished = true;
            body.push(null);
            // Everything it wrote is written: its connections need no goodbye.
            void worker.terminate();
            break;
          case 'error':
            fail(new GameError(m.code, m.message, m.extra));
            break;
          case 'claim':
            this.deps.onClaim?.(m.pin, m.playerId, m.notice);
            break;
          case 'log':
            log[m.level](m.obj, m.msg);
        }
      });
      worker.on('error', (err) => {
        log.error({ err, task: task.kind }, 'results worker failed');
        fail(new GameError('INTERNAL', `the results worker failed: ${err.message}`));
      });
      worker.on('exit', (code) => {
        this.running.delete(worker);
        this.release();
        fail(new GameError('INTERNAL', `the results worker stopped (code ${code}) before finishing`));
      });
      // A download cut short by the client stops the work.
      body.on('close', () => {
        if (!finished) fail(new Error('download closed'));
      });
    });
  }

  /**
   * A task whose body is a small JSON value (the dashboard, a round's finalising), read whole and parsed here.
   * Rejects as run() does; a body cut short by the worker rejects too, so a caller never sees half a value.
   */
  async json<T>(task: Extract<ResultsTask, { kind: 'dashboard' | 'finalise' }>): Promise<T> {
    const { body } = await this.run(task);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
  }

  /** Stops every running task (shutdown). */
  async close() {
    await Promise.all([...this.running].map((w) => w.terminate()));
  }
}
