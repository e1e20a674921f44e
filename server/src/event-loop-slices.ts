// Long work on the main thread (a whole online round's results: 200,000 rows) runs in slices of a few milliseconds,
// yielding between them, so live games on the same node keep their timers and sockets (target: no stall > 100 ms).

/** How long one slice may hold the event loop before it yields. */
const SLICE_MS = 8;

/** Lets the event loop run (timers, sockets) before going on: a macrotask, not a microtask. */
export const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * A clock for a loop: `pause()` yields to the event loop once the current slice has run `SLICE_MS`, else is cheap.
 * The clock is read every `every` calls (a power of two): calls of a few microseconds need not read it each time.
 */
export function slicer(every = 64) {
  let since = performance.now();
  let n = 0;
  return {
    async pause() {
      if ((++n & (every - 1)) !== 0 || performance.now() - since < SLICE_MS) return;
      await yieldToLoop();
      since = performance.now();
    },
  };
}

/** Items per run sorted in one go (a few milliseconds), and per slice of a merge. */
const RUN = 2048;

/**
 * `[...items].sort(cmp)`, the same order (a stable merge sort, as Array.prototype.sort is stable), in slices:
 * sorting 200,000 rows in one call held the event loop for a few hundred milliseconds.
 */
export async function sortInSlices<T>(items: readonly T[], cmp: (a: T, b: T) => number): Promise<T[]> {
  const slice = slicer(1);
  let from = items.slice();
  const n = from.length;
  for (let lo = 0; lo < n; lo += RUN) {
    const run = from.slice(lo, lo + RUN).sort(cmp);
    for (let i = 0; i < run.length; i++) from[lo + i] = run[i]!;
    await slice.pause();
  }
  let to = new Array<T>(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        // Equal items keep their order: the left run's first.
        to[k] = i < mid && (j >= hi || cmp(from[i]!, from[j]!) <= 0) ? from[i++]! : from[j++]!;
        if ((k & (RUN - 1)) === RUN - 1) await slice.pause();
      }
    }
    [from, to] = [to, from];
  }
  return from;
}
