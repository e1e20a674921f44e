// Contest workbook uploads parsed in a worker thread with limits: exceljs parses synchronously (a 3 MB workbook took
// 27 s), which on the main thread froze every game on the node. Same result type as importContestWorkbook.
import { Worker } from 'node:worker_threads';
import type { ContestImport, SheetProblem } from './contest-tables';
import type { ImportJob } from './import-worker';

export const WORKBOOK_LIMITS = {
  /** The largest upload; deploy/nginx.conf's client_max_body_size is the same. */
  maxBytes: 4 * 1024 * 1024,
  maxRows: 20_000,
  maxCells: 400_000,
  /** The worker's heap: a zip bomb dies here, not in the game server. */
  maxMemoryMb: 256,
  timeoutMs: 30_000,
};
export type WorkbookLimits = typeof WORKBOOK_LIMITS;

const ENTRY = new URL('./import-worker.mjs', import.meta.url);
const MB = 1024 * 1024;
/** A warm worker is kept this long after its last parse (starting one loads tsx and exceljs: a second or more). */
const IDLE_MS = 60_000;

const problem = (message: string): ContestImport => ({
  ok: false,
  problems: [{ sheet: '', row: 0, column: '', message } satisfies SheetProblem],
});

// One parse at a time: organisers upload rarely, and two large parses would take both cores from the games.
let queue: Promise<unknown> = Promise.resolve();
let warm: { worker: Worker; maxMemoryMb: number; idle?: NodeJS.Timeout } | undefined;
let jobs = 0;

/** importContestWorkbook in a worker thread: refuses files over the size limit, stops at the memory limit and timeout. */
export function importContestWorkbookInWorker(
  buffer: Uint8Array,
  options: { id?: string } = {},
  limits: WorkbookLimits = WORKBOOK_LIMITS,
): Promise<ContestImport> {
  if (buffer.byteLength > limits.maxBytes)
    return Promise.resolve(
      problem(
        `tệp lớn hơn ${Math.round(limits.maxBytes / MB)} MB; chia cuộc thi thành các tệp nhỏ hơn hoặc bỏ bớt định dạng, hình ảnh`,
      ),
    );
  const run = queue.then(() => parse(buffer, options.id, limits));
  queue = run.catch(() => undefined);
  return run;
}

function workerFor(maxMemoryMb: number): Worker {
  if (warm && warm.maxMemoryMb === maxMemoryMb) {
    clearTimeout(warm.idle);
    return warm.worker;
  }
  stop();
  const worker = new Worker(ENTRY, {
    // Not the parent's loader flags: the entry registers tsx itself.
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: 32 },
  });
  worker.unref();
  worker.on('error', () => undefined); // each parse listens for its own failure; this keeps a late one from throwing
  warm = { worker, maxMemoryMb };
  return worker;
}

/** Ends the warm worker (after a failure, a timeout, or when idle). */
function stop() {
  if (!warm) return;
  clearTimeout(warm.idle);
  void warm.worker.terminate();
  warm = undefined;
}

function parse(bytes: Uint8Array, id: string | undefined, limits: WorkbookLimits): Promise<ContestImport> {
  const worker = workerFor(limits.maxMemoryMb);
  const job = ++jobs;
  return new Promise<ContestImport>((resolve) => {
    const done = (result: ContestImport, healthy: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (!healthy) stop();
      else if (warm?.worker === worker) warm.idle = setTimeout(stop, IDLE_MS).unref();
      resolve(result);
    };
    const onMessage = (m: { job: number; result: ContestImport }) => m.job === job && done(m.result, true);
    const onError = (err: Error & { code?: string }) =>
      done(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? problem(`tệp cần hơn ${limits.maxMemoryMb} MB bộ nhớ để đọc; chia cuộc thi thành các tệp nhỏ hơn`)
          : problem(`không đọc được tệp Excel (.xlsx): ${err.message}`),
        false,
      );
    const onExit = (code: number) =>
      done(problem(`không đọc được tệp Excel (.xlsx): trình đọc dừng (mã ${code})`), false);
    const timer = setTimeout(
      () => done(problem(`đọc tệp quá ${limits.timeoutMs / 1000} giây; chia cuộc thi thành các tệp nhỏ hơn`), false),
      limits.timeoutMs,
    );
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage({
      job,
      bytes,
      id,
      limits: { maxRows: limits.maxRows, maxCells: limits.maxCells },
    } satisfies ImportJob);
  });
}
