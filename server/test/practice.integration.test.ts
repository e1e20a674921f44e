import { describe, expect, it } from 'vitest';
import type { AuditPage, Dashboard, GameListing, ResultSet } from '../../protocol/organiser';
import { joinPlayer, login, TestClient } from './clients';
import { testServers, type Mode } from './servers';

const server = testServers('practice', 'server/test/organiser-contests');

describe.each<Mode>(['memory', 'redis'])('practice games (%s store)', (mode) => {
  it('a rehearsal game is left out of round and contest results, the dashboard and locks, until it is marked back', async () => {
    const s = await server(mode);
    const token = await login(s.url, s.organiserPassword);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = (path: string, body: object) =>
      fetch(`${s.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    const get = async <T>(path: string) => (await (await fetch(`${s.url}${path}`, { headers: auth })).json()) as T;

    // The rehearsal is created as practice from the start; the real game is not.
    const rehearsal = (await (
      await post('/api/games', { contestId: 'giai', roundId: 'vong-1', practice: true })
    ).json()) as { pin: string };
    const real = (await (await post('/api/games', { contestId: 'giai', roundId: 'vong-1' })).json()) as {
      pin: string;
      hostToken: string;
    };
    const joined = [
      ...(await Promise.all(['Thử 1', 'Thử 2', 'Thử 3'].map((n) => joinPlayer(s.url, rehearsal.pin, n)))),
      ...(await Promise.all(['An', 'Bình'].map((n) => joinPlayer(s.url, real.pin, n)))),
    ];

    const round = () => get<ResultSet>('/api/results/round/giai/vong-1');
    expect((await round()).games).toEqual([real.pin]);
    expect((await round()).overall.map((e) => e.nickname).sort()).toEqual(['An', 'Bình']);
    expect((await get<ResultSet>('/api/results/contest/giai')).overall).toHaveLength(2);
    // Its own results stay available.
    expect((await get<ResultSet>(`/api/results/game/${rehearsal.pin}`)).overall).toHaveLength(3);
    const listing = await get<GameListing[]>('/api/games?contestId=giai');
    expect(listing.map((g) => [g.pin, g.practice ?? false])).toEqual([
      [rehearsal.pin, true],
      [real.pin, false],
    ]);
    expect((await get<Dashboard>('/api/dashboard/giai')).contestants.total).toBe(2);

    // Marked back as a real game, it counts again (the dashboard too: a change is shown at the next poll).
    expect((await post(`/api/games/${rehearsal.pin}/practice`, { practice: false })).status).toBe(200);
    expect((await round()).overall).toHaveLength(5);
    expect((await get<Dashboard>('/api/dashboard/giai')).contestants.total).toBe(5);
    expect((await post(`/api/games/${rehearsal.pin}/practice`, { practice: true })).status).toBe(200);
    expect((await round()).overall).toHaveLength(2);

    // Bad input changes nothing; an unknown game is 404; a game inside locked results cannot change.
    expect((await post(`/api/games/${rehearsal.pin}/practice`, { practice: 'yes' })).status).toBe(400);
    expect((await post('/api/games/999999/practice', { practice: true })).status).toBe(404);
    expect(
      (
        await fetch(`${s.url}/api/games/${real.pin}/practice`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"practice":true}',
        })
      ).status,
    ).toBe(401);
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin: real.pin, hostToken: real.hostToken });
    await host.ok('host:command', { type: 'end' });
    expect((await post(`/api/results/game/${real.pin}/lock`, { acceptTies: true })).status).toBe(200);
    expect((await post(`/api/games/${real.pin}/practice`, { practice: true })).status).toBe(409);
    expect((await round()).games).toEqual([real.pin]);

    const audit = await get<AuditPage>('/api/audit?after=0&limit=1000');
    expect(audit.entries.filter((e) => e.action === 'game.practice').map((e) => e.outcome)).toEqual([
      'ok',
      'ok',
      'GAME_NOT_FOUND',
      'RESULTS_LOCKED',
    ]);
    for (const c of [host, ...joined.map((p) => p.client)]) c.close();
  });
});
