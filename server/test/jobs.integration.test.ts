import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './start-server';
import { RedisStore } from '../src/store/redis';
import { createGame, joinPlayer, login, shownChoice, TestClient, waitUntil } from './clients';
import { redisUrl, testPrefix } from './helpers';

const prefix = testPrefix('jobs');
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  const store = new RedisStore(redisUrl(), prefix);
  await store.deleteAllKeys();
  await store.close();
});

describe('a scoring worker killed mid-job', () => {
  it('is retried by another worker; every score counts exactly once and players still get their results', async () => {
    // The server enqueues but does not work: the crashing worker takes the scoring job first.
    const server = await startServer({
      contestsDir: 'server/test/contests',
      redisUrl: redisUrl(),
      redisPrefix: prefix,
      jobWorkers: false,
    });
    cleanup.push(() => server.close());
    const crasher = spawn(process.execPath, ['--import', 'tsx', 'server/test/crashing-worker.ts', redisUrl(), prefix], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    crasher.stdout.on('data', (c: Buffer) => (out += c.toString()));
    crasher.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const died = new Promise<string | null>((r) => crasher.once('exit', (_code, signal) => r(signal)));
    cleanup.push(async () => void crasher.kill('SIGKILL'));
    await waitUntil(() => out.includes('worker ready'), 'crashing worker', 20_000);

    const token = await login(server.url, server.organiserPassword);
    const { pin, hostToken } = await createGame(server.url, token, 'quick', 'dai');
    const game = await server.app.store.getGame(pin);
    const host = await new TestClient(server.url, '/host').connected();
    await host.ok('host:attach', { pin, hostToken });
    const players = await Promise.all(['An', 'Bình', 'Chi'].map((n) => joinPlayer(server.url, pin, n)));
    await host.ok('host:command', { type: 'start' });
    await players[0]!.client.phase('open', 0);
    await Promise.all(
      players.map((p, i) =>
        p.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, i === 2 ? 0 : 2) }),
      ),
    );
    await host.ok('host:command', { type: 'close' });

    expect(await died).toBe('SIGKILL');
    expect(out).toContain('scored, now dying');
    // Scores were applied by the dead worker; the job itself is still unfinished. Another node's worker takes over.
    const takeover = await startServer({
      contestsDir: 'server/test/contests',
      redisUrl: redisUrl(),
      redisPrefix: prefix,
    });
    cleanup.push(() => takeover.close());
    await Promise.all(
      players.map((p) =>
        waitUntil(() => p.client.results.some((r) => r.questionIndex === 0), 'result after retry', 25_000),
      ),
    );
    const rows = await server.app.games.results(pin);
    expect(rows.map((r) => r.correct).sort()).toEqual([0, 1, 1]);
    for (const p of players) {
      const row = rows.find((r) => r.playerId === p.join.me.playerId)!;
      expect(row.score).toBe(p.client.results[0]!.pointsGained);
      expect(row.answered).toBe(1);
    }
    // Re-running the job again changes nothing.
    await server.app.games.scoreQuestion(pin, 0);
    expect(await server.app.games.results(pin)).toEqual(rows);
    for (const c of [host, ...players.map((p) => p.client)]) c.close();
  }, 60_000);
});
