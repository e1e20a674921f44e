import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { AttemptView, Registered } from '../../protocol/online';
import { RedisOnlineStore } from '../src/online/store-redis';
import { RedisStore } from '../src/store/redis';
import { waitUntil } from './clients';
import { Queue } from 'bullmq';
import { redisUrl, testPrefix } from './helpers';
import { startServer } from './start-server';

const prefix = testPrefix('online-jobs');
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  const store = new RedisStore(redisUrl(), prefix);
  await store.deleteAllKeys();
  await store.close();
});

describe('an online scoring worker killed mid-job', () => {
  it('is retried by another node; the attempt is scored once and the contestant gets the result', async () => {
    // The server enqueues but does not work: the crashing worker takes the scoring job first.
    const server = await startServer({
      contestsDir: 'server/test/online-contests',
      redisUrl: redisUrl(),
      redisPrefix: prefix,
      jobWorkers: false,
    });
    cleanup.push(() => server.close());
    const crasher = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/test/online-crashing-worker.ts', redisUrl(), prefix],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    crasher.stdout.on('data', (c: Buffer) => (out += c.toString()));
    crasher.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const died = new Promise<string | null>((r) => crasher.once('exit', (_code, signal) => r(signal)));
    cleanup.push(async () => void crasher.kill('SIGKILL'));
    await waitUntil(() => out.includes('worker ready'), 'crashing worker', 20_000);

    const call = async <T>(method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${server.url}/api/online/thi-thu${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return ((await res.json()) as { data: T }).data;
    };
    const reg = await call<Registered>('POST', '/register', undefined, {
      fullName: 'Nguyễn Văn An',
      phone: '0912 345 001',
      group: 'nguoi-dan',
      unit: 'don-vi-a',
      consent: true,
    });
    const attempt = await call<AttemptView>('POST', '/rounds/mo/attempts', reg.token);
    const single = attempt.questions.find((q) => q.id === 'q-single')!;
    await call('PUT', `/attempts/${attempt.id}/answers`, reg.token, {
      questionId: 'q-single',
      choice: single.options!.indexOf('C'),
    });
    await call('POST', `/attempts/${attempt.id}/submit`, reg.token);

    expect(await died).toBe('SIGKILL');
    expect(out).toContain('scored, now dying');
    // The dead worker applied the score; the job itself is unfinished. Another node's worker takes it over.
    const takeover = await startServer({
      contestsDir: 'server/test/online-contests',
      redisUrl: redisUrl(),
      redisPrefix: prefix,
    });
    cleanup.push(() => takeover.close());
    const store = new RedisOnlineStore(redisUrl(), prefix);
    cleanup.push(() => store.close());
    // The retried job runs to completion on the takeover node (completed jobs are removed), without scoring again.
    const queue = new Queue('game', { connection: { url: redisUrl() }, prefix: `${prefix}bull` });
    cleanup.push(() => queue.close());
    const jobId = `attempt-score-thi-thu-${attempt.id}`;
    for (let until = Date.now() + 25_000; await queue.getJob(jobId);) {
      if (Date.now() > until) throw new Error('the killed scoring job was not taken over');
      await new Promise((r) => setTimeout(r, 200));
    }
    const counters = await store.counters('thi-thu', 'mo');
    expect({ participants: counters.participants, attempts: counters.attempts }).toEqual({
      participants: 1,
      attempts: 1,
    });
    const result = await call<{ status: string; result: { correct: number } }>(
      'GET',
      `/attempts/${attempt.id}/result`,
      reg.token,
    );
    expect(result.status).toBe('scored');
    expect(result.result.correct).toBe(1);
    // Scoring again changes nothing.
    await takeover.app.online.scoreAttempt('thi-thu', attempt.id);
    expect((await store.counters('thi-thu', 'mo')).attempts).toBe(1);
  }, 60_000);
});
