import { describe, expect, it } from 'vitest';
import { burstMembers, joinBursts } from './join-bursts';
import type { PlayerRecord } from './state';

const player = (id: string, origin: string | undefined, joinedAt: number): PlayerRecord => ({
  id,
  nickname: `N${id}`,
  group: 'nguoi-dan',
  joinedAt,
  consentAt: joinedAt,
  ...(origin ? { origin } : {}),
});
const rule = { minCount: 3, windowMs: 5000 };

describe(joinBursts.name, () => {
  it('finds many joins from one origin within the window, and merges overlapping windows', () => {
    const players = [
      player('a1', 'bot', 1000),
      player('a2', 'bot', 1100),
      player('a3', 'bot', 1200),
      player('a4', 'bot', 5900),
      player('b1', 'hall', 1000),
      player('b2', 'hall', 7000),
      player('b3', 'hall', 14000), // spread out: no burst
      player('c1', undefined, 1000),
      player('c2', undefined, 1000),
      player('c3', undefined, 1000), // no address known
    ];
    expect(joinBursts(players, rule)).toEqual([
      { origin: 'bot', count: 4, from: 1000, to: 5900, sample: ['Na1', 'Na2', 'Na3', 'Na4'] },
    ]);
  });
  it('keeps two bursts of one origin apart when a quiet gap separates them, and leaves a lone join out', () => {
    const players = [0, 10, 20, 30_000, 60_000, 60_010, 60_020, 60_030].map((t, i) => player(`p${i}`, 'x', t));
    expect(joinBursts(players, rule).map((b) => [b.count, b.from, b.to])).toEqual([
      [4, 60_000, 60_030],
      [3, 0, 20],
    ]);
  });
});

describe(burstMembers.name, () => {
  it('takes the players of that origin within the burst only', () => {
    const players = [player('a', 'x', 10), player('b', 'x', 20), player('c', 'y', 15), player('d', 'x', 99)];
    expect(burstMembers(players, { origin: 'x', from: 10, to: 20 }).map((p) => p.id)).toEqual(['a', 'b']);
  });
});
