import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../../protocol/http';
import type { AuditPage } from '../../protocol/organiser';
import { createGame, joinPlayer, login, shownChoice, TestClient } from './clients';
import { testServers, type Mode } from './servers';

const DAY = 86_400_000;
const server = testServers('retention', 'server/test/contests');

describe.each<Mode>(['memory', 'redis'])('personal-data retention (%s store)', (mode) => {
  it("purges an ended game's personal data after the contest's retention period, once, keeping every score", async () => {
    const s = await server(mode);
    const token = await login(s.url, s.organiserPassword);
    const auth = { authorization: `Bearer ${token}` };
    const ended = await createGame(s.url, token, 'quick', 'dai');
    const running = await createGame(s.url, token, 'quick', 'dai');
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin: ended.pin, hostToken: ended.hostToken });
    const an = await joinPlayer(s.url, ended.pin, 'Nguyễn Văn An');
    const binh = await joinPlayer(s.url, ended.pin, 'Trần Bình');
    await joinPlayer(s.url, running.pin, 'Lê Chi');
    await host.ok('host:command', { type: 'start' });
    await an.client.phase('open', 0);
    const game = await s.app.store.getGame(ended.pin);
    await an.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 2) });
    await binh.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 1) });
    await an.client.phase('reveal', 0);
    await host.ok('host:command', { type: 'end' });
    const results = async (pin: string) =>
      (await (await fetch(`${s.url}/api/games/${pin}/results.json`, { headers: auth })).json()) as ResultRow[];
    const before = await results(ended.pin);
    expect(before.map((r) => r.nickname).sort()).toEqual(['Nguyễn Văn An', 'Trần Bình']);

    const now = await s.app.store.now();
    expect(await s.app.purgeExpired(now + 89 * DAY)).toEqual({ games: [], players: 0 });
    const byHand = await fetch(`${s.url}/api/retention/purge`, { method: 'POST', headers: auth });
    expect(await byHand.json()).toEqual({ games: [], players: 0 });
    expect((await results(ended.pin)).map((r) => r.nickname).sort()).toEqual(['Nguyễn Văn An', 'Trần Bình']);

    // 90 days (the default) after the end: the ended game is purged; the running one is not.
    expect(await s.app.purgeExpired(now + 91 * DAY)).toEqual({ games: [ended.pin], players: 2 });
    const after = await results(ended.pin);
    expect(after.every((r) => r.nickname.startsWith('Đã xóa'))).toBe(true);
    expect(after.map((r) => [r.playerId, r.score, r.correct, r.group])).toEqual(
      before.map((r) => [r.playerId, r.score, r.correct, r.group]),
    );
    expect((await results(running.pin)).map((r) => r.nickname)).toEqual(['Lê Chi']);
    // Marked once: a later sweep (another node, the next hour) does nothing.
    expect(await s.app.purgeExpired(now + 200 * DAY)).toEqual({ games: [], players: 0 });

    const audit = (await (await fetch(`${s.url}/api/audit?limit=500`, { headers: auth })).json()) as AuditPage;
    const deletions = audit.entries.filter(
      (e) => e.action === 'personal-data.deleted' && e.actor === 'system:retention',
    );
    expect(deletions).toHaveLength(2);
    expect(audit.entries.some((e) => e.action === 'retention.purge')).toBe(true);
    for (const c of [host, an.client, binh.client]) c.close();
  });
});
