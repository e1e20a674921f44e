import { afterAll, describe, expect, it } from 'vitest';
import type { JoinResult, ScreenSnapshot } from '../../protocol/events';
import type { ResultRow } from '../../protocol/http';
import { RedisStore } from '../src/store/redis';
import { createGame, joinPlayer, login, shownChoice, TestClient, waitUntil } from './clients';
import { redisUrl, testPrefix } from './helpers';
import { startNode, type ServerProcess } from './nodes';

const prefix = testPrefix('cluster');
const password = 'cluster-test-password';
const nodes: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  const store = new RedisStore(redisUrl(), prefix);
  await store.deleteAllKeys();
  await store.close();
});

describe('two server processes on one Redis', () => {
  it('play one game: every player gets every question and a personal result, a player moves node, both nodes show the same leaderboard', async () => {
    const env = {
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: prefix,
      ORGANISER_PASSWORD: password,
      CONTESTS_DIR: 'server/test/contests',
    };
    nodes.push(...(await Promise.all([startNode(env), startNode(env)])));
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const token = await login(a.url, password);
    const { pin, hostToken } = await createGame(a.url, token, 'quick', 'toc-do');
    const reader = new RedisStore(redisUrl(), prefix);
    const game = await reader.getGame(pin);
    await reader.close();

    const host = await new TestClient(a.url, '/host').connected();
    await host.ok('host:attach', { pin, hostToken });
    const screen = await new TestClient(b.url, '/screen').connected();
    screen.states.push((await screen.ok<ScreenSnapshot>('screen:attach', { pin })).state);
    // Players split across both nodes; the organiser session made on A works on B too.
    const players = await Promise.all(
      Array.from({ length: 16 }, (_, i) => joinPlayer(i % 2 ? b.url : a.url, pin, `Cụm ${i}`)),
    );
    expect(
      (await fetch(`${b.url}/api/games/${pin}/results.json`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    await waitUntil(
      () => screen.events.some((e) => e.event === 'game:players' && (e.args[0] as { count: number }).count === 16),
      'player count on screen',
    );

    await host.ok('host:command', { type: 'start' });
    const total = 5;
    const choices = [2, [0, 2], 1, 42, 0];
    const wrong = [0, [0], 0, 10, 1];
    for (let q = 0; q < total; q++) {
      await Promise.all(players.map((p) => p.client.phase('open', q)));
      if (q === 2) {
        // Player 0 (on A) loses its connection and resumes on B, then answers there.
        players[0]!.client.close();
        const moved = await new TestClient(b.url, '/play').connected();
        const resumed = await moved.ok<JoinResult>('player:resume', { pin, token: players[0]!.join.token });
        expect(resumed.state).toMatchObject({ phase: 'open', index: 2 });
        expect(resumed.me.score).toBe(players[0]!.client.results.at(-1)!.standing.score);
        moved.states.push(resumed.state);
        moved.results.push(...players[0]!.client.results);
        players[0]!.client = moved;
      }
      await Promise.all(
        players.map((p, i) =>
          p.client.ok('answer:submit', {
            questionIndex: q,
            choice: shownChoice(game, q, i % 4 === 3 ? wrong[q]! : choices[q]!),
          }),
        ),
      );
      await Promise.all(
        players.map((p) => waitUntil(() => p.client.results.some((r) => r.questionIndex === q), `result ${q}`, 15_000)),
      );
      await host.phase('reveal', q);
      await host.ok('host:command', { type: 'next' });
      // After the poll (the last question) no score moved: straight to the podium, no leaderboard.
      if (game!.questions[q]!.type === 'poll') continue;
      const boardA = await host.phase('leaderboard', q);
      const boardB = await screen.phase('leaderboard', q);
      expect(boardA.phase === 'leaderboard' && boardA.top).toEqual(boardB.phase === 'leaderboard' && boardB.top);
      await host.ok('host:command', { type: 'next' });
    }
    await host.phase('podium');
    // Answer counts reached the host from both nodes. They are sent every 250 ms, so on a loaded machine the last
    // may land after the podium: waited for, never assumed.
    const counts = () =>
      host.events.filter((e) => e.event === 'game:answers').map((e) => (e.args[0] as { answered: number }).answered);
    await waitUntil(() => counts().includes(16), 'answer count 16 on the host', 10_000);
    expect(Math.max(...counts())).toBe(16);

    const rows = (await (
      await fetch(`${b.url}/api/games/${pin}/results.json`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as ResultRow[];
    expect(rows).toHaveLength(16);
    for (const p of players) {
      const row = rows.find((r) => r.playerId === p.join.me.playerId)!;
      expect(p.client.results.map((r) => r.questionIndex)).toEqual([0, 1, 2, 3, 4]);
      expect(row.score).toBe(p.client.results.reduce((s, r) => s + r.pointsGained, 0));
    }
    for (const c of [host, screen, ...players.map((p) => p.client)]) c.close();
  }, 60_000);
});
