// A large scored question is staged in Redis and applied a part per call (RedisStore.applyScores): the same result
// as one call, once, and a freeze landing between the parts applies the rest itself (never half a question).
import { afterAll, describe, expect, it } from 'vitest';
import { initialState } from '../game/state';
import { RedisStore } from './redis';
import type { ScoredQuestion } from './store';
import { redisUrl, testPrefix } from '../../test/helpers';
import { gameRecord, playerRecord } from '../../test/records';

const game = (pin: string) => gameRecord(pin, 1);
const player = playerRecord;
const unitOf = (i: number) => (i % 3 ? `u${i % 3}` : undefined);
/** Question 0 scored for players p0…p(n-1): player i gains i points. */
const scored = (n: number): ScoredQuestion => ({
  index: 0,
  reveal: {
    correctOptions: [0],
    explanation: 'x',
    source: { title: 's' },
    distribution: [n],
    answered: n,
    correctCount: n,
  },
  players: Array.from({ length: n }, (_, i) => ({
    playerId: `p${i}`,
    group: i % 2 ? 'nguoi-dan' : 'hoc-sinh',
    ...(unitOf(i) ? { unit: unitOf(i) } : {}),
    outcome: { answered: true, correct: true, points: i, streakBonus: 0 },
    tally: {
      score: i,
      correct: 1,
      answered: 1,
      timeMs: 1,
      streak: 1,
      bestStreak: 1,
      predictionError: null,
      lastAnswerAt: 1,
    },
    boardScore: i,
    scoreDelta: i,
  })),
});

const prefix = testPrefix('staged');
const oneCall = new RedisStore(redisUrl(), prefix);
// Parts of 3 players, staged 2 items (the reveal or a part) per call.
const inParts = new RedisStore(redisUrl(), prefix, 3, 2);
afterAll(async () => {
  await oneCall.deleteAllKeys();
  await Promise.all([oneCall.close(), inParts.close()]);
});

let pinSeq = 300000;
/** A game of `n` players (the unit counts come from the joins), p4 kicked. */
async function newGame(store: RedisStore, n: number) {
  const pin = String(pinSeq++);
  await store.createGame(game(pin), initialState());
  for (let i = 0; i < n; i++) await store.addPlayer(pin, player(`p${i}`, unitOf(i)), `p${i}`, `t${i}`);
  expect(await store.kickPlayer(pin, 'p4')).toBe(true);
  return pin;
}

/** Everything a scored question leaves that a reader can see. */
async function snapshot(store: RedisStore, pin: string, n: number) {
  const ids = Array.from({ length: n }, (_, i) => `p${i}`);
  return {
    scored: await store.isScored(pin, 0),
    reveal: await store.getReveal(pin, 0),
    tallies: Object.fromEntries(await store.getTallies(pin)),
    outcomes: await store.getOutcomes(pin, 0, ids),
    ranks: Object.fromEntries(await store.ranks(pin)),
    groups: await store.topOfBoard(pin, { kind: 'group', group: 'hoc-sinh' }, n),
    unitBoard: await store.topOfBoard(pin, { kind: 'unit', unit: 'u1' }, n),
    units: (await store.unitTotals(pin)).sort((a, b) => (a.unit < b.unit ? -1 : 1)),
    keys: (await store.keysOfGame(pin)).map((k) => k.slice(k.indexOf('}:') + 2)),
  };
}

describe(RedisStore.name + ': a scored question in parts', () => {
  const n = 11; // four parts of 3

  it('leaves exactly what one call leaves, once, with no staged key behind', async () => {
    const [a, b] = [await newGame(oneCall, n), await newGame(inParts, n)];
    expect(await oneCall.applyScores(a, scored(n))).toBe(true);
    expect(await inParts.applyScores(b, scored(n))).toBe(true);
    const expected = await snapshot(oneCall, a, n);
    expect(expected.outcomes[4]).toBeNull(); // the kicked player is skipped
    expect(expected.units).toEqual([
      { unit: 'u1', players: 3, totalScore: 1 + 7 + 10 }, // p4 kicked
      { unit: 'u2', players: 3, totalScore: 2 + 5 + 8 },
    ]);
    expect(await snapshot(inParts, b, n)).toEqual(expected);
    expect(await inParts.applyScores(b, scored(n))).toBe(false);
    expect(await snapshot(inParts, b, n)).toEqual(expected);
  });

  it('two jobs applying the same question at once count it once', async () => {
    const [a, b] = [await newGame(oneCall, n), await newGame(inParts, n)];
    await oneCall.applyScores(a, scored(n));
    const both = await Promise.all([inParts.applyScores(b, scored(n)), inParts.applyScores(b, scored(n))]);
    expect(both).toContain(true);
    expect(await snapshot(inParts, b, n)).toEqual(await snapshot(oneCall, a, n));
  });

  /**
   * A job that died after staging its question and applying its first part (the driver's own scripts, called as
   * applyScores calls them): four parts of 3 players were staged, three are left.
   */
  async function deadJob(pin: string) {
    const redis = (inParts as unknown as { redis: Record<string, (...args: (string | number)[]) => Promise<number>> })
      .redis;
    const k = (name: string) => `${prefix}g:{${pin}}:${name}`;
    const { reveal, players } = scored(n);
    const part = (from: number) =>
      JSON.stringify(
        players
          .slice(from, from + 3)
          .flatMap((p) => [
            p.playerId,
            p.group,
            p.unit ?? '',
            JSON.stringify(p.outcome),
            JSON.stringify(p.tally),
            String(p.boardScore),
            String(p.scoreDelta),
          ]),
      );
    const [staging, pending] = [k('q:0:staging:dead'), k('q:0:pending')];
    const stage = (last: number, ...items: string[]) =>
      redis.cdsStageScores!(k('scored'), k('frozen'), staging, pending, 0, last, ...items);
    expect(await stage(0, JSON.stringify(reveal), part(0))).toBe(1);
    expect(await stage(1, part(3), part(6), part(9))).toBe(1);
    const step = [k('scored'), k('q:0:res'), k('tally'), k('lb'), k('unitsum'), k('kicked'), pending, 0, k('')];
    expect(await redis.cdsApplyStaged!(...step)).toBe(2);
    expect(await inParts.isScored(pin, 0)).toBe(false);
  }

  it('a job that died after its first part is finished by the retry, which skips the players already applied', async () => {
    const [a, b] = [await newGame(oneCall, n), await newGame(inParts, n)];
    await oneCall.applyScores(a, scored(n));
    await deadJob(b);
    expect(await inParts.applyScores(b, scored(n))).toBe(true);
    expect(await snapshot(inParts, b, n)).toEqual(await snapshot(oneCall, a, n));
  });

  it('a freeze landing between the parts applies the rest itself: the lock reads the whole question', async () => {
    const [a, b] = [await newGame(oneCall, n), await newGame(inParts, n)];
    await oneCall.applyScores(a, scored(n));
    await deadJob(b);
    await inParts.freezeScores(b);
    expect(await inParts.isScored(b, 0)).toBe(true);
    const expected = await snapshot(oneCall, a, n);
    expect(await snapshot(inParts, b, n)).toEqual({ ...expected, keys: [...expected.keys, 'frozen'].sort() });
    expect(await inParts.applyScores(b, scored(n))).toBe(false); // the job's retry: frozen, and scored already
  });

  it('a freeze landing while a question is being staged: none of it is applied, nothing of it kept', async () => {
    const b = await newGame(inParts, n);
    // One connection runs commands in order: the freeze lands after the first staging call, before the second.
    const [applied] = await Promise.all([inParts.applyScores(b, scored(n)), inParts.freezeScores(b)]);
    expect(applied).toBe(false);
    const after = await snapshot(inParts, b, n);
    expect(after).toMatchObject({ scored: false, reveal: null, tallies: {}, ranks: {} });
    expect(after.keys.filter((k) => k.startsWith('q:'))).toEqual([]);
  });

  it('a frozen game takes no staged question, and keeps nothing of it', async () => {
    const b = await newGame(inParts, n);
    await inParts.freezeScores(b);
    expect(await inParts.applyScores(b, scored(n))).toBe(false);
    const after = await snapshot(inParts, b, n);
    expect(after).toMatchObject({ scored: false, reveal: null, tallies: {}, ranks: {} });
    expect(after.keys.filter((k) => k.startsWith('q:'))).toEqual([]);
  });
});
