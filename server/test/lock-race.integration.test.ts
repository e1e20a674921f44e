import { describe, expect, it } from 'vitest';
import type { AuditPage } from '../../protocol/organiser';
import type { Store } from '../src/store/store';
import { createGame, joinPlayer, login, TestClient } from './clients';
import { testServers, type Mode } from './servers';

const server = testServers('lockrace', 'server/test/contests');

describe.each<Mode>(['memory', 'redis'])('a lock landing while a question is being scored (%s store)', (mode) => {
  it('the scoring step takes nothing once the game is frozen, and says so in the audit log', async () => {
    const s = await server(mode);
    // Fault injection: the organiser's lock freezes the game between the job's checks and its atomic apply.
    const store = s.app.store as Store;
    const apply = store.applyScores.bind(store);
    store.applyScores = async (pin, scored) => {
      await store.freezeScores(pin);
      return apply(pin, scored);
    };
    const token = await login(s.url, s.organiserPassword);
    const { pin, hostToken } = await createGame(s.url, token, 'quick', 'dai');
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin, hostToken });
    const player = await joinPlayer(s.url, pin, 'An');
    await host.ok('host:command', { type: 'start' });
    await player.client.phase('open', 0);
    await player.client.ok('answer:submit', { questionIndex: 0, choice: 2 });

    const audit = async () =>
      (
        (await (
          await fetch(`${s.url}/api/audit?after=0&limit=1000`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as AuditPage
      ).entries;
    await expect
      .poll(async () => (await audit()).some((e) => e.action === 'write.refused' && e.detail?.what === 'score'), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(await store.isScored(pin, 0)).toBe(false);
    expect((await s.app.games.results(pin))[0]).toMatchObject({ score: 0, correct: 0 });
    // The game stays closed (no reveal of scores that were never applied), and a kick is refused as locked.
    expect((await store.getState(pin))?.phase).toBe('closed');
    expect(await host.emit('host:command', { type: 'kick', playerId: player.join.me.playerId })).toMatchObject({
      ok: false,
      error: { code: 'RESULTS_LOCKED' },
    });
    for (const c of [host, player.client]) c.close();
  });
});
