import { expect } from 'vitest';
import type { TargetGroup } from '../../protocol/contest';
import type { Store } from '../src/store/store';
import { createGame, joinPlayer, login, shownChoice, TestClient } from './clients';

/**
 * An organiser's REST session for tests: `get` expects 200 and parses JSON; `lock` posts to a result scope's
 * `/lock` and returns the raw response (tests check refusals too).
 */
export async function organiserApi(url: string, password: string) {
  const token = await login(url, password);
  const auth = { authorization: `Bearer ${token}` };
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`, { headers: auth });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const lock = (scopePath: string, body: object = {}) =>
    fetch(`${url}${scopePath}/lock`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { token, auth, get, lock };
}

/**
 * Plays one live game of a round to the end: each person joins, answers as told (bank option index, or null for
 * no answer), and the host closes what is left open and walks through every phase.
 */
export async function playLiveGame(
  s: { url: string; app: { store: Store } },
  token: string,
  contestId: string,
  roundId: string,
  people: readonly { nickname: string; group: TargetGroup; choices: readonly (number | null)[] }[],
  opts: { practice?: boolean } = {},
) {
  const { url } = s;
  const game = await createGame(url, token, contestId, roundId);
  if (opts.practice) {
    const res = await fetch(`${url}/api/games/${game.pin}/practice`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ practice: true }),
    });
    expect(res.status).toBe(200);
  }
  const record = await s.app.store.getGame(game.pin);
  const host = await new TestClient(url, '/host').connected();
  await host.ok('host:attach', { pin: game.pin, hostToken: game.hostToken });
  const players = await Promise.all(people.map((p) => joinPlayer(url, game.pin, p.nickname, { group: p.group })));
  await host.ok('host:command', { type: 'start' });
  for (let q = 0; q < people[0]!.choices.length; q++) {
    await Promise.all(players.map((p) => p.client.phase('open', q)));
    await Promise.all(
      players.map((p, i) => {
        const choice = people[i]!.choices[q];
        return choice === null || choice === undefined
          ? null
          : p.client.ok('answer:submit', { questionIndex: q, choice: shownChoice(record, q, choice) });
      }),
    );
    await host.emit('host:command', { type: 'close' });
    await host.phase('reveal', q);
    await host.ok('host:command', { type: 'next' });
    if (record!.questions[q]!.type !== 'poll') await host.ok('host:command', { type: 'next' });
  }
  await host.phase('podium');
  await host.ok('host:command', { type: 'next' });
  await host.phase('ended');
  return {
    pin: game.pin,
    host,
    players,
    ids: players.map((p) => p.join.me.playerId),
    close: () => [host, ...players.map((p) => p.client)].forEach((c) => c.close()),
  };
}
