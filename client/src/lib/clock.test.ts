import { describe, expect, it } from 'vitest';
import { estimateOffset, secondsLeft } from './clock';

describe(estimateOffset.name, () => {
  it.each([
    { name: 'no samples', samples: [], offset: 0 },
    { name: 'symmetric trip', samples: [{ sentAt: 1000, serverTime: 6050, receivedAt: 1100 }], offset: 5000 },
    {
      name: 'picks the shortest round trip',
      samples: [
        { sentAt: 0, serverTime: 10_900, receivedAt: 1000 },
        { sentAt: 2000, serverTime: 12_020, receivedAt: 2040 },
      ],
      offset: 10_000,
    },
    { name: 'server behind', samples: [{ sentAt: 5000, serverTime: 3010, receivedAt: 5020 }], offset: -2000 },
  ])('$name', ({ samples, offset }) => {
    expect(estimateOffset(samples)).toBe(offset);
  });
});

describe(secondsLeft.name, () => {
  it.each([
    { deadline: 20_000, now: 0, offset: 0, left: 20 },
    { deadline: 20_000, now: 10_001, offset: 0, left: 10 },
    { deadline: 20_000, now: 19_999, offset: 0, left: 1 },
    { deadline: 20_000, now: 25_000, offset: 0, left: 0 },
    { deadline: 20_000, now: 5_000, offset: 10_000, left: 5 },
  ])('deadline $deadline at $now with offset $offset → $left s', ({ deadline, now, offset, left }) => {
    expect(secondsLeft(deadline, now, offset)).toBe(left);
  });
});
