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
import { limitConnections } from './http/connection-limit';
import { createOnlineRouter } from './http/online-routes';
import { createCertificateRouter } from './http/certificate-routes';
import { Certificates } from './certificates/certificates';
import { WorkerRenderer } from './certificates/renderer';
import { MEMORY_CERTIFICATE_WRITES, MemoryCertificateStore, type CertificateStore } from './certificates/store';
import { RedisCertificateStore } from './certificates/store-redis';
import {
  createAccommodationsRouter,
  createGameBadgesRouter,
  createPracticeRouter,
  createPracticeStatsRouter,
} from './http/practice-routes';
import { createOrganiserApi } from './http/organiser';
import { createRouter } from './http/routes';
import { mediaPolicy, metricsGate, securityHeaders } from './http/security-headers';
import { BullJobRunner } from './jobs/bullmq';
import { InlineJobRunner } from './jobs/inline';
import type { JobRunner } from './jobs/jobs';
import { LiveGames } from './live/games';
import { createMetrics } from './metrics';
import { FanOut } from './realtime/fan-out';
import { attachRealtime } from './realtime/realtime';
import { StreamRetention } from './realtime/stream-retention';
import { AuditLog } from './organiser/audit';
import { ClaimDesk } from './organiser/claims';
import { OrganiserResults, scopeKey } from './organiser/results';
import { ResultsThread } from './organiser/results-thread';
import { PinLookupLimiter } from './pin-lookups';
import { expireEndedGames, purgeExpiredPersonalData, type ExpiryReport, type PurgeReport } from './organiser/retention';
import { OnlineBoards } from './online/board';
import { Invitations } from './online/invitations';
import type { Dashboard, ResultSet } from '../../protocol/organiser';
import { ONLINE_GRACE_MS, OnlineRounds } from './online/online-rounds';
import type { OnlineStore } from './online/store';
import { MEMORY_ONLINE_WRITES, MemoryOnlineStore } from './online/store-memory';
import { RedisOnlineStore } from './online/store-redis';
import { EmbeddedDb, type JournalTarget } from './store/embedded-db';
import { MEMORY_STORE_GROUPED, MEMORY_STORE_WRITES, MemoryStore } from './store/memory';
import { MEMORY_RECORDS_WRITES } from './store/records';
import { coalesceWrites, RedisStore } from './store/redis';
import { BadgeService } from './badges/badges';
import { PracticeService } from './practice/practice';
import type { PracticeStore } from './practice/store';
import { MEMORY_PRACTICE_WRITES, MemoryPracticeStore } from './practice/store-memory';
import { RedisPracticeStore } from './practice/store-redis';
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
  /** The express app behind httpServer (tests walk its routes). */
  express: express.Express;
  io: Server;
  games: LiveGames;
  store: Store;
  /** Online (self-paced) rounds: registration, attempts, scoring. */
  online: OnlineRounds;
  /** The online rounds' public board snapshots (a periodic job; one node computes each tick). */
  boards: OnlineBoards;
  onlineStore: OnlineStore;
  jobs: JobRunner;
  /** Embedded mode's database (DATA_DIR), when it keeps one. */
  embeddedDb?: EmbeddedDb;
  audit: AuditLog;
  results: OrganiserResults;
  /** Redis mode: locks, result sets and downloads over HTTP are made in a worker thread (organiser/results-thread.ts). */
  resultsThread?: ResultsThread;
  claims: ClaimDesk;
  /** Participation and award certificates (PDF) and their verification. */
  certificates: Certificates;
  /** Practice sessions and badges, and their store. */
  practice: PracticeService;
  badges: BadgeService;
  practiceStore: PracticeStore;
  /** The personal-data retention sweep (hourly on its own); `now` for tests. */
  purgeExpired(now?: number): Promise<PurgeReport>;
  /** The expiry sweep (hourly on its own): archives ended games' results and gives their live keys an expiry. */
  expireGames(now?: number): Promise<ExpiryReport>;
  /** Set when no organiser password was configured: a random one for this run. */
  oneTimePassword?: string;
  /** Starts listening; resolves to the URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The embedded drivers and their writes, as EmbeddedDb journals them. Erasures are followed by a snapshot. */
export function embeddedTargets({
  memory,
  online,
  certificates,
  practice,
}: {
  memory: MemoryStore;
  online: MemoryOnlineStore;
  certificates: MemoryCertificateStore;
  practice: MemoryPracticeStore;
}): Record<string, JournalTarget> {
  return {
    store: {
      driver: memory,
      writes: MEMORY_STORE_WRITES,
      erasures: ['anonymisePlayer', 'removeExpiredGames'],
      grouped: MEMORY_STORE_GROUPED,
    },
    records: {
      driver: memory.organiser,
      writes: MEMORY_RECORDS_WRITES,
      erasures: ['eraseClaim', 'eraseArchivedName'],
    },
    online: { driver: online, writes: MEMORY_ONLINE_WRITES },
    certificates: { driver: certificates, writes: MEMORY_CERTIFICATE_WRITES },
    practice: { driver: practice, writes: MEMORY_PRACTICE_WRITES },
  };
}

/** Builds the whole server from its configuration: store, jobs, game service, HTTP and socket.io. */
export async function createApp({ config, log = pino({ level: config.logLevel }) }: AppDeps): Promise<App> {
  const contestsDir = path.resolve(ROOT, config.contestsDir);
  const bundledContests = await loadContests(contestsDir);
  const metrics = createMetrics({ exposed: config.metrics.enabled });
  const onJobError = (err: unknown, name: string) => log.error({ err, job: name }, 'job failed');

  let store: Store;
  let onlineStore: OnlineStore;
  let certificateStore: CertificateStore;
  let practiceStore: PracticeStore;
  let jobs: JobRunner;
  let adapterClient: Redis | undefined;
  let streamRetention: StreamRetention | undefined;
  /** Embedded mode's durability (unless DATA_DIR=:memory:). */
  let embeddedDb: EmbeddedDb | undefined;
  if (config.redisUrl) {
    store = new RedisStore(config.redisUrl, config.redisPrefix);
    onlineStore = new RedisOnlineStore(config.redisUrl, config.redisPrefix);
    certificateStore = new RedisCertificateStore(config.redisUrl, config.redisPrefix);
    practiceStore = new RedisPracticeStore(config.redisUrl, config.redisPrefix);
    jobs = new BullJobRunner(
      { redisUrl: config.redisUrl, prefix: `${config.redisPrefix}bull`, work: config.jobWorkers },
      onJobError,
    );
    // The streams adapter blocks on XREAD: it gets its own connection.
    adapterClient = new Redis(config.redisUrl);
    // A host's and a screen's copy of one update are published in the same tick: one write, sent at once (other
    // nodes' phones wait for it).
    coalesceWrites(adapterClient, process.nextTick);
    adapterClient.on('error', (err) => log.warn({ err: err.message }, 'adapter redis error'));
    streamRetention = new StreamRetention(
      adapterClient,
      `${config.redisPrefix}socket.io`,
      config.socketStream.keepMs,
      log,
    );
  } else {
    const memory = new MemoryStore();
    const memoryOnline = new MemoryOnlineStore();
    const memoryCertificates = new MemoryCertificateStore();
    certificateStore = memoryCertificates;
    const memoryPractice = new MemoryPracticeStore();
    if (config.dataDir !== ':memory:') {
      embeddedDb = EmbeddedDb.open(path.resolve(ROOT, config.dataDir));
      const replayed = await embeddedDb.recover(
        embeddedTargets({
          memory,
          online: memoryOnline,
          certificates: memoryCertificates,
          practice: memoryPractice,
        }),
      );
      log.info({ dataDir: embeddedDb.dir, replayed }, 'embedded data restored');
    }
    store = memory;
    onlineStore = memoryOnline;
    practiceStore = memoryPractice;
    jobs = new InlineJobRunner(onJobError, embeddedDb?.jobs);
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

  const audit = new AuditLog(store.organiser, () => store.now(), log, { maxEntries: config.auditMaxEntries });
  const pinLookups = new PinLookupLimiter({
    perMinute: config.pinLookupsPerMinute,
    missesPerMinute: config.pinMissesPerMinute,
  });
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
    ...(adapterClient && streamRetention
      ? {
          adapter: createAdapter(adapterClient, {
            streamName: streamRetention.stream,
            maxLen: config.socketStream.maxLen,
          }),
        }
      : {}),
  });
  // The fan-out reads personal results from the service built just below (only once a question is scored).
  const fanOut: FanOut = new FanOut(io, {
    store,
    metrics,
    log,
    clustered: !!adapterClient,
    personalResults: (pin, index, players, ranks) => games.personalResults(pin, index, players, ranks),
  });
  const games = new LiveGames(
    {
      store,
      jobs,
      contests,
      graceMs: config.answerGraceMs,
      readyMs: config.questionReadyMs,
      burstRule: { minCount: config.joinLimits.warnCount, windowMs: 5000 },
      publicUrl,
      log,
      onScored: (s) => metrics.scoring.observe(s),
      admit: (game, code, playerId): ReturnType<Invitations['admit']> => invitations.admit(game, code, playerId),
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
  // The claim desk is built below; `me` asks it only when a contestant loads their page.
  const online = new OnlineRounds({
    store: onlineStore,
    jobs,
    contests,
    log,
    claimsOf: (pin, contestantId) => claims.noticesFor(pin, contestantId),
  });
  // Embedded mode keeps its data on this heap, so it locks and exports here; Redis mode in a worker of its own.
  const resultsThread = config.redisUrl
    ? new ResultsThread({
        config: {
          redisUrl: config.redisUrl,
          redisPrefix: config.redisPrefix,
          contestsDir,
          auditMaxEntries: config.auditMaxEntries,
        },
        onClaim: (pin, playerId, notice) => fanOut.claim(pin, playerId, notice),
        onlineClockShiftMs: () => (onlineStore instanceof RedisOnlineStore ? onlineStore.clockShiftMs : 0),
        log,
      })
    : undefined;
  const boards = new OnlineBoards({
    store: onlineStore,
    contests,
    graceMs: ONLINE_GRACE_MS,
    // Redis mode reads the whole round in the results worker; a failure is logged by the tick and retried next tick.
    finalise: (contestId, roundId) =>
      resultsThread
        ? resultsThread.json({ kind: 'finalise', contestId, roundId })
        : online.roundRows(contestId, roundId),
    log,
  });
  const claims = new ClaimDesk({
    store,
    audit,
    ...(streamRetention ? { forgetName: (nickname) => streamRetention.forget(nickname).then(() => {}) } : {}),
  });
  const results = new OrganiserResults({
    games,
    store,
    contests,
    audit,
    claims,
    online,
    // The dashboard of a contest with online rounds reads every answer: in the results worker (Redis mode).
    ...(resultsThread
      ? { offloadDashboard: (contestId: string) => resultsThread.json<Dashboard>({ kind: 'dashboard', contestId }) }
      : {}),
  });
  const invitations = new Invitations({
    store: onlineStore,
    contests,
    lockedRound: async (contestId, roundId): Promise<ResultSet | null> => {
      const set = await results.get({ kind: 'round', contestId, roundId });
      return set.lock ? set : null;
    },
  });
  const certificateRenderer = new WorkerRenderer();
  const certificates = new Certificates({
    store,
    certificates: certificateStore,
    contests,
    contestsDir,
    contestantName: async (contestId, id) => (await onlineStore.getContestant(contestId, id))?.fullName ?? null,
    publicUrl,
    renderer: certificateRenderer,
  });
  const badges = new BadgeService({ store: practiceStore, online: onlineStore, live: store, contests, jobs });
  const practice = new PracticeService({
    store: practiceStore,
    onCompleted: (contestId, learner, sessionId) => badges.practiceCompleted(contestId, learner, sessionId),
    contests,
    graceMs: ONLINE_GRACE_MS,
    // Only the lock is read (not the result set): a round is over for practice once its results are locked.
    liveRoundLocked: async (contestId, roundId) =>
      !!(await store.organiser.getLock(scopeKey({ kind: 'round', contestId, roundId }))) ||
      !!(await store.organiser.getLock(scopeKey({ kind: 'contest', contestId }))),
    contestantOf: async (contestId, token) =>
      (await online.authenticate(contestId, token).catch(() => null))?.id ?? null,
  });
  const purgeExpired = async (now?: number) =>
    purgeExpiredPersonalData({ store, claims, contests }, now ?? (await store.now()));
  const expireGames = async (now?: number) =>
    expireEndedGames({ store, results }, now ?? (await store.now()), config.gameKeepMs);
  // Idempotent (each game is marked once purged, archived once), so every node may sweep.
  const retentionTimer = setInterval(() => {
    void expireGames().catch((err) => log.error({ err }, 'expiry sweep failed'));
    void purgeExpired().catch((err) => log.error({ err }, 'retention sweep failed'));
  }, 3600_000);
  retentionTimer.unref();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders());
  app.use('/media', mediaPolicy);
  app.use('/metrics', metricsGate(config.metrics));
  app.use('/api/online', createOnlineRouter({ online, boards, log, limits: config.onlineLimits }));
  app.use('/api/practice', createPracticeRouter({ practice, badges, online, log }));
  app.use('/api/accommodations', createAccommodationsRouter({ onlineStore, contests, store, log }));
  app.use('/api/badges', createGameBadgesRouter({ practice, badges, online, log }));
  app.use('/api/practice-stats', createPracticeStatsRouter({ practice, badges, online, store, log }));
  app.use(
    createCertificateRouter({
      certificates,
      online,
      store,
      audit,
      actor: `organiser:${config.organiserUser}`,
      clientDir: path.join(ROOT, 'client/dist'),
      lookupLimits: { perMinute: config.pinLookupsPerMinute, missesPerMinute: config.pinMissesPerMinute },
      log,
    }),
  );
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
      pinLookups,
      organiserApi: createOrganiserApi({
        store,
        games,
        results,
        ...(resultsThread ? { resultsThread } : {}),
        audit,
        claims,
        invitations,
        online,
        registry,
        log,
        organiserUser: config.organiserUser,
        purgeExpired: () => purgeExpired(),
      }),
    }),
  );
  const trustProxy = proxyaddr.compile(config.trustProxy);
  // Half-open connections are checked every 2 s (Node's default is 30 s) against the headers timeout.
  const httpServer = createServer({ connectionsCheckingInterval: 2_000 }, app);
  limitConnections(httpServer, {
    perAddress: config.maxConnectionsPerAddress,
    exempt: (address) => trustProxy(address, 0),
  });
  io.attach(httpServer);
  attachRealtime(io, {
    games,
    store,
    metrics,
    log,
    audit,
    claims,
    fanOut,
    trustProxy,
    joinLimits: config.joinLimits,
    pinLookups,
  });
  claims.on('issued', (pin, playerId, notice) => fanOut.claim(pin, playerId, notice));
  await jobs.start(badges.after({ ...games.processors, ...online.processors, ...badges.processors }));
  boards.start();
  streamRetention?.start();

  return {
    httpServer,
    express: app,
    io,
    games,
    store,
    online,
    boards,
    onlineStore,
    jobs,
    embeddedDb,
    audit,
    results,
    ...(resultsThread ? { resultsThread } : {}),
    claims,
    certificates,
    practice,
    badges,
    practiceStore,
    purgeExpired,
    expireGames,
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
      streamRetention?.stop();
      await resultsThread?.close();
      fanOut.close();
      await boards.stop();
      await audit.close();
      await jobs.close();
      io.close();
      await new Promise<void>((r) => httpServer.close(() => r()));
      httpServer.closeAllConnections();
      await store.close();
      await onlineStore.close();
      await certificateStore.close();
      await certificateRenderer.close();
      await practiceStore.close();
      await embeddedDb?.close();
      adapterClient?.disconnect();
    },
  };
}
