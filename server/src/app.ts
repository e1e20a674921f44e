import { createAdapter } from '@socket.io/redis-streams-adapter';
import proxyaddr from 'proxy-addr';
import express from 'express';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pino from 'pino';
import { Server } from 'socket.io';
import { hashPassword, randomToken } from './auth';
import { lanAddress, type Config } from './config';
import { loadContests } from './contests/load';
import { ContestRegistry } from './contests/registry';
import { createOnlineRouter } from './http/online-routes';
import { createOrganiserApi } from './http/organiser';
import { createRouter } from './http/routes';
import { BullJobRunner } from './jobs/bullmq';
import { InlineJobRunner } from './jobs/inline';
import type { JobRunner } from './jobs/jobs';
import { LiveGames } from './live/games';
import { createMetrics } from './metrics';
import { FanOut } from './realtime/fan-out';
import { attachRealtime } from './realtime/realtime';
import { AuditLog } from './organiser/audit';
import { ClaimDesk } from './organiser/claims';
import { OrganiserResults } from './organiser/results';
import { purgeExpiredPersonalData, type PurgeReport } from './organiser/retention';
import { OnlineRounds } from './online/online-rounds';
import type { OnlineStore } from './online/store';
import { MemoryOnlineStore } from './online/store-memory';
import { RedisOnlineStore } from './online/store-redis';
import { MemoryStore } from './store/memory';
import { RedisStore } from './store/redis';
import type { Store } from './store/store';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Largest socket.io message accepted; larger ones close that connection (and only that one). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export interface AppDeps {
  config: Config;
  log?: pino.Logger;
}

export interface App {
  httpServer: HttpServer;
  io: Server;
  games: LiveGames;
  store: Store;
  /** Online (self-paced) rounds: registration, attempts, scoring. */
  online: OnlineRounds;
  onlineStore: OnlineStore;
  jobs: JobRunner;
  audit: AuditLog;
  results: OrganiserResults;
  claims: ClaimDesk;
  /** The personal-data retention sweep (hourly on its own); `now` for tests. */
  purgeExpired(now?: number): Promise<PurgeReport>;
  /** Set when no organiser password was configured: a random one for this run. */
  oneTimePassword?: string;
  /** Starts listening; resolves to the URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Builds the whole server from its configuration: store, jobs, game service, HTTP and socket.io. */
export async function createApp({ config, log = pino({ level: config.logLevel }) }: AppDeps): Promise<App> {
  const contestsDir = path.resolve(ROOT, config.contestsDir);
  const bundledContests = await loadContests(contestsDir);
  const metrics = createMetrics();
  const onJobError = (err: unknown, name: string) => log.error({ err, job: name }, 'job failed');

  let store: Store;
  let onlineStore: OnlineStore;
  let jobs: JobRunner;
  let adapterClient: Redis | undefined;
  if (config.redisUrl) {
    store = new RedisStore(config.redisUrl, config.redisPrefix);
    onlineStore = new RedisOnlineStore(config.redisUrl, config.redisPrefix);
    jobs = new BullJobRunner(
      { redisUrl: config.redisUrl, prefix: `${config.redisPrefix}bull`, work: config.jobWorkers },
      onJobError,
    );
    // The streams adapter blocks on XREAD: it gets its own connection.
    adapterClient = new Redis(config.redisUrl);
    adapterClient.on('error', (err) => log.warn({ err: err.message }, 'adapter redis error'));
  } else {
    store = new MemoryStore();
    onlineStore = new MemoryOnlineStore();
    jobs = new InlineJobRunner(onJobError);
  }

  // Bundled contests plus those organisers uploaded (kept in the store, so every node has them).
  const registry = new ContestRegistry(bundledContests, store.organiser, log);
  await registry.refresh();
  const contests = registry.all;
  const contestsTimer = setInterval(
    () => void registry.refresh().catch((err) => log.error({ err }, 'contest refresh failed')),
    5000,
  );
  contestsTimer.unref();

  let oneTimePassword: string | undefined;
  let passwordHash = config.organiserPasswordHash;
  if (!passwordHash) {
    if (!config.organiserPassword) oneTimePassword = randomToken(9);
    passwordHash = await hashPassword(config.organiserPassword ?? oneTimePassword!);
  }

  const audit = new AuditLog(store.organiser, () => store.now(), log);
  let boundPort = 0;
  /**
   * Join links and QR codes: PUBLIC_URL, else this machine's LAN address read at each call — a laptop started at
   * the office and carried to the hall's Wi-Fi gives phones its new address, not the one it had at start-up.
   */
  const publicUrl = () => {
    if (config.publicUrl) return config.publicUrl;
    const host = config.host === '0.0.0.0' || config.host === '::' ? (lanAddress() ?? 'localhost') : config.host;
    return `http://${host}:${boundPort}`;
  };
  // socket.io before the game service: the service is built with the fan-out that broadcasts through it. The
  // HTTP server comes later (it needs the service's routes); io is attached to it there.
  const io = new Server({
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    serveClient: false,
    ...(adapterClient
      ? { adapter: createAdapter(adapterClient, { streamName: `${config.redisPrefix}socket.io` }) }
      : {}),
  });
  // The fan-out reads personal results from the service built just below (only once a question is scored).
  const fanOut: FanOut = new FanOut(io, {
    store,
    metrics,
    log,
    clustered: !!adapterClient,
    personalResults: (pin, index, players) => games.personalResults(pin, index, players),
  });
  const games = new LiveGames(
    {
      store,
      jobs,
      contests,
      graceMs: config.answerGraceMs,
      burstRule: { minCount: config.joinLimits.warnCount, windowMs: 5000 },
      publicUrl,
      log,
      onScored: (s) => metrics.scoring.observe(s),
      onRefusedWrite: async (pin, what, detail) => {
        log.warn({ pin, what, ...detail }, 'write to locked results refused');
        await audit.record({
          actor: 'system',
          action: 'write.refused',
          ip: null,
          pin,
          outcome: 'RESULTS_LOCKED',
          detail: { what, ...detail },
        });
      },
    },
    fanOut,
  );
  const online = new OnlineRounds({ store: onlineStore, jobs, contests, log });
  const claims = new ClaimDesk({ store, audit });
  const results = new OrganiserResults({ games, store, contests, audit, claims });
  const purgeExpired = async (now?: number) =>
    purgeExpiredPersonalData({ store, claims, contests }, now ?? (await store.now()));
  // Idempotent (each game is marked once purged), so every node may sweep.
  const retentionTimer = setInterval(
    () => void purgeExpired().catch((err) => log.error({ err }, 'retention sweep failed')),
    3600_000,
  );
  retentionTimer.unref();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use('/api/online', createOnlineRouter({ online, log }));
  app.use(
    createRouter({
      games,
      store,
      contests,
      contestsDir,
      metrics,
      organiser: { user: config.organiserUser, passwordHash },
      clientDir: path.join(ROOT, 'client/dist'),
      log,
      audit,
      organiserApi: createOrganiserApi({
        store,
        games,
        results,
        audit,
        claims,
        registry,
        log,
        organiserUser: config.organiserUser,
        purgeExpired: () => purgeExpired(),
      }),
    }),
  );
  const httpServer = createServer(app);
  io.attach(httpServer);
  attachRealtime(io, {
    games,
    store,
    metrics,
    log,
    audit,
    claims,
    fanOut,
    trustProxy: proxyaddr.compile(config.trustProxy),
    joinLimits: config.joinLimits,
  });
  claims.on('issued', (pin, playerId, notice) => fanOut.claim(pin, playerId, notice));
  await jobs.start({ ...games.processors, ...online.processors });

  return {
    httpServer,
    io,
    games,
    store,
    online,
    onlineStore,
    jobs,
    audit,
    results,
    claims,
    purgeExpired,
    oneTimePassword,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          const { port } = httpServer.address() as AddressInfo;
          boundPort = port;
          resolve(`http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`);
        });
      }),
    async close() {
      // Workers first (no job half-run), then sockets, then Redis.
      clearInterval(retentionTimer);
      clearInterval(contestsTimer);
      fanOut.close();
      await jobs.close();
      io.close();
      await new Promise<void>((r) => httpServer.close(() => r()));
      httpServer.closeAllConnections();
      await store.close();
      await onlineStore.close();
      adapterClient?.disconnect();
    },
  };
}
