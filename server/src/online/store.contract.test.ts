import { afterAll, describe, expect, it } from 'vitest';
import { journaledDrivers, stateOf } from '../../test/journaled';
import type { AttemptResult } from '../../../protocol/online';
import { redisUrl, testPrefix } from '../../test/helpers';
import { deleteKeysWithPrefix } from '../store/redis';
import { Redis } from 'ioredis';
import { rankMember, rankScore } from './ranking-key';
import type { AttemptRules } from './round-window';
import type { ContestantRecord, OnlineStore } from './store';
import { MemoryOnlineStore } from './store-memory';
import { RedisOnlineStore } from './store-redis';

const prefix = testPrefix('online-store');
const redis = new RedisOnlineStore(redisUrl(), prefix);
const journaled = await journaledDrivers();
const drivers: [string, OnlineStore][] = [
  ['memory', new MemoryOnlineStore()],
  ['memory, journaled (DATA_DIR)', journaled.online],
  ['redis', redis],
];
afterAll(async () => {
  const client = new Redis(redisUrl());
  await deleteKeysWithPrefix(client, prefix);
  client.disconnect();
  await redis.close();
});

let seq = 0;
const contestant = (over: Partial<ContestantRecord> = {}): ContestantRecord => {
  seq++;
  return {
    id: `ct${seq}`,
    fullName: `Thí sinh ${seq}`,
    phone: `+8491${String(seq).padStart(7, '0')}`,
    group: 'nguoi-dan',
    unit: 'u1',
    consentAt: 1,
    registeredAt: 1,
    codeHash: 'h',
    ...over,
  };
};
const questions = [
  { id: 'q1', perm: [2, 0, 1] },
  { id: 'q2', perm: [1, 0] },
  { id: 'q3', perm: [] },
];
const HOUR = 3_600_000;
const rulesAround = (now: number, over: Partial<AttemptRules> = {}): AttemptRules => ({
  opensAt: now - HOUR,
  closesAt: now + HOUR,
  limitMs: 20 * 60_000,
  total: 3,
  periodAttempts: 0,
  periodMs: 0,
  ...over,
});
let attemptSeq = 0;
const draft = (contestantId: string, roundId = 'r') => ({
  id: `attempt-${++attemptSeq}-xxxxxxxxxxxx`,
  roundId,
  contestantId,
  questions,
});
const result = (correct: number, timeMs: number, submittedAt: number): AttemptResult => ({
  correct,
  total: 3,
  answered: 3,
  timeMs,
  submittedAt,
  predictionGuess: null,
});
const KEYS = ['correct', 'time'] as const;

describe.each(drivers)('OnlineStore contract: %s', (_name, store) => {
  const contest = `c-${_name}`;

  it('registers one contestant per phone, finds them by phone and by any of their tokens', async () => {
    const a = contestant();
    expect(await store.register(contest, a, 'tok-a')).toEqual({ ok: true });
    expect(await store.register(contest, { ...contestant(), phone: a.phone }, 'tok-b')).toEqual({
      ok: false,
      code: 'ALREADY_REGISTERED',
    });
    expect(await store.contestantByToken(contest, 'tok-b')).toBeNull();
    expect(await store.contestantByPhone(contest, a.phone)).toEqual(a);
    expect(await store.contestantByToken(contest, 'tok-a')).toEqual(a);
    await store.addToken(contest, a.id, 'tok-a2');
    expect((await store.contestantByToken(contest, 'tok-a2'))?.id).toBe(a.id);
    expect(await store.contestantByPhone('other-contest', a.phone)).toBeNull();
    expect(await store.registrations(contest)).toBeGreaterThanOrEqual(1);
  });

  it('starts an attempt on its own clock inside the window, continues the open one, and refuses outside the window or beyond the limits', async () => {
    const a = contestant();
    const now = await store.now();
    expect(
      await store.startAttempt(
        contest,
        draft(a.id),
        rulesAround(now, { opensAt: now + HOUR, closesAt: now + 2 * HOUR }),
        2000,
      ),
    ).toMatchObject({ ok: false, code: 'ROUND_NOT_OPEN' });
    expect(
      await store.startAttempt(
        contest,
        draft(a.id),
        rulesAround(now, { opensAt: now - 2 * HOUR, closesAt: now - HOUR }),
        2000,
      ),
    ).toMatchObject({ ok: false, code: 'ROUND_CLOSED' });
    const first = await store.startAttempt(contest, draft(a.id), rulesAround(now), 2000);
    if (first.ok !== true) throw new Error(JSON.stringify(first));
    expect(first.attempt.startedAt).toBeGreaterThanOrEqual(now);
    expect(first.attempt.deadline).toBe(first.attempt.startedAt + 20 * 60_000);
    expect(await store.startAttempt(contest, draft(a.id), rulesAround(now), 2000)).toEqual({
      ok: 'existing',
      attemptId: first.attempt.id,
    });
    const read = await store.getAttempt(contest, first.attempt.id);
    expect(read).toEqual(first.attempt);
    expect((await store.myRound(contest, 'r', a.id)).open).toBe(first.attempt.id);

    // A deadline capped by the round's close.
    const b = contestant();
    const capped = await store.startAttempt(contest, draft(b.id), rulesAround(now, { closesAt: now + 60_000 }), 2000);
    expect(capped.ok === true && capped.attempt.deadline).toBe(now + 60_000);

    // Total and per-period limits.
    const c = contestant();
    const rules = rulesAround(now, { total: 2, periodAttempts: 1, periodMs: HOUR });
    const one = await store.startAttempt(contest, draft(c.id), rules, 2000);
    if (one.ok !== true) throw new Error('no start');
    await store.submitAttempt(contest, one.attempt.id, c.id, 2000);
    const soon = await store.startAttempt(contest, draft(c.id), rules, 2000);
    expect(soon).toMatchObject({ ok: false, code: 'ATTEMPT_TOO_SOON', nextAt: one.attempt.startedAt + HOUR });
    const noPeriod = rulesAround(now, { total: 2 });
    const two = await store.startAttempt(contest, draft(c.id), noPeriod, 2000);
    if (two.ok !== true) throw new Error('no second start');
    await store.submitAttempt(contest, two.attempt.id, c.id, 2000);
    expect(await store.startAttempt(contest, draft(c.id), noPeriod, 2000)).toMatchObject({
      ok: false,
      code: 'NO_ATTEMPTS_LEFT',
    });
    expect((await store.myRound(contest, 'r', c.id)).starts).toHaveLength(2);
  });

  it('saves and replaces answers of its own questions until the deadline, for the owner only', async () => {
    const a = contestant();
    const now = await store.now();
    const s = await store.startAttempt(contest, draft(a.id), rulesAround(now, { limitMs: 60_000 }), 2000);
    if (s.ok !== true) throw new Error('no start');
    const id = s.attempt.id;
    const saved = await store.saveAnswer(contest, id, a.id, 'q1', 2, 2000);
    expect(saved.ok).toBe(true);
    expect(saved.ok && saved.remainingMs).toBeGreaterThan(50_000);
    expect((await store.saveAnswer(contest, id, a.id, 'q1', 0, 2000)).ok).toBe(true);
    expect((await store.saveAnswer(contest, id, a.id, 'q3', [1, 2], 2000)).ok).toBe(true);
    expect(await store.saveAnswer(contest, id, a.id, 'nope', 0, 2000)).toEqual({
      ok: false,
      code: 'QUESTION_NOT_IN_ATTEMPT',
    });
    expect(await store.saveAnswer(contest, id, 'someone-else', 'q1', 1, 2000)).toEqual({
      ok: false,
      code: 'ATTEMPT_NOT_FOUND',
    });
    expect(await store.saveAnswer(contest, 'forged-attempt-id-000', a.id, 'q1', 1, 2000)).toEqual({
      ok: false,
      code: 'ATTEMPT_NOT_FOUND',
    });
    const read = await store.getAttempt(contest, id);
    expect(read?.answers.q1?.choice).toBe(0);
    expect(read?.answers.q3?.choice).toEqual([1, 2]);
    expect(read?.answers.q1?.at).toBeGreaterThanOrEqual(now);

    // Past deadline + grace (the clock moved on): refused, and the deadline job may now submit it, at the deadline.
    expect(await store.submitAttempt(contest, id, null, 2000)).toEqual({ ok: false, code: 'NOT_DUE' });
    store.shiftClock(63_000);
    try {
      expect(await store.saveAnswer(contest, id, a.id, 'q2', 1, 2000)).toEqual({ ok: false, code: 'ATTEMPT_OVER' });
      const byDeadline = await store.submitAttempt(contest, id, null, 2000);
      expect(byDeadline).toEqual({ ok: true, status: 'submitted', submittedAt: s.attempt.deadline, changed: true });
      expect((await store.getAttempt(contest, id))?.submitReason).toBe('deadline');
      expect(await store.submitAttempt(contest, id, a.id, 2000)).toEqual({
        ok: true,
        status: 'submitted',
        submittedAt: s.attempt.deadline,
        changed: false,
      });
    } finally {
      store.shiftClock(-63_000);
    }
  });

  it('submits once; nothing is saved after submit; an expired open attempt is closed when the next one starts', async () => {
    const a = contestant();
    const now = await store.now();
    const s = await store.startAttempt(contest, draft(a.id), rulesAround(now), 2000);
    if (s.ok !== true) throw new Error('no start');
    expect(await store.submitAttempt(contest, s.attempt.id, 'someone-else', 2000)).toEqual({
      ok: false,
      code: 'ATTEMPT_NOT_FOUND',
    });
    const sub = await store.submitAttempt(contest, s.attempt.id, a.id, 2000);
    expect(sub.ok && sub.changed).toBe(true);
    expect(await store.saveAnswer(contest, s.attempt.id, a.id, 'q1', 1, 2000)).toEqual({
      ok: false,
      code: 'ATTEMPT_OVER',
    });
    expect((await store.myRound(contest, 'r', a.id)).open).toBeNull();

    const b = contestant();
    const rules = rulesAround(now, { limitMs: 1000, closesAt: now + 10 * HOUR });
    const old = await store.startAttempt(contest, draft(b.id), rules, 500);
    if (old.ok !== true) throw new Error('no start');
    store.shiftClock(5000);
    try {
      const next = await store.startAttempt(contest, draft(b.id), rules, 500);
      expect(next.ok === true && next.expired).toBe(old.attempt.id);
      expect(await store.getAttempt(contest, old.attempt.id)).toMatchObject({
        status: 'submitted',
        submittedAt: old.attempt.deadline,
        submitReason: 'deadline',
      });
    } finally {
      store.shiftClock(-5000);
    }
  });

  it('scores once behind the guard, keeps the best (or last) attempt in the ranking, and counts participants and attempts', async () => {
    const round = `rank-${_name}`;
    const now = await store.now();
    const rules = rulesAround(now);
    const play = async (c: ContestantRecord, correct: number, timeMs: number, counts: 'best' | 'last' = 'best') => {
      const s = await store.startAttempt(contest, draft(c.id, round), rules, 2000);
      if (s.ok !== true) throw new Error(`no start: ${JSON.stringify(s)}`);
      const sub = await store.submitAttempt(contest, s.attempt.id, c.id, 2000);
      if (!sub.ok) throw new Error('no submit');
      const r = result(correct, timeMs, sub.submittedAt);
      const score = {
        attemptId: s.attempt.id,
        roundId: round,
        contestantId: c.id,
        unit: c.unit,
        group: c.group,
        result: r,
        score: rankScore([...KEYS], r),
        member: rankMember(sub.submittedAt, c.id),
        counts,
      };
      expect(await store.applyScore(contest, score)).toBe(true);
      expect(await store.applyScore(contest, score)).toBe(false); // a retried job writes nothing
      return s.attempt.id;
    };
    const a = contestant({ unit: 'u1', group: 'hoc-sinh' });
    const b = contestant({ unit: 'u2', group: 'nguoi-dan' });
    const c = contestant({ unit: 'u1', group: 'hoc-sinh' });
    const aBest = await play(a, 3, 5000);
    await play(a, 2, 1000); // worse: the first still counts
    const bFirst = await play(b, 3, 4000);
    await play(c, 1, 1000, 'last');
    const cLast = await play(c, 0, 1000, 'last'); // 'last': the later one counts even though it is worse

    expect((await store.getAttempt(contest, aBest))?.status).toBe('scored');
    expect((await store.getAttempt(contest, aBest))?.result?.correct).toBe(3);
    expect((await store.myRound(contest, round, a.id)).counting).toBe(aBest);
    expect((await store.myRound(contest, round, c.id)).counting).toBe(cLast);
    expect(await store.ranking(contest, round, 0, 10)).toEqual([
      { contestantId: b.id, attemptId: bFirst },
      { contestantId: a.id, attemptId: aBest },
      { contestantId: c.id, attemptId: cLast },
    ]);
    // The same page with each attempt and contestant, read in one request.
    const page = await store.countingPage(contest, round, 1, 10);
    expect(page).toEqual(
      await Promise.all(
        [
          [a.id, aBest],
          [c.id, cLast],
        ].map(async ([who, attempt]) => ({
          attempt: await store.getAttempt(contest, attempt!),
          contestant: await store.getContestant(contest, who!),
        })),
      ),
    );
    expect(page[0]?.attempt?.result?.correct).toBe(3);
    expect(await store.countingPage(contest, round, 3, 10)).toEqual([]);
    const me = await store.myRound(contest, round, a.id);
    expect(await store.rankOf(contest, round, me.member)).toEqual({ rank: 2, ranked: 3 });
    expect(await store.rankOf(contest, round, null)).toEqual({ rank: null, ranked: 3 });
    expect(await store.counters(contest, round)).toEqual({
      participants: 3,
      attempts: 5,
      units: { u1: { participants: 2, attempts: 4 }, u2: { participants: 1, attempts: 1 } },
      groups: { 'hoc-sinh': { participants: 2, attempts: 4 }, 'nguoi-dan': { participants: 1, attempts: 1 } },
    });
    // An open attempt cannot be scored.
    const d = contestant();
    const open = await store.startAttempt(contest, draft(d.id, round), rules, 2000);
    if (open.ok !== true) throw new Error('no start');
    const r = result(3, 1, now);
    expect(
      await store.applyScore(contest, {
        attemptId: open.attempt.id,
        roundId: round,
        contestantId: d.id,
        unit: 'u1',
        group: 'can-bo',
        result: r,
        score: 0,
        member: rankMember(now, d.id),
        counts: 'best',
      }),
    ).toBe(false);
  });
});

describe('RedisOnlineStore sizes', () => {
  it('keeps a 30-question attempt with 30 answers small (bytes reported for docs/operations.md)', async () => {
    const contest = 'size';
    const c = contestant();
    await redis.register(contest, c, 'tok-size');
    const now = await redis.now();
    const qs = Array.from({ length: 31 }, (_, i) => ({
      id: `cau-hoi-ngan-hang-${i}`,
      perm: i === 30 ? [] : [3, 1, 0, 2],
    }));
    const s = await redis.startAttempt(
      contest,
      { id: 'size-attempt-0000000000', roundId: 'so-khao', contestantId: c.id, questions: qs },
      rulesAround(now),
      2000,
    );
    if (s.ok !== true) throw new Error('no start');
    for (const q of qs) await redis.saveAnswer(contest, s.attempt.id, c.id, q.id, q.perm.length ? 2 : 123456, 2000);
    const attemptBytes = await redis.bytesOf(contest, 'a', s.attempt.id);
    const meBytes = await redis.bytesOf(contest, 'r', 'so-khao', 'me', c.id);
    console.log(`online sizes: attempt ${attemptBytes} B, contestant round ${meBytes} B`);
    expect(attemptBytes).toBeLessThan(2500);
    expect(meBytes).toBeLessThan(512);
  });
});

describe.each(drivers)('OnlineStore organiser values (%s)', (_name, store) => {
  it('sets a value once, leases to one holder, groups origins, binds an invitation to one use', async () => {
    const contest = `org-${_name}`;
    expect(await store.setOnce(contest, 'r:x:prediction', '3')).toBe('3');
    expect(await store.setOnce(contest, 'r:x:prediction', '9')).toBe('3');
    await store.setValue(contest, 'board', '{"a":1}', 60_000);
    expect(await store.getValue(contest, 'board')).toBe('{"a":1}');
    expect(await store.getValue(contest, 'nothing')).toBeNull();

    expect(await store.lease(contest, 'board', 'node-1', 5000)).toBe(true);
    expect(await store.lease(contest, 'board', 'node-2', 5000)).toBe(false);
    expect(await store.lease(contest, 'board', 'node-1', 5000)).toBe(true);
    expect(await store.lease(contest, 'short', 'node-1', 30)).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(await store.lease(contest, 'short', 'node-2', 30)).toBe(true);

    for (const id of ['c1', 'c2', 'c3', 'c3']) await store.addOrigin(contest, 'device:aaa', id);
    await store.addOrigin(contest, 'address:bbb', 'c1');
    const crowded = await store.crowdedOrigins(contest, 2, 10);
    expect(crowded.map((o) => [o.origin, [...o.contestantIds].sort()])).toEqual([['device:aaa', ['c1', 'c2', 'c3']]]);

    await store.addInvitations(contest, [{ code: 'ABCD2345', json: '{"contestantId":"c1"}' }]);
    await store.addInvitations(contest, [{ code: 'ABCD2345', json: '{"contestantId":"other"}' }]);
    expect(await store.getInvitation(contest, 'ABCD2345')).toBe('{"contestantId":"c1"}');
    expect(await store.useInvitation(contest, 'NOPE', 'p:1')).toEqual({ ok: false, usedBy: '' });
    expect(await store.useInvitation(contest, 'ABCD2345', 'p:1')).toEqual({ ok: true });
    expect(await store.useInvitation(contest, 'ABCD2345', 'p:2')).toEqual({ ok: false, usedBy: 'p:1' });
    await store.releaseInvitation(contest, 'ABCD2345', 'p:2');
    expect(await store.useInvitation(contest, 'ABCD2345', 'p:2')).toEqual({ ok: false, usedBy: 'p:1' });
    await store.releaseInvitation(contest, 'ABCD2345', 'p:1');
    expect(await store.useInvitation(contest, 'ABCD2345', 'p:2')).toEqual({ ok: true });
  });
});

it('journaled memory driver: a restart rebuilds exactly the state every write above left', async () => {
  const again = await journaled.reopen();
  expect(stateOf(again.online)).toEqual(stateOf(journaled.online));
  await journaled.remove(again.db);
});
