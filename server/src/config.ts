import os from 'node:os';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/** "loopback, uniquelocal" → ['loopback', 'uniquelocal']; "none" → [] (no proxy is trusted). */
const ProxyList = z
  .string()
  .transform((s) =>
    s.trim() === 'none'
      ? []
      : s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
  )
  .refine((list) => {
    try {
      proxyaddr.compile(list);
      return true;
    } catch {
      return false;
    }
  }, 'comma-separated loopback, linklocal, uniquelocal, IP addresses or CIDR ranges, or none');

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Unset: embedded mode (memory store, in-process jobs). */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Key prefix in Redis, so several deployments (or tests) can share one server. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,40}$/)
    .default('cds:'),
  /** The address phones use in join links and QR codes; default: this machine's LAN address. */
  PUBLIC_URL: z.url().optional(),
  ORGANISER_USER: z.string().min(1).max(100).default('admin'),
  /** Plain password (hashed with scrypt at start-up) … */
  ORGANISER_PASSWORD: z.string().min(8, 'at least 8 characters').max(200).optional(),
  /** … or a hash from `npm run hash-password`. */
  ORGANISER_PASSWORD_HASH: z
    .string()
    .regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'not a scrypt hash from npm run hash-password')
    .optional(),
  CONTESTS_DIR: z.string().min(1).default('contests'),
  /**
   * Embedded mode keeps its games, organiser records and queued deadlines here (relative to the project), so a
   * crash or restart loses nothing acknowledged. `:memory:` keeps nothing (tests, demos).
   */
  DATA_DIR: z.string().min(1).default('data'),
  /** Answers this long after the deadline still count (network jitter). */
  ANSWER_GRACE_MS: z.coerce.number().int().min(0).max(2000).default(300),
  /** "Get ready": a question's text shows this long before its options open and answers are taken. */
  QUESTION_READY_MS: z.coerce.number().int().min(0).max(10_000).default(3000),
  /**
   * Joins one client address may make at once, then per second (per node). A hall of phones behind one router
   * shares an address: size the burst for the hall.
   */
  JOIN_BURST_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(200),
  JOIN_RATE_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
  /** The host is warned when this many players join from one address within 5 seconds. */
  JOIN_BURST_WARN: z.coerce.number().int().min(2).max(10_000).default(10),
  /** Run BullMQ workers in this process (Redis mode). Set to false for web-only nodes. */
  JOB_WORKERS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * The proxies whose X-Forwarded-For is believed (for the login rate limit and audit addresses): the load
   * balancer's addresses. docker-compose's nginx reaches the app from a private network: "loopback, uniquelocal".
   */
  TRUST_PROXY: ProxyList.default(['loopback']),
  /** Prometheus metrics at GET /metrics: off unless asked for ("on"), or on behind a bearer token (METRICS_TOKEN). */
  METRICS: z.enum(['on', 'off']).default('off'),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\w.~+/=-]{16,200}$/, 'at least 16 characters (letters, digits, -._~+/=)')
    .optional(),
  /** Open TCP connections one client address may hold (a hall of phones behind one NAT shares an address). */
  MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  /** Audit entries kept; older ones are trimmed. */
  AUDIT_MAX_ENTRIES: z.coerce.number().int().min(1000).default(100_000),
  /** PIN lookups (join page, projector, phone join) one address may make per minute: a hall behind one NAT. */
  PIN_LOOKUPS_PER_MINUTE: z.coerce.number().int().min(10).default(3000),
  /** Unknown PINs one address may try per minute before its lookups are refused for the rest of it. */
  PIN_MISSES_PER_MINUTE: z.coerce.number().int().min(3).default(30),
  /** Hours a game's live keys are kept after it ends; then they expire and its results live on in the archive. */
  GAME_KEEP_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 365)
    .default(72),
  /** Entries the socket.io Redis stream keeps at most (approximate trimming). */
  SOCKET_STREAM_MAX_LEN: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  /** Seconds an entry stays in the socket.io Redis stream at most (nodes read it within milliseconds). */
  SOCKET_STREAM_KEEP_SECONDS: z.coerce.number().int().min(10).max(86_400).default(120),
  /** Online rounds, per client address and node: registrations per 10 minutes (floods), requests per minute. */
  ONLINE_REGISTRATIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  ONLINE_REQUESTS_PER_ADDRESS: z.coerce.number().int().min(10).default(600),
});

export type Config = {
  port: number;
  host: string;
  redisUrl?: string;
  redisPrefix: string;
  publicUrl?: string;
  organiserUser: string;
  organiserPassword?: string;
  organiserPasswordHash?: string;
  contestsDir: string;
  /** Embedded mode's data folder, or `:memory:` for none. */
  dataDir: string;
  answerGraceMs: number;
  /** How long a question's text shows before its options open (QUESTION_READY_MS). */
  questionReadyMs: number;
  /** Joins per client address: a burst, then a steady rate per second; and when the host hears of a join burst. */
  joinLimits: { burst: number; perSecond: number; warnCount: number };
  jobWorkers: boolean;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  trustProxy: string[];
  /** /metrics: 404 when off; when a token is set, only requests with `Authorization: Bearer <token>`. */
  metrics: { enabled: boolean; token?: string };
  maxConnectionsPerAddress: number;
  auditMaxEntries: number;
  pinLookupsPerMinute: number;
  pinMissesPerMinute: number;
  /** How long a game's live keys are kept after it ends (ms). */
  gameKeepMs: number;
  /** The socket.io Redis stream: at most this many entries, none older than keepMs. */
  socketStream: { maxLen: number; keepMs: number };
  /** Online routes per client address (per node): registrations per 10 minutes, requests per minute. */
  onlineLimits: { registrationsPer10Min: number; requestsPerMinute: number };
};

/** Parses the environment; a bad value throws a message naming the variable. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    organiserUser: e.ORGANISER_USER,
    organiserPassword: e.ORGANISER_PASSWORD,
    organiserPasswordHash: e.ORGANISER_PASSWORD_HASH,
    contestsDir: e.CONTESTS_DIR,
    dataDir: e.DATA_DIR,
    answerGraceMs: e.ANSWER_GRACE_MS,
    questionReadyMs: e.QUESTION_READY_MS,
    joinLimits: { burst: e.JOIN_BURST_PER_ADDRESS, perSecond: e.JOIN_RATE_PER_ADDRESS, warnCount: e.JOIN_BURST_WARN },
    jobWorkers: e.JOB_WORKERS,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    metrics: { enabled: e.METRICS === 'on' || !!e.METRICS_TOKEN, token: e.METRICS_TOKEN },
    maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    auditMaxEntries: e.AUDIT_MAX_ENTRIES,
    pinLookupsPerMinute: e.PIN_LOOKUPS_PER_MINUTE,
    pinMissesPerMinute: e.PIN_MISSES_PER_MINUTE,
    gameKeepMs: Math.round(e.GAME_KEEP_HOURS * 3_600_000),
    socketStream: { maxLen: e.SOCKET_STREAM_MAX_LEN, keepMs: e.SOCKET_STREAM_KEEP_SECONDS * 1000 },
    onlineLimits: {
      registrationsPer10Min: e.ONLINE_REGISTRATIONS_PER_ADDRESS,
      requestsPerMinute: e.ONLINE_REQUESTS_PER_ADDRESS,
    },
  };
}

/** The first LAN IPv4 address, so phones on the venue's Wi-Fi can reach the laptop. */
export function lanAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}
