import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { RedisStore } from '../src/store/redis';

/** A unique key prefix per test file run, so tests can share a Redis (never FLUSHALL). */
export function testPrefix(name: string): string {
  return `cdstest:${name}:${randomBytes(4).toString('hex')}:`;
}

export function redisUrl(): string {
  return inject('redisUrl');
}

export function redisStore(name: string): RedisStore {
  return new RedisStore(redisUrl(), testPrefix(name));
}
