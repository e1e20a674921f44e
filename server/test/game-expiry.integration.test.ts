// A game's live keys expire a set time after it ends; its results live on in the durable records (the archive):
// result sets, locks, deletions on request and the retention sweep still find them. A phone holding a token of an
// expired game gets a clear error, and a token never opens another game that holds the same PIN.
import { describe, expect, it } from 'vitest';
import type { ResultSet } from '../../protocol/organiser';
import { initialState } from '../src/game/state';
import { createGame, joinPlayer, login, shownChoice, TestClient } from './clients';
import { testServers, type Mode } from './servers';

const DAY = 86_400_000;
const refusal = async (phone: TestClient, payload: unknown) => {
  const ack = await phone.emit('player:resume', payload);
  return ack.ok ? 'joined' : ack.error.code;
};
const KEEP_MS = 1500;
const server = testServers('game-expiry', 'server/test/contests');

describe.each<Mode>(['memory', 'redis'])('game expiry (%s store)', (mode) => {
  it('archives an ended game, expires its live keys, and serves its results, deletions and retention from the archive', async () => {
    const s = await server(mode, { gameKeepMs: KEEP_MS });
    const token = await login(s.url, s.organiserPassword);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const ended = await createGame(s.url, token, 'quick', 'dai');
    const running = await createGame(s.url, token, 'quick', 'dai');
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin: ended.pin, hostToken: ended.hostToken });
    const an = await joinPlayer(s.url, ended.pin, 'Nguyễn Văn An');
    const binh = await joinPlayer(s.url, ended.pin, 'Trần Bình');
    await host.ok('host:command', { type: 'start' });
    await an.client.phase('open', 0);
    const game = await s.app.store.getGame(ended.pin);
    await an.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 2) });
    await binh.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 1) });
    await an.client.phase('reveal', 0);
    await host.ok('host:command', { type: 'end' });
    const gameSet = async (pin: string) =>
      (await (await fetch(`${s.url}/api/results/game/${pin}`, { headers: auth })).json()) as ResultSet;
    const before = await gameSet(ended.pin);
    expect(before.overall.map((r) => r.nickname).sort()).toEqual(['Nguyễn Văn An', 'Trần Bình']);

    // Within a minute of the end nothing is archived (a scoring job the end overtook may still write).
    const now = await s.app.store.now();
    expect(await s.app.expireGames(now)).toEqual({ archived: [], expiring: [] });
    // Later: archived once, expiring at end + GAME_KEEP; the running game is left alone.
    expect(await s.app.expireGames(now + 61_000)).toEqual({ archived: [ended.pin], expiring: [ended.pin] });
    expect(await s.app.expireGames(now + 62_000)).toEqual({ archived: [], expiring: [ended.pin] });
    expect(await s.app.store.getGame(ended.pin)).not.toBeNull();
    await new Promise((r) => setTimeout(r, KEEP_MS + 200));
    expect(await s.app.store.getGame(ended.pin)).toBeNull();
    expect(await s.app.store.getState(ended.pin)).toBeNull();
    expect(await s.app.store.getGame(running.pin)).not.toBeNull();

    // The results outlive the keys: same rows, same question statistics, in the game's and the round's sets.
    const after = await gameSet(ended.pin);
    expect(after.games).toEqual([ended.pin]);
    expect(after.overall).toEqual(before.overall);
    expect(after.questions).toEqual(before.questions);
    const round = (await (await fetch(`${s.url}/api/results/round/quick/dai`, { headers: auth })).json()) as ResultSet;
    expect(round.games.sort()).toEqual([ended.pin, running.pin].sort());
    expect(round.overall.filter((r) => r.pin === ended.pin)).toHaveLength(2);

    // The phone of the expired game: a clear error, and it joins nothing.
    const phone = await new TestClient(s.url, '/play').connected();
    expect(await refusal(phone, { pin: ended.pin, token: an.join.token })).toBe('GAME_NOT_FOUND');

    // Deletion on request reaches the archive.
    const anId = an.join.me.playerId;
    const del = await fetch(`${s.url}/api/games/${ended.pin}/players/${anId}/personal-data`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(del.status).toBe(200);
    const erased = await gameSet(ended.pin);
    expect(erased.overall.find((r) => r.playerId === anId)?.nickname).toMatch(/^Đã xóa/);
    expect(erased.overall.map((r) => [r.playerId, r.score])).toEqual(before.overall.map((r) => [r.playerId, r.score]));

    // The retention sweep finds the archived game (its end is in the archive) and erases the rest.
    expect(await s.app.purgeExpired(now + 91 * DAY)).toMatchObject({ games: [ended.pin], players: 2 });
    expect((await gameSet(ended.pin)).overall.every((r) => r.nickname.startsWith('Đã xóa'))).toBe(true);

    // An archived game can be locked like any ended game.
    const lock = await fetch(`${s.url}/api/results/game/${ended.pin}/lock`, {
      method: 'POST',
      headers: auth,
      body: '{}',
    });
    expect(lock.status).toBe(200);
    expect(((await lock.json()) as ResultSet).lock?.sha256).toMatch(/^[0-9a-f]{64}$/);

    // The PIN is never issued again (the index holds it); were another game to hold it, the old token opens nothing.
    expect(await s.app.store.organiser.isIndexed(ended.pin)).toBe(true);
    expect(await s.app.store.createGame({ ...game!, createdAt: await s.app.store.now() }, initialState())).toBe(true);
    expect(await refusal(phone, { pin: ended.pin, token: an.join.token })).toBe('TOKEN_INVALID');
    expect(await s.app.store.getPlayers(ended.pin)).toEqual([]);
    // A game never ended is given up a day after its creation: archived, and its keys expire as if it ended then.
    const givenUp = await s.app.expireGames(now + DAY + 61_000);
    expect(givenUp.archived).toEqual([running.pin]);
    expect((await s.app.store.organiser.getArchive(running.pin))?.endedAt).toBeLessThanOrEqual(now + DAY);
    for (const c of [host, an.client, binh.client, phone]) c.close();
  });
});
