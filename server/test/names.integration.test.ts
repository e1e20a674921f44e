// The names policy (docs/contests.md, "Names"): a nickname is what its player chose to be seen as, so it is shown as
// chosen on every screen — lobby, joiners, boards, the podium (with the winner's unit) and the socket.io stream —
// even in a contest that masks names; masking is for registered full names (the online board).
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { PhaseView, PlayerSummary } from '../../protocol/events';
import { createGame, joinPlayer, login, TestClient, waitUntil } from './clients';
import { redisUrl, testPrefix } from './helpers';
import { testServers, type Mode } from './servers';

// The bundled 2026 contest sets maskNames: true.
const server = testServers('names', 'contests');
const redis = new Redis(redisUrl());
afterAll(() => redis.quit());

describe.each<Mode>(['memory', 'redis'])('names in a contest that masks names (%s store)', (mode) => {
  it('shows nicknames as chosen in the lobby, on the podium (with the unit) and in the stream', async () => {
    const prefix = testPrefix('names');
    const s = await server(mode, { prefix });
    const token = await login(s.url, s.organiserPassword);
    const g = await createGame(s.url, token, 'cong-dan-so-2026', 'khoi-dong');
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin: g.pin, hostToken: g.hostToken });
    const screen = await new TestClient(s.url, '/screen').connected();
    await screen.ok('screen:attach', { pin: g.pin });
    const lan = await joinPlayer(s.url, g.pin, 'Bà Lan Nguyễn', { unit: 'so-y-te' });
    const tu = await joinPlayer(s.url, g.pin, 'Chú Tư', { unit: 'so-noi-vu' });
    expect(lan.join.me.nickname).toBe('Bà Lan Nguyễn');
    const joiners = () =>
      screen.events
        .filter((e) => e.event === 'game:players')
        .flatMap((e) => (e.args[0] as { recent?: PlayerSummary[] }).recent ?? [])
        .map((p) => p.nickname);
    await waitUntil(() => joiners().includes('Chú Tư'), 'joiners on the projector');
    expect(joiners()).toEqual(['Bà Lan Nguyễn', 'Chú Tư']);

    await host.ok('host:command', { type: 'start' });
    for (let q = 0; q < 5; q++) {
      const open = (await screen.phase('open', q)) as Extract<PhaseView, { phase: 'open' }>;
      await host.ok('host:command', { type: 'close' });
      await screen.phase('reveal', q);
      await host.ok('host:command', { type: 'next' });
      // After a poll (no points change) the projector skips the leaderboard.
      if (open.question.type === 'poll') continue;
      await screen.phase('leaderboard', q);
      await host.ok('host:command', { type: 'next' });
    }
    const podium = (await screen.phase('podium')) as Extract<PhaseView, { phase: 'podium' | 'ended' }>;
    expect(podium.top.map((r) => [r.nickname, r.unit, r.unitName]).sort()).toEqual([
      ['Bà Lan Nguyễn', 'so-y-te', 'Sở Y tế'],
      ['Chú Tư', 'so-noi-vu', 'Sở Nội vụ'],
    ]);
    // No screen ever got a masked form of these nicknames.
    for (const c of [screen, host, lan.client, tu.client]) for (const p of c.raw) expect(p).not.toMatch(/B\*|C\*\*\*/);
    if (mode === 'redis') {
      const stream = (await redis.xrange(`${prefix}socket.io`, '-', '+')).map(([, f]) => f.join(' ')).join('\n');
      expect(stream).toContain('"nickname":"Bà Lan Nguyễn"');
      expect(stream).not.toMatch(/B\*|C\*\*\*/);
    }
    for (const c of [screen, host, lan.client, tu.client]) c.close();
  });
});
