// The lobby count a phone sees on joining and after a reload: the lobby view is cached until the phase changes, so
// the count in it must not be the cached one.
import { describe, expect, it } from 'vitest';
import type { JoinResult } from '../../protocol/events';
import { createGame, joinPlayer, login, TestClient } from './clients';
import { testServers, type Mode } from './servers';

const start = testServers('lobbycount', 'server/test/contests');

describe.each<Mode>(['memory', 'redis'])('lobby count (%s)', (mode) => {
  it('the first player sees 1, the next ones their number, a reload the count now', async () => {
    const s = await start(mode);
    const session = await login(s.url, s.organiserPassword);
    const { pin } = await createGame(s.url, session, 'quick', 'toc-do');
    // A projector attached first: the lobby view is built (and cached) with 0 players.
    const screen = await new TestClient(s.url, '/screen').connected();
    await screen.ok('screen:attach', { pin });
    const first = await joinPlayer(s.url, pin, 'Người thứ nhất');
    expect(first.join.state.players).toBe(1);
    const second = await joinPlayer(s.url, pin, 'Người thứ hai');
    expect(second.join.state.players).toBe(2);
    await joinPlayer(s.url, pin, 'Người thứ ba');
    // The first phone reloads: it resumes with its token and sees all three.
    first.client.close();
    const again = await new TestClient(s.url, '/play').connected();
    const resumed = await again.ok<JoinResult>('player:resume', { pin, token: first.join.token });
    expect(resumed.state).toMatchObject({ phase: 'lobby', players: 3 });
    for (const c of [screen, again, second.client]) c.close();
  });
});
