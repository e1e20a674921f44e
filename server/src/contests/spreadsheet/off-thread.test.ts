import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { Contest } from '../../../../protocol/contest';
import { loadContests } from '../load';
import { importContestWorkbookInWorker, WORKBOOK_LIMITS } from './off-thread';
import { exportContestWorkbook, importContestWorkbook } from './workbook';

/** A bundled contest with its questions copied until the workbook is large (about 0.3 MB with 25 copies). */
async function largeWorkbook(copies: number): Promise<Buffer> {
  const contest = [...(await loadContests('contests')).values()].find((c) => c.id === 'cong-dan-so-2025')!;
  // The originals (the rounds name them) and copies under new ids (prediction questions once: rounds own them).
  const copiable = contest.questions.filter((q) => !('answerKnownAfterRound' in q && q.answerKnownAfterRound));
  const questions = [
    ...contest.questions,
    ...Array.from({ length: copies }, (_, k) => copiable.map((q) => ({ ...q, id: `${q.id}-${k}` }))).flat(),
  ];
  return exportContestWorkbook({ ...contest, questions } as Contest);
}

/** How long the main event loop stalled (ms) while `work` ran: the 99th percentile and the longest. */
async function stalls(work: () => Promise<unknown>): Promise<{ p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  await work();
  h.disable();
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
}

describe(importContestWorkbookInWorker.name, () => {
  it('parses a large workbook without stalling the main event loop, with the same result as in-thread', async () => {
    const big = await largeWorkbook(25);
    expect(big.byteLength).toBeGreaterThan(250_000);
    let inWorker: Awaited<ReturnType<typeof importContestWorkbook>> | undefined;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const worker = await stalls(async () => {
      inWorker = await importContestWorkbookInWorker(big, {}, { ...WORKBOOK_LIMITS, timeoutMs: 100_000 }); // a busy test machine
    });
    clearInterval(timer);
    // Before: the same parse on the main thread blocks it several times longer than the worker ever does (how long
    // in absolute terms depends on the machine: 148 ms idle here, seconds when the cores are busy).
    let inThread: Awaited<ReturnType<typeof importContestWorkbook>> | undefined;
    const blocked = await stalls(async () => {
      inThread = await importContestWorkbook(big);
    });
    const ms = (x: { p99: number; max: number }) => `p99 ${x.p99.toFixed(0)} ms, max ${x.max.toFixed(0)} ms`;
    console.log(
      `workbook ${(big.byteLength / 1e6).toFixed(2)} MB: main loop stalled ${ms(blocked)} in-thread; ${ms(worker)} with the worker`,
    );
    expect(blocked.max).toBeGreaterThan(3 * worker.p99);
    // Timers on the main loop keep their time while the worker parses; the longest stall (a GC or the result's
    // copy, on a shared 2-core machine) stays far below the in-thread freeze.
    expect(worker.p99).toBeLessThan(100);
    expect(worker.max).toBeLessThan(500);
    expect(ticks).toBeGreaterThan(5);
    expect(inWorker).toEqual(inThread);
    expect(inWorker!.ok).toBe(true);
  }, 120_000);

  it('refuses a file over the size limit before parsing', async () => {
    const result = await importContestWorkbookInWorker(new Uint8Array(WORKBOOK_LIMITS.maxBytes + 1));
    expect(result).toEqual({
      ok: false,
      problems: [expect.objectContaining({ message: expect.stringMatching(/^tệp lớn hơn 4 MB/) })],
    });
  });

  it('refuses a workbook with too many rows or cells, by name', async () => {
    const big = await largeWorkbook(3);
    const rows = await importContestWorkbookInWorker(big, {}, { ...WORKBOOK_LIMITS, maxRows: 100 });
    expect(rows).toEqual({
      ok: false,
      problems: [expect.objectContaining({ message: expect.stringMatching(/hơn 100 dòng/) })],
    });
    const cells = await importContestWorkbookInWorker(big, {}, { ...WORKBOOK_LIMITS, maxCells: 500 });
    expect(cells).toEqual({
      ok: false,
      problems: [expect.objectContaining({ message: expect.stringMatching(/hơn 500 ô/) })],
    });
  }, 120_000);

  it('stops a parse that runs past the timeout or the memory limit', async () => {
    const big = await largeWorkbook(20);
    const slow = await importContestWorkbookInWorker(big, {}, { ...WORKBOOK_LIMITS, timeoutMs: 50 });
    expect(slow).toEqual({
      ok: false,
      problems: [expect.objectContaining({ message: expect.stringMatching(/quá 0.05 giây/) })],
    });
    const hungry = await importContestWorkbookInWorker(big, {}, { ...WORKBOOK_LIMITS, maxMemoryMb: 8 });
    expect(hungry).toEqual({
      ok: false,
      problems: [expect.objectContaining({ message: expect.stringMatching(/bộ nhớ/) })],
    });
  }, 120_000);

  it('reports a file that is not a workbook, as in-thread', async () => {
    expect(await importContestWorkbookInWorker(Buffer.from('not a zip'))).toEqual(
      await importContestWorkbook(Buffer.from('not a zip')),
    );
  });
});
