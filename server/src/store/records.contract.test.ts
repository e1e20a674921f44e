import { afterAll, describe, expect, it } from 'vitest';
import { journaledDrivers, stateOf } from '../../test/journaled';
import { Redis } from 'ioredis';
import { redisStore, redisUrl, testPrefix } from '../../test/helpers';
import { RedisStore } from './redis';
import { MemoryStore } from './memory';
import type { Claim } from '../../../protocol/organiser';
import type { Store } from './store';
import type { GameArchive, StoredLock } from './records';

const redis = redisStore('organiser-records');
const journaled = await journaledDrivers();
const drivers: [string, Store][] = [
  ['memory', new MemoryStore()],
  ['memory, journaled (DATA_DIR)', journaled.store],
  ['redis', redis],
];
afterAll(async () => {
  await redis.deleteAllKeys();
  await redis.close();
});

const lock = (scopeKey: string, pins: string[]): StoredLock => ({
  scopeKey,
  json: '{"a":1}',
  sha256: 'ab'.repeat(32),
  at: 5,
  by: 'organiser:admin',
  pins,
});

describe.each(drivers)('OrganiserRecords contract: %s', (_name, store) => {
  const records = store.organiser;

  it('appends audit entries with consecutive seqs and pages them oldest first', async () => {
    const first = await records.appendAudit({
      at: 1,
      actor: 'organiser:admin',
      action: 'login.ok',
      ip: '10.0.0.1',
      outcome: 'ok',
    });
    expect(first.seq).toBe(1);
    for (let i = 2; i <= 5; i++)
      await records.appendAudit({
        at: i,
        actor: 'host:123456',
        action: 'host.command',
        ip: null,
        pin: '123456',
        outcome: 'ok',
        detail: { type: 'next', n: i },
      });
    expect((await records.listAudit(0, 100)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const page = await records.listAudit(2, 2);
    expect(page).toEqual([
      {
        seq: 3,
        at: 3,
        actor: 'host:123456',
        action: 'host.command',
        ip: null,
        pin: '123456',
        outcome: 'ok',
        detail: { type: 'next', n: 3 },
      },
      {
        seq: 4,
        at: 4,
        actor: 'host:123456',
        action: 'host.command',
        ip: null,
        pin: '123456',
        outcome: 'ok',
        detail: { type: 'next', n: 4 },
      },
    ]);
    expect(await records.listAudit(5, 10)).toEqual([]);
    // What a caller gets back is a copy: changing it changes nothing stored.
    page[0]!.actor = 'tampered';
    expect((await records.listAudit(2, 1))[0]!.actor).toBe('host:123456');
  });

  it('keeps seqs unique when many entries are appended at once', async () => {
    const before = (await records.listAudit(0, 1000)).length;
    const added = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        records.appendAudit({ at: i, actor: 'system', action: 'export', ip: null, outcome: 'ok' }),
      ),
    );
    expect(new Set(added.map((e) => e.seq)).size).toBe(50);
    expect((await records.listAudit(0, 1000)).length).toBe(before + 50);
  });

  it('trims the oldest audit entries to a bound without changing the seqs of the rest', async () => {
    const total = (await records.listAudit(0, 1000)).length;
    expect(await records.trimAudit(total + 5)).toBe(0);
    expect(await records.trimAudit(10)).toBe(total - 10);
    const kept = await records.listAudit(0, 1000);
    expect(kept.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => total - 9 + i));
    expect((await records.listAudit(total - 2, 10)).map((e) => e.seq)).toEqual([total - 1, total]);
    // New entries carry on from the last seq, never reusing a trimmed one.
    expect(
      (await records.appendAudit({ at: 99, actor: 'system', action: 'export', ip: null, outcome: 'ok' })).seq,
    ).toBe(total + 1);
    expect((await records.listAudit(total, 10)).map((e) => e.seq)).toEqual([total + 1]);
  });

  it('saves uploaded contests by id, replaces on a second save, and moves the version each time', async () => {
    const v0 = await records.contestsVersion();
    const v1 = await records.saveContest('up-1', {
      contest: { id: 'up-1', title: 'A' },
      uploadedAt: 1,
      uploadedBy: 'organiser:admin',
    });
    expect(v1).toBeGreaterThan(v0);
    expect(await records.contestsVersion()).toBe(v1);
    const v2 = await records.saveContest('up-1', {
      contest: { id: 'up-1', title: 'B' },
      uploadedAt: 2,
      uploadedBy: 'organiser:admin',
    });
    await records.saveContest('up-2', {
      contest: { id: 'up-2', title: 'C' },
      uploadedAt: 3,
      uploadedBy: 'organiser:admin',
    });
    expect(v2).toBeGreaterThan(v1);
    const all = await records.listContests();
    expect(all.map((c) => (c.contest as { title: string }).title).sort()).toEqual(['B', 'C']);
    // A copy: changing it changes nothing stored.
    (all[0]!.contest as { title: string }).title = 'tampered';
    expect((await records.listContests()).some((c) => (c.contest as { title: string }).title === 'tampered')).toBe(
      false,
    );
    const before = await records.contestsVersion();
    expect(await records.deleteContest('up-2')).toBe(true);
    expect(await records.deleteContest('up-2')).toBe(false);
    expect(await records.contestsVersion()).toBeGreaterThan(before);
    expect((await records.listContests()).map((c) => (c.contest as { id: string }).id)).toEqual(['up-1']);
  });

  it('indexes games by contest, oldest first', async () => {
    await records.indexGame({ pin: '200002', contestId: 'c1', roundId: 'r2', createdAt: 20 });
    await records.indexGame({ pin: '200001', contestId: 'c1', roundId: 'r1', createdAt: 10 });
    await records.indexGame({ pin: '200003', contestId: 'c2', roundId: 'r1', createdAt: 5 });
    expect((await records.listGames('c1')).map((g) => g.pin)).toEqual(['200001', '200002']);
    expect((await records.listGames()).map((g) => g.pin)).toEqual(['200003', '200001', '200002']);
    expect(await records.listGames('none')).toEqual([]);
  });

  it('locks a scope once and marks its games locked', async () => {
    expect(await records.isGameLocked('300001')).toBe(false);
    expect(await records.getLock('round:c1:r1')).toBeNull();
    expect(await records.lock(lock('round:c1:r1', ['300001', '300002']))).toBe(true);
    expect(await records.lock({ ...lock('round:c1:r1', ['300003']), sha256: 'cd'.repeat(32) })).toBe(false);
    expect(await records.getLock('round:c1:r1')).toEqual(lock('round:c1:r1', ['300001', '300002']));
    expect(await records.isGameLocked('300002')).toBe(true);
    expect(await records.isGameLocked('300003')).toBe(false);
  });

  it('issues claims once, completes each once, lists them by scope and player, and erases personal data', async () => {
    const claim = (code: string, playerId: string, rank: number, scopeKey = 'game:400001'): Claim => ({
      code,
      label: 'Giải Nhất',
      scope: 'individual',
      scopeKey,
      pin: '400001',
      playerId,
      nickname: playerId,
      tier: 'nhat',
      rank,
      issuedAt: 7,
      claimed: null,
    });
    await records.addClaims([
      claim('BBBBBBBB', 'p2', 2),
      claim('AAAAAAAA', 'p1', 1),
      claim('CCCCCCCC', 'p1', 1, 'round:c:r'),
    ]);
    await records.addClaims([{ ...claim('AAAAAAAA', 'px', 9) }]); // already issued: unchanged
    expect((await records.getClaim('AAAAAAAA'))?.playerId).toBe('p1');
    expect(await records.getClaim('ZZZZZZZZ')).toBeNull();
    expect((await records.listClaims('game:400001')).map((c) => c.code)).toEqual(['AAAAAAAA', 'BBBBBBBB']);
    expect((await records.claimsOf('400001', 'p1')).map((c) => c.code)).toEqual(['AAAAAAAA', 'CCCCCCCC']);
    const desk = {
      at: 9,
      by: 'organiser:admin',
      fullName: 'Nguyễn Văn Ân',
      phone: '0901234567',
      idNumber: '001200012345',
    };
    expect(await records.completeClaim('AAAAAAAA', desk)).toBe(true);
    expect(await records.completeClaim('AAAAAAAA', { ...desk, fullName: 'Kẻ khác' })).toBe(false);
    expect(await records.completeClaim('ZZZZZZZZ', desk)).toBe(false);
    expect((await records.getClaim('AAAAAAAA'))?.claimed).toEqual(desk);
    await records.eraseClaim('AAAAAAAA', { at: 10, by: 'organiser:admin', erased: true });
    expect((await records.getClaim('AAAAAAAA'))?.claimed).toEqual({ at: 10, by: 'organiser:admin', erased: true });
    expect(JSON.stringify(await records.listClaims())).not.toContain('Nguyễn Văn Ân');
  });
  it('keeps a game archive, replaces a nickname in it, and says which PINs the index holds', async () => {
    const archive: GameArchive = {
      pin: '424242',
      contestId: 'demo',
      roundId: 'r1',
      roundTitle: 'Chung kết',
      scoring: 'accuracy',
      createdAt: 10,
      endedAt: 20,
      rows: [
        {
          rank: 1,
          playerId: 'p1',
          nickname: 'Lan',
          group: 'nguoi-dan',
          unit: 'u1',
          score: 900,
          correct: 1,
          answered: 1,
          totalTimeMs: 1000,
          predictionError: null,
          lastAnswerAt: 1_795_515_279_676,
          contestantId: 'c1',
        },
      ],
      questions: [],
    };
    expect(await records.getArchive('424242')).toBeNull();
    await records.archiveGame(archive);
    expect(await records.getArchive('424242')).toEqual(archive);
    expect(await records.eraseArchivedName('424242', 'p1', 'Đã xóa (p1)')).toBe(true);
    expect(await records.eraseArchivedName('424242', 'nobody', 'x')).toBe(false);
    expect(await records.eraseArchivedName('000000', 'p1', 'x')).toBe(false);
    expect((await records.getArchive('424242'))?.rows[0]).toEqual({ ...archive.rows[0], nickname: 'Đã xóa (p1)' });
    expect(await records.isIndexed('424243')).toBe(false);
    await records.indexGame({ pin: '424243', contestId: 'demo', roundId: 'r1', createdAt: 1 });
    expect(await records.isIndexed('424243')).toBe(true);
  });

  it('keeps playoffs per contest, in recording order', async () => {
    const playoff = (contestId: string, pin: string) => ({
      contestId,
      ranking: 'overall' as const,
      members: ['111111:a', '111111:b'],
      places: { '111111:a': 2, '111111:b': 1 },
      pin,
      at: 5,
      by: 'organiser:admin',
    });
    expect(await records.listPlayoffs('giai')).toEqual([]);
    await records.addPlayoff(playoff('giai', '222222'));
    await records.addPlayoff(playoff('khac', '333333'));
    await records.addPlayoff(playoff('giai', '444444'));
    expect(await records.listPlayoffs('giai')).toEqual([playoff('giai', '222222'), playoff('giai', '444444')]);
  });
  it('marks a game purged once', async () => {
    expect(await records.isPurged('654321')).toBe(false);
    expect(await records.markPurged('654321')).toBe(true);
    expect(await records.markPurged('654321')).toBe(false);
    expect(await records.isPurged('654321')).toBe(true);
  });
});

it('journaled memory driver: a restart rebuilds exactly the records every write above left', async () => {
  const again = await journaled.reopen();
  expect(stateOf(again.store.organiser)).toEqual(stateOf(journaled.store.organiser));
  await journaled.remove(again.db);
});

describe('RedisOrganiserRecords', () => {
  it('keeps the set’s JSON under a key of its own, and still reads a lock written with the JSON inside', async () => {
    const prefix = testPrefix('organiser-records-old-lock');
    const client = new Redis(redisUrl());
    const records = new RedisStore(redisUrl(), prefix);
    try {
      expect(await records.organiser.lock(lock('round:c9:r1', ['300009']))).toBe(true);
      expect(await client.get(`${prefix}{org}:lock-json:round:c9:r1`)).toBe('{"a":1}');
      expect(JSON.parse((await client.get(`${prefix}{org}:lock:round:c9:r1`))!)).not.toHaveProperty('json');
      // Megabytes of JSON, multi-byte characters and surrogate pairs across the pieces it is written and read in.
      const big = { ...lock('round:c9:r3', ['300011']), json: JSON.stringify({ a: 'ệ😀x'.repeat(700_000) }) };
      expect(await records.organiser.lock(big)).toBe(true);
      expect(await records.organiser.lock({ ...big, by: 'someone else' })).toBe(false);
      expect(await records.organiser.getLock('round:c9:r3')).toEqual(big);
      expect(await client.keys(`${prefix}{org}:lock-json-writing:*`)).toEqual([]);
      const old = { ...lock('round:c9:r2', ['300010']), json: '{"old":true}' };
      await client.set(`${prefix}{org}:lock:round:c9:r2`, JSON.stringify(old));
      expect(await records.organiser.getLock('round:c9:r2')).toEqual(old);
    } finally {
      await records.deleteAllKeys();
      await records.close();
      client.disconnect();
    }
  });
});
