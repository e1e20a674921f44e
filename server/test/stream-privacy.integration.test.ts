// Deletion reaches everything that carried a contestant's nickname: the socket.io Redis stream (trimmed by length and
// by age, and rewritten on deletion), and kicked contestants, whom deletion on request and the retention sweep
// now include.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createGame, joinPlayer, login, TestClient, waitUntil } from './clients';
import { redisUrl, testPrefix } from './helpers';
import { testServers, type Mode } from './servers';

const DAY = 86_400_000;
const server = testServers('stream-privacy', 'server/test/contests');
const redis = new Redis(redisUrl());
afterAll(() => redis.quit());

/** Every field value of every entry of the stream, as one string per entry. */
const entries = async (stream: string) =>
  (await redis.xrange(stream, '-', '+')).map(([id, fields]) => ({ id, text: fields.join(' ') }));

describe('the socket.io stream (redis)', () => {
  it('takes a deleted contestant’s nickname out of the stream at once, kicked or not', async () => {
    const prefix = testPrefix('stream-privacy');
    const stream = `${prefix}socket.io`;
    const s = await server('redis', { prefix });
    const token = await login(s.url, s.organiserPassword);
    const auth = { authorization: `Bearer ${token}` };
    const g = await createGame(s.url, token, 'quick', 'dai');
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin: g.pin, hostToken: g.hostToken });
    // The host's "latest joiners" go through the adapter: the names land in the stream.
    const seen = (name: string) =>
      waitUntil(
        () => host.events.some((e) => e.event === 'game:players' && JSON.stringify(e.args).includes(name)),
        `${name} on the host`,
      );
    const kept = await joinPlayer(s.url, g.pin, 'Võ Văn Kiệt');
    await seen('Võ Văn Kiệt');
    const dung = await joinPlayer(s.url, g.pin, 'Phạm Thị Dung');
    await seen('Phạm Thị Dung');
    const named = async (name: string) => (await entries(stream)).filter((e) => e.text.includes(name)).length;
    expect(await named('Phạm Thị Dung')).toBeGreaterThan(0);
    // An entry naming both goes too; those naming only the other contestant stay.
    const onlyKiet = (await entries(stream)).filter(
      (e) => e.text.includes('Võ Văn Kiệt') && !e.text.includes('Phạm Thị Dung'),
    ).length;
    expect(onlyKiet).toBeGreaterThan(0);

    await host.ok('host:command', { type: 'kick', playerId: dung.join.me.playerId });
    const del = await fetch(`${s.url}/api/games/${g.pin}/players/${dung.join.me.playerId}/personal-data`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(del.status).toBe(200);
    expect(((await del.json()) as { nickname: string }).nickname).toMatch(/^Đã xóa/);
    expect(await named('Phạm Thị Dung')).toBe(0);
    expect(await named('Võ Văn Kiệt')).toBe(onlyKiet);
    expect((await s.app.store.getKickedPlayers(g.pin))[0]?.nickname).toMatch(/^Đã xóa/);
    for (const c of [host, dung.client, kept.client]) c.close();
  });

  it('keeps the stream short: at most about maxLen entries, none older than the keep period', async () => {
    const prefix = testPrefix('stream-trim');
    const stream = `${prefix}socket.io`;
    const s = await server('redis', { prefix, socketStream: { maxLen: 100, keepMs: 1000 } });
    for (let i = 0; i < 600; i++) s.app.io.of('/screen').to(`nobody-${i}`).emit('game:players', { count: i });
    await new Promise((r) => setTimeout(r, 300));
    // Approximate trimming (~) keeps whole stream nodes: at most one node (100 entries) beyond maxLen.
    expect(await redis.xlen(stream)).toBeLessThanOrEqual(200);
    // After the keep period (and a trim, every half of it) no entry is older than it.
    await new Promise((r) => setTimeout(r, 2000));
    const [sec] = await redis.time();
    const oldest = (await entries(stream))[0];
    if (oldest) expect(Number(sec) * 1000 - Number(oldest.id.split('-')[0])).toBeLessThan(1000 + 600 + 1000);
    expect((await entries(stream)).filter((e) => e.text.includes('"count":5'))).toEqual([]);
  });
});

describe.each<Mode>(['memory', 'redis'])('kicked contestants (%s store)', (mode) => {
  it('the retention sweep deletes kicked contestants’ data too', async () => {
    const s = await server(mode);
    const token = await login(s.url, s.organiserPassword);
    const g = await createGame(s.url, token, 'quick', 'dai');
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin: g.pin, hostToken: g.hostToken });
    const kicked = await joinPlayer(s.url, g.pin, 'Đỗ Văn Kích');
    const stays = await joinPlayer(s.url, g.pin, 'Hà Thị Ở');
    await host.ok('host:command', { type: 'kick', playerId: kicked.join.me.playerId });
    await host.ok('host:command', { type: 'start' });
    await host.ok('host:command', { type: 'end' });
    const now = await s.app.store.now();
    expect(await s.app.purgeExpired(now + 91 * DAY)).toEqual({ games: [g.pin], players: 2 });
    expect((await s.app.store.getKickedPlayers(g.pin)).map((p) => p.nickname)).toEqual([
      `Đã xóa (${kicked.join.me.playerId.slice(0, 6)})`,
    ]);
    expect((await s.app.store.getPlayers(g.pin)).map((p) => p.nickname)).toEqual([
      `Đã xóa (${stays.join.me.playerId.slice(0, 6)})`,
    ]);
    for (const c of [host, kicked.client, stays.client]) c.close();
  });
});
