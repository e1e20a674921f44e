import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { journaledDrivers, stateOf } from '../../test/journaled';
import { redisUrl, testPrefix } from '../../test/helpers';
import { deleteKeysWithPrefix } from '../store/redis';
import type { PracticeSessionRecord, PracticeStore } from './store';
import { MemoryPracticeStore } from './store-memory';
import { RedisPracticeStore } from './store-redis';

const prefix = testPrefix('practice-store');
const redis = new RedisPracticeStore(redisUrl(), prefix);
const journaled = await journaledDrivers();
const drivers: [string, PracticeStore][] = [
  ['memory', new MemoryPracticeStore()],
  ['memory, journaled (DATA_DIR)', journaled.practice],
  ['redis', redis],
];
afterAll(async () => {
  const client = new Redis(redisUrl());
  await deleteKeysWithPrefix(client, prefix);
  client.disconnect();
  await redis.close();
  await journaled.remove(journaled.db);
});

let seq = 0;
const HOUR = 3_600_000;
async function session(
  store: PracticeStore,
  over: Partial<PracticeSessionRecord> = {},
): Promise<PracticeSessionRecord> {
  const now = await store.now();
  return {
    id: `session-${++seq}-xxxxxxxxxxxxxxxx`,
    area: null,
    questions: [
      { id: 'q1', perm: [1, 0, 2], area: 'safety' },
      { id: 'q2', perm: [0, 1], area: 'ai' },
    ],
    learners: ['d:device-1', 'c:ct1'],
    createdAt: now,
    expiresAt: now + HOUR,
    answers: {},
    ...over,
  };
}

describe.each(drivers)('PracticeStore contract (%s)', (_name, store) => {
  it('keeps a session with its questions and no answers until it expires', async () => {
    const contest = `c${++seq}`;
    const s = await session(store);
    await store.createPracticeSession(contest, s);
    expect(await store.getPracticeSession(contest, s.id)).toEqual(s);
    expect(await store.getPracticeSession(contest, 'unknown-session-xxxxxxx')).toBeNull();
    expect(await store.getPracticeSession('other', s.id)).toBeNull();
    expect((await store.practiceCounters(contest)).started).toBe(1);
    const short = await session(store, { expiresAt: (await store.now()) + 60_000 });
    await store.createPracticeSession(contest, short);
    store.shiftClock(61_000);
    expect(await store.getPracticeSession(contest, short.id)).toBeNull();
    expect(await store.answerPractice(contest, short.id, 'q1', { choice: 0, correct: true })).toEqual({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('saves the first answer per question only, counts areas, and counts a completed session once per learner', async () => {
    const contest = `c${++seq}`;
    const s = await session(store);
    await store.createPracticeSession(contest, s);
    expect(await store.answerPractice(contest, s.id, 'q9', { choice: 0, correct: true })).toEqual({
      ok: false,
      code: 'QUESTION_NOT_IN_ATTEMPT',
    });
    expect(await store.answerPractice(contest, s.id, 'q1', { choice: 1, correct: true })).toEqual({
      ok: true,
      complete: false,
    });
    expect(await store.answerPractice(contest, s.id, 'q1', { choice: 2, correct: false })).toEqual({
      ok: false,
      code: 'ALREADY_ANSWERED',
    });
    expect(await store.practiceSessions(contest, 'd:device-1')).toBe(0);
    expect(await store.answerPractice(contest, s.id, 'q2', { choice: [0, 1], correct: false })).toEqual({
      ok: true,
      complete: true,
    });
    expect(await store.answerPractice(contest, s.id, 'q2', { choice: 0, correct: true })).toMatchObject({
      ok: false,
      code: 'ALREADY_ANSWERED',
    });
    const read = await store.getPracticeSession(contest, s.id);
    expect(read?.answers).toEqual({ q1: { choice: 1, correct: true }, q2: { choice: [0, 1], correct: false } });
    expect(await store.practiceCounters(contest)).toEqual({
      started: 1,
      completed: 1,
      areas: { safety: { answered: 1, correct: 1 }, ai: { answered: 1, correct: 0 } },
    });
    expect(await store.practiceSessions(contest, 'd:device-1')).toBe(1);
    expect(await store.practiceSessions(contest, 'c:ct1')).toBe(1);
    expect(await store.practiceSessions(contest, 'd:someone-else')).toBe(0);
  });

  it('counts concurrent answers to one question once', async () => {
    const contest = `c${++seq}`;
    const s = await session(store, { questions: [{ id: 'q1', perm: [0, 1], area: 'safety' }] });
    await store.createPracticeSession(contest, s);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.answerPractice(contest, s.id, 'q1', { choice: i % 2, correct: i % 2 === 0 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const counters = await store.practiceCounters(contest);
    expect(counters.completed).toBe(1);
    expect(counters.areas.safety?.answered).toBe(1);
    expect(await store.practiceSessions(contest, 'c:ct1')).toBe(1);
  });

  it('awards each badge once per subject and counts its holders', async () => {
    const contest = `c${++seq}`;
    expect(await store.awardBadges(contest, 'c:a', ['safe', 'loyal'], 100)).toEqual(['safe', 'loyal']);
    expect(await store.awardBadges(contest, 'c:a', ['safe', 'loyal', 'keen'], 200)).toEqual(['keen']);
    expect(await store.awardBadges(contest, 'c:b', ['safe', 'safe'], 300)).toEqual(['safe']);
    expect(await store.awardBadges(contest, 'c:b', [], 300)).toEqual([]);
    const mine = await store.badgesOf(contest, 'c:a');
    expect(mine.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'keen', at: 200 },
      { id: 'loyal', at: 100 },
      { id: 'safe', at: 100 },
    ]);
    expect(await store.badgesOf(contest, 'c:nobody')).toEqual([]);
    expect(await store.badgeHolders(contest)).toEqual({ safe: 2, loyal: 1, keen: 1 });
    // A retried award, even many at once, never counts twice.
    await Promise.all(Array.from({ length: 5 }, () => store.awardBadges(contest, 'c:c', ['safe'], 400)));
    expect((await store.badgeHolders(contest)).safe).toBe(3);
  });
});

describe('PracticeStore journaled in DATA_DIR', () => {
  it('comes back after a restart exactly as it was', async () => {
    const store = journaled.practice;
    const s = await session(store, { questions: [{ id: 'q1', perm: [0, 1], area: 'safety' }] });
    await store.createPracticeSession('restart', s);
    await store.answerPractice('restart', s.id, 'q1', { choice: 0, correct: true });
    await store.awardBadges('restart', 'c:a', ['safe'], 5);
    const before = stateOf(store as MemoryPracticeStore);
    const again = await journaled.reopen();
    expect(stateOf(again.practice)).toEqual(before);
    expect(await again.practice.practiceSessions('restart', 'c:ct1')).toBe(1);
    await again.db.close();
  });
});
