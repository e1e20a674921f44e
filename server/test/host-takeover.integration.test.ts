// An organiser takes a running game over from a lost host tab: real sockets, on the memory store and on two Redis
// nodes (the old console on one node, the organiser on the other).
import { describe, expect, it } from 'vitest';
import type { HostReplaced, HostSnapshot, PhaseView } from '../../protocol/events';
import type { AuditPage, HostTakeover, RunningGame } from '../../protocol/organiser';
import { createGame, joinPlayer, login, shownChoice, TestClient, waitUntil } from './clients';
import { testPrefix } from './helpers';
import { testServers, type Mode } from './servers';

const start = testServers('takeover', 'server/test/contests');

const api = (url: string, token: string | null, path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });

describe.each<Mode>(['memory', 'redis'])('host takeover (%s)', (mode) => {
  it('a new token for the organiser, the old console told and refused, the game played on, the takeover audited', async () => {
    const prefix = testPrefix('takeover-nodes');
    const a = await start(mode, { prefix });
    // Redis: a second node on the same keys; memory: the same server (one process holds the game).
    const b = mode === 'redis' ? await start(mode, { prefix }) : a;
    const session = await login(a.url, a.organiserPassword);
    const sessionB = mode === 'redis' ? await login(b.url, b.organiserPassword) : session;
    const { pin, hostToken } = await createGame(a.url, session, 'quick', 'toc-do');
    const game = await a.app.store.getGame(pin);

    const oldHost = await new TestClient(a.url, '/host').connected();
    await oldHost.ok('host:attach', { pin, hostToken });
    const player = await joinPlayer(a.url, pin, 'Bà Tư');
    await oldHost.ok('host:command', { type: 'start' });
    await player.client.phase('open', 0);

    // The organiser sees the game running, on the other node.
    const running = (await (await api(b.url, sessionB, '/api/running-games')).json()) as RunningGame[];
    expect(running.find((g) => g.pin === pin)).toMatchObject({
      pin,
      title: expect.any(String),
      roundTitle: expect.any(String),
      phase: 'open',
      index: 0,
      total: 5,
      players: 1,
    });

    const res = await api(b.url, sessionB, `/api/games/${pin}/takeover`, {
      method: 'POST',
      body: JSON.stringify({ reason: 'máy chủ trì bị treo' }),
    });
    expect(res.status).toBe(200);
    const taken = (await res.json()) as HostTakeover;
    expect(taken).toMatchObject({ pin, at: expect.any(Number) });
    expect(taken.hostToken).not.toBe(hostToken);

    // The old console is told, wherever it is, and its commands are refused with nothing changed.
    await waitUntil(() => oldHost.events.some((e) => e.event === 'host:replaced'), 'host:replaced');
    expect(oldHost.events.find((e) => e.event === 'host:replaced')!.args[0]).toEqual({
      pin,
      at: taken.at,
    } satisfies HostReplaced);
    const refused = await oldHost.emit('host:command', { type: 'close' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORISED' } });
    expect(await oldHost.emit('host:attach', { pin, hostToken })).toMatchObject({
      ok: false,
      error: { code: 'NOT_AUTHORISED' },
    });
    expect((await a.app.store.getState(pin))?.phase).toBe('open');
    // The old token no longer downloads results either; the new one does.
    expect((await api(a.url, hostToken, `/api/games/${pin}/results.json`)).status).toBe(401);
    expect((await api(a.url, taken.hostToken, `/api/games/${pin}/results.json`)).status).toBe(200);

    // The new console (on the other node) runs the rest of the game.
    const newHost = await new TestClient(b.url, '/host').connected();
    const snap = await newHost.ok<HostSnapshot>('host:attach', { pin, hostToken: taken.hostToken });
    expect(snap.state).toMatchObject({ phase: 'open', index: 0 });
    expect(snap.players.map((p) => p.nickname)).toEqual(['Bà Tư']);
    const statesBefore = oldHost.states.length;
    await player.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 2) });
    await newHost.phase('reveal', 0);
    // The player's result comes from the player's own node (a), after the reveal reached it: it may trail the host's.
    await waitUntil(() => player.client.results.some((r) => r.questionIndex === 0), 'result of question 0');
    expect(player.client.results.at(-1)).toMatchObject({ questionIndex: 0, correct: true });
    await newHost.ok<PhaseView>('host:command', { type: 'end' });
    await newHost.phase('ended');
    // The old console left the game's room: it heard nothing of the reveal or the end.
    expect(oldHost.states.slice(statesBefore).map((s) => s.phase)).toEqual([]);
    expect(newHost.events.some((e) => e.event === 'host:replaced')).toBe(false);

    // Ended games are no longer offered, and cannot be taken over.
    const after = (await (await api(b.url, sessionB, '/api/running-games')).json()) as RunningGame[];
    expect(after.some((g) => g.pin === pin)).toBe(false);
    const late = await api(b.url, sessionB, `/api/games/${pin}/takeover`, { method: 'POST', body: '{}' });
    expect(late.status).toBe(409);

    // Who, when, which game; the refused one too.
    const audit = (await (await api(a.url, session, '/api/audit?limit=1000')).json()) as AuditPage;
    const takeovers = audit.entries.filter((e) => e.action === 'host.takeover' && e.pin === pin);
    expect(takeovers).toEqual([
      expect.objectContaining({
        actor: 'organiser:admin',
        outcome: 'ok',
        at: expect.any(Number),
        detail: { reason: 'máy chủ trì bị treo' },
      }),
      expect.objectContaining({ actor: 'organiser:admin', outcome: 'WRONG_PHASE' }),
    ]);
    for (const c of [oldHost, newHost, player.client]) c.close();
  });

  it('needs an organiser session, a well-formed PIN and an existing game', async () => {
    const s = await start(mode);
    const session = await login(s.url, s.organiserPassword);
    const { pin, hostToken } = await createGame(s.url, session, 'quick', 'toc-do');
    const post = (token: string | null, p: string, body: unknown = {}) =>
      api(s.url, token, `/api/games/${p}/takeover`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post(null, pin)).status).toBe(401);
    // A host token is not an organiser session.
    expect((await post(hostToken, pin)).status).toBe(401);
    expect((await api(s.url, hostToken, '/api/running-games')).status).toBe(401);
    expect((await post(session, '12345')).status).toBe(400);
    expect((await post(session, pin, { reason: 'x'.repeat(201) })).status).toBe(400);
    expect((await post(session, pin === '999999' ? '999998' : '999999')).status).toBe(404);
    // Nothing changed: the creator's token still attaches.
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin, hostToken });
    host.close();
  });
});
