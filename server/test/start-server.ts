// Starts one in-process server for integration and browser tests (and nothing else): port 0 by default, quiet logs.
import { randomToken } from '../src/auth';
import { createApp, type App } from '../src/app';
import type { Config } from '../src/config';

export interface StartOptions {
  port?: number;
  host?: string;
  organiserPassword?: string;
  redisUrl?: string;
  redisPrefix?: string;
  contestsDir?: string;
  publicUrl?: string;
  logLevel?: Config['logLevel'];
  /** Run BullMQ workers in this process (Redis mode). */
  jobWorkers?: boolean;
  trustProxy?: string[];
  /** Tests read /metrics, so it is on unless a test says otherwise (production: off unless configured). */
  metrics?: Config['metrics'];
  maxConnectionsPerAddress?: number;
  pinLookupsPerMinute?: number;
  pinMissesPerMinute?: number;
  /** Embedded mode's data folder; default `:memory:` (nothing kept). */
  dataDir?: string;
  joinLimits?: Config['joinLimits'];
  questionReadyMs?: number;
  gameKeepMs?: number;
  socketStream?: Config['socketStream'];
  onlineLimits?: Config['onlineLimits'];
}

/** Starts a server with a random organiser password unless one is given; `close` stops it. */
export async function startServer(
  options: StartOptions = {},
): Promise<{ url: string; app: App; close(): Promise<void>; organiserPassword: string }> {
  const organiserPassword = options.organiserPassword ?? randomToken(12);
  const app = await createApp({
    config: {
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      redisUrl: options.redisUrl,
      redisPrefix: options.redisPrefix ?? 'cds:',
      publicUrl: options.publicUrl,
      organiserUser: 'admin',
      organiserPassword,
      contestsDir: options.contestsDir ?? 'contests',
      dataDir: options.dataDir ?? ':memory:',
      answerGraceMs: 300,
      // Tests answer as soon as a question shows, unless they test the "get ready" itself.
      questionReadyMs: options.questionReadyMs ?? 0,
      joinLimits: options.joinLimits ?? { burst: 200, perSecond: 20, warnCount: 10 },
      jobWorkers: options.jobWorkers ?? true,
      logLevel: options.logLevel ?? 'silent',
      trustProxy: options.trustProxy ?? ['loopback'],
      metrics: options.metrics ?? { enabled: true },
      maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? 2000,
      auditMaxEntries: 100_000,
      pinLookupsPerMinute: options.pinLookupsPerMinute ?? 3000,
      pinMissesPerMinute: options.pinMissesPerMinute ?? 30,
      gameKeepMs: options.gameKeepMs ?? 72 * 3_600_000,
      socketStream: options.socketStream ?? { maxLen: 10_000, keepMs: 120_000 },
      onlineLimits: options.onlineLimits ?? { registrationsPer10Min: 20, requestsPerMinute: 600 },
    },
  });
  const url = await app.listen();
  return { url, app, close: () => app.close(), organiserPassword };
}
