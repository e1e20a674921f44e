import { afterAll } from 'vitest';
import { startServer, type StartOptions } from './start-server';
import type { RedisStore } from '../src/store/redis';
import { redisUrl, testPrefix } from './helpers';

export type Mode = 'memory' | 'redis';

/**
 * In-process servers for one test file: on the memory store, or on the test Redis under their own key prefix
 * (a fresh one per server unless `prefix` is given, so two nodes can share one). After the file, each server's
 * keys are deleted (never FLUSHALL) and the server is closed.
 */
export function testServers(name: string, contestsDir: string) {
  const started: Awaited<ReturnType<typeof startServer>>[] = [];
  afterAll(async () => {
    for (const s of started) {
      await (s.app.store as Partial<RedisStore>).deleteAllKeys?.();
      await s.close();
    }
  });
  return async (mode: Mode, options: StartOptions & { prefix?: string } = {}) => {
    const { prefix, ...rest } = options;
    const s = await startServer({
      contestsDir,
      ...(mode === 'redis' ? { redisUrl: redisUrl(), redisPrefix: prefix ?? testPrefix(name) } : {}),
      ...rest,
    });
    started.push(s);
    return s;
  };
}
