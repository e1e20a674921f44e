// Redis dies mid-question and comes back (its AOF on disk, as docs/operations.md asks): the game carries on.
// Needs its own redis-server (the shared one must never be killed); .ci/run installs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PhaseView } from '../../protocol/events';
import { startServer } from './start-server';
import { createGame, joinPlayer, login, shownChoice, TestClient, waitUntil } from './clients';
import { freePort } from './free-port';
import { testPrefix } from './helpers';
import { answersPing } from './redis-setup';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cds-redis-restart-'));
let redis: ChildProcess | undefined;
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  redis?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startRedis(port: number): Promise<void> {
  // appendfsync always: nothing acknowledged is lost to the SIGKILL (production's everysec may lose up to 1 s).
  redis = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const failed = new Promise<Error>((resolve) => redis!.once('error', resolve));
  for (let i = 0; i < 100; i++) {
    const ok = await Promise.race([
      failed.then((e) => {
        throw new Error(`this test starts its own redis-server and could not: ${e.message} (install redis-server)`);
      }),
      answersPing(`redis://127.0.0.1:${port}`),
    ]);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not answer');
}

describe('Redis restarts mid-question', () => {
  it('answers acknowledged before the crash count, the question still closes on its deadline job, and the game finishes', async () => {
    const port = await freePort();
    await startRedis(port);
    const server = await startServer({
      contestsDir: 'server/test/contests',
      redisUrl: `redis://127.0.0.1:${port}`,
      redisPrefix: testPrefix('restart'),
    });
    cleanup.push(() => server.close());
    const token = await login(server.url, server.organiserPassword);
    const { pin, hostToken } = await createGame(server.url, token, 'quick', 'toc-do');
    const game = await server.app.store.getGame(pin);
    const host = await new TestClient(server.url, '/host').connected();
    await host.ok('host:attach', { pin, hostToken });
    const players = await Promise.all(['An', 'Bình', 'Chi', 'Dũng'].map((n) => joinPlayer(server.url, pin, n)));
    cleanup.push(async () => [host, ...players.map((p) => p.client)].forEach((c) => c.close()));

    await host.ok('host:command', { type: 'start' });
    await Promise.all(players.map((p) => p.client.phase('open', 0)));
    // Two answer before the crash (one right, one wrong)…
    await players[0]!.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 2) });
    await players[1]!.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 0) });

    // …Redis dies and is back 1 s later with its AOF.
    redis!.kill('SIGKILL');
    await new Promise((r) => redis!.once('exit', r));
    const during = await players[2]!.client.emit('answer:submit', {
      questionIndex: 0,
      choice: shownChoice(game, 0, 2),
    });
    // Refused with a clear error (the phone lets the contestant try again), never a crash.
    expect(during).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await new Promise((r) => setTimeout(r, 1000));
    await startRedis(port);
    await expect
      .poll(async () => (await fetch(`${server.url}/readyz`)).status, { timeout: 10_000, interval: 100 })
      .toBe(200);

    // A phone that could not answer during the outage answers again, if the question is still open.
    const again = await players[2]!.client.emit('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 2) });
    const thirdAnswered = again.ok;
    // The 5 s deadline job survived in Redis: the question closes and is scored without the host.
    await Promise.all(
      players.map((p) =>
        waitUntil(() => p.client.results.some((r) => r.questionIndex === 0), 'result of q0 after the restart', 20_000),
      ),
    );
    const r0 = (i: number) => players[i]!.client.results.find((r) => r.questionIndex === 0)!;
    expect([r0(0).correct, r0(1).correct, r0(1).answered, r0(3).answered]).toEqual([true, false, true, false]);
    expect(r0(2).answered).toBe(thirdAnswered);

    // The game goes on to the end with one leaderboard.
    for (let q = 1; q < 5; q++) {
      const v = await host.ok<PhaseView>('host:command', { type: 'next' });
      if (v.phase === 'leaderboard') await host.ok('host:command', { type: 'next' });
      await players[0]!.client.phase('open', q);
      await host.ok('host:command', { type: 'close' });
      await waitUntil(() => players[0]!.client.results.some((r) => r.questionIndex === q), `result of q${q}`, 20_000);
    }
    const rows = await server.app.games.results(pin);
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.playerId === players[0]!.join.me.playerId)!.correct).toBe(1);
  }, 90_000);
});
