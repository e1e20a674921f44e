// A PIN is never issued again while the durable records name a game with it — not even after that game's live keys
// expired — because claims, locks and archives name games by PIN. The PIN draw is scripted to hit such a PIN first.
import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createGame, login, TestClient } from './clients';
import { testServers, type Mode } from './servers';

/** PINs the next game creations draw, in order, before the real random draw resumes. */
const scripted: number[] = [];
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return {
    ...actual,
    randomInt: (...args: Parameters<typeof actual.randomInt>) =>
      args[0] === 100000 && args[1] === 1000000 && scripted.length
        ? scripted.shift()!
        : (actual.randomInt as (...a: unknown[]) => number)(...args),
  };
});

const server = testServers('pin-reuse', 'server/test/contests');

describe.each<Mode>(['memory', 'redis'])('PIN reuse (%s store)', (mode) => {
  it('skips a PIN whose game expired but is still in the records, and takes a free one', async () => {
    const s = await server(mode, { gameKeepMs: 300 });
    const token = await login(s.url, s.organiserPassword);
    const old = await createGame(s.url, token, 'quick', 'dai');
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin: old.pin, hostToken: old.hostToken });
    await host.ok('host:command', { type: 'end' });
    expect((await s.app.expireGames((await s.app.store.now()) + 61_000)).expiring).toEqual([old.pin]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await s.app.store.getGame(old.pin)).toBeNull();

    let fresh = 0;
    do fresh = crypto.randomInt(100000, 1000000);
    while (String(fresh) === old.pin || (await s.app.store.organiser.isIndexed(String(fresh))));
    scripted.push(Number(old.pin), Number(old.pin), fresh);
    const next = await createGame(s.url, token, 'quick', 'dai');
    expect(next.pin).toBe(String(fresh));
    expect(scripted).toEqual([]);
    // The old game's archive is still its own.
    expect((await s.app.store.organiser.getArchive(old.pin))?.pin).toBe(old.pin);
    host.close();
  });
});
