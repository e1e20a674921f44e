// Finds a Redis for the tests — REDIS_URL, else 127.0.0.1:6379, else a redis-server started here —
// or fails with a message saying how to get one. Tests that need Redis never skip silently.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { Redis } from 'ioredis';
import { freePort } from './free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** Whether a Redis answers PING at this URL (one try, no retries). */
export async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

let started: ChildProcess | undefined;
let tempDir: string | undefined;

export default async function setup(project: TestProject) {
  let url = process.env.REDIS_URL;
  if (url) {
    if (!(await answersPing(url))) throw new Error(`REDIS_URL=${url} does not answer PING.`);
  } else if (await answersPing('redis://127.0.0.1:6379')) {
    url = 'redis://127.0.0.1:6379';
  } else {
    const port = await freePort();
    tempDir = mkdtempSync(path.join(os.tmpdir(), 'cds-redis-'));
    started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tempDir],
      {
        stdio: 'ignore',
      },
    );
    const failed = await new Promise<Error | null>((resolve) => {
      started!.once('error', resolve);
      setTimeout(() => resolve(null), 300);
    });
    url = `redis://127.0.0.1:${port}`;
    if (failed || !(await answersPing(url))) {
      throw new Error(
        'The Redis-backed tests need Redis and none was found: set REDIS_URL, run one on 127.0.0.1:6379, ' +
          'or install redis-server (Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`).',
      );
    }
  }
  project.provide('redisUrl', url);
  return () => {
    started?.kill('SIGTERM');
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
}
