import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GetReady } from './get-ready.svelte';

describe(GetReady.name, () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('counts the get-ready down from when the view arrived, and restarts for a new view', () => {
    let readyMs = $state(3000);
    let ready!: GetReady;
    const stop = $effect.root(() => {
      ready = new GetReady(() => readyMs);
    });
    flushSync();
    expect([ready.active, ready.seconds]).toEqual([true, 3]);
    vi.advanceTimersByTime(1100);
    flushSync();
    expect(ready.seconds).toBe(2);
    vi.advanceTimersByTime(2000);
    flushSync();
    expect([ready.active, ready.seconds]).toEqual([false, 0]);
    readyMs = 2000;
    flushSync();
    expect([ready.active, ready.seconds]).toEqual([true, 2]);
    stop();
  });
});
