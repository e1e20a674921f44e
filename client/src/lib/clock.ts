/** One round trip of `clock:sync`, all times in ms since epoch. */
export interface ClockSample {
  sentAt: number;
  serverTime: number;
  receivedAt: number;
}

/**
 * Offset to add to the local clock to read the server clock, from the sample with the shortest
 * round trip (the one least skewed by network jitter), assuming the reply took half of it.
 */
export function estimateOffset(samples: readonly ClockSample[]): number {
  let best: ClockSample | undefined;
  for (const s of samples) if (!best || s.receivedAt - s.sentAt < best.receivedAt - best.sentAt) best = s;
  if (!best) return 0;
  return Math.round(best.serverTime - (best.sentAt + best.receivedAt) / 2);
}

/** Whole seconds left before `deadline` (server clock), never negative; rounds up so "1" shows until the end. */
export function secondsLeft(deadline: number, now: number, offset: number): number {
  return Math.max(0, Math.ceil((deadline - (now + offset)) / 1000));
}
