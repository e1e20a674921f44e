import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config';

describe(configFromEnv.name, () => {
  it('defaults to embedded mode on port 3000, all interfaces', () => {
    expect(configFromEnv({})).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      redisUrl: undefined,
      organiserUser: 'admin',
      answerGraceMs: 300,
      questionReadyMs: 3000,
      jobWorkers: true,
    });
  });

  it('keeps embedded data in ./data unless DATA_DIR says otherwise', () => {
    expect(configFromEnv({}).dataDir).toBe('data');
    expect(configFromEnv({ DATA_DIR: ':memory:' }).dataDir).toBe(':memory:');
  });

  it('reads Redis mode and the organiser password', () => {
    const c = configFromEnv({
      PORT: '8080',
      REDIS_URL: 'redis://127.0.0.1:6379',
      ORGANISER_PASSWORD: 'a-long-password',
      JOB_WORKERS: 'false',
    });
    expect(c).toMatchObject({
      port: 8080,
      redisUrl: 'redis://127.0.0.1:6379',
      organiserPassword: 'a-long-password',
      jobWorkers: false,
    });
  });

  it('limits joins per address: a burst for a hall behind one router, then a steady rate', () => {
    expect(configFromEnv({}).joinLimits).toEqual({ burst: 200, perSecond: 20, warnCount: 10 });
    expect(
      configFromEnv({ JOIN_BURST_PER_ADDRESS: '500', JOIN_RATE_PER_ADDRESS: '50', JOIN_BURST_WARN: '30' }).joinLimits,
    ).toEqual({ burst: 500, perSecond: 50, warnCount: 30 });
    expect(() => configFromEnv({ JOIN_RATE_PER_ADDRESS: '0' })).toThrow(/JOIN_RATE_PER_ADDRESS/);
  });

  it('trusts the loopback proxy by default, and the list TRUST_PROXY gives', () => {
    expect(configFromEnv({}).trustProxy).toEqual(['loopback']);
    expect(configFromEnv({ TRUST_PROXY: 'loopback, uniquelocal' }).trustProxy).toEqual(['loopback', 'uniquelocal']);
    expect(configFromEnv({ TRUST_PROXY: '10.0.0.0/8,192.168.1.1' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.1']);
    expect(configFromEnv({ TRUST_PROXY: 'none' }).trustProxy).toEqual([]);
  });

  it('keeps /metrics off unless METRICS=on or a METRICS_TOKEN is set; caps connections per address at 2,000', () => {
    expect(configFromEnv({}).metrics).toEqual({ enabled: false, token: undefined });
    expect(configFromEnv({ METRICS: 'on' }).metrics).toEqual({ enabled: true, token: undefined });
    expect(configFromEnv({ METRICS_TOKEN: 'a-scrape-token-of-some-length' }).metrics).toEqual({
      enabled: true,
      token: 'a-scrape-token-of-some-length',
    });
    expect(configFromEnv({}).maxConnectionsPerAddress).toBe(2000);
    expect(configFromEnv({ MAX_CONNECTIONS_PER_ADDRESS: '5000' }).maxConnectionsPerAddress).toBe(5000);
  });

  it.each([
    ['METRICS', { METRICS: 'yes' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'short' }],
    ['MAX_CONNECTIONS_PER_ADDRESS', { MAX_CONNECTIONS_PER_ADDRESS: '0' }],
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['REDIS_URL', { REDIS_URL: 'http://example' }],
    ['ORGANISER_PASSWORD', { ORGANISER_PASSWORD: 'short' }],
    ['ORGANISER_PASSWORD_HASH', { ORGANISER_PASSWORD_HASH: 'plain-text' }],
    ['JOB_WORKERS', { JOB_WORKERS: 'yes' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'the nginx box' }],
  ])('stops with a message naming %s', (name, env) => {
    expect(() => configFromEnv(env)).toThrow(new RegExp(`^invalid configuration:\\n  ${name}:`));
  });
});
