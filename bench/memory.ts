// npm run bench:memory -- [--players N] [--mode redis|memory] [--redis-url URL]
// What one contestant costs a server node in memory once the garbage is collected: starts one node with the
// inspector on a loopback port, forces a full GC through it (HeapProfiler.collectGarbage) and reads
// process.memoryUsage() with nobody connected, then with N contestants connected and joined to one game.
// Peak RSS in `npm run bench` depends on when V8 chooses to collect; this is the retained cost behind it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { deleteKeysWithPrefix } from '../server/src/store/redis';
import { freePort } from '../server/test/free-port';
import { RawSocket } from './raw-socket';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { players: { type: 'string' }, mode: { type: 'string' }, 'redis-url': { type: 'string' } },
});
const players = Number(values.players ?? 5000);
const mode = values.mode ?? 'redis';
const redisUrl = values['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
if (!Number.isInteger(players) || players < 1 || players > 20_000 || !['redis', 'memory'].includes(mode)) {
  console.error('usage: npm run bench:memory -- [--players 1..20000] [--mode redis|memory] [--redis-url URL]');
  process.exit(2);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const prefix = `cdsmem:${randomBytes(4).toString('hex')}:`;
const password = randomBytes(12).toString('hex');
let node: ChildProcess | undefined;
const sockets: RawSocket[] = [];

/** One Chrome DevTools Protocol session on the node's inspector. */
async function inspector(port: number) {
  let list: { webSocketDebuggerUrl: string }[] = [];
  for (let i = 0; i < 100 && !list.length; i++) {
    list = await fetch(`http://127.0.0.1:${port}/json/list`).then(
      (r) => r.json() as Promise<typeof list>,
      () => [],
    );
    if (!list.length) await sleep(100);
  }
  if (!list.length) throw new Error('the node did not open its inspector');
  const ws = new WebSocket(list[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const my = ++id;
      const onMessage = (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: unknown };
        if (msg.id !== my) return;
        ws.off('message', onMessage);
        if (msg.error) reject(new Error(JSON.stringify(msg.error)));
        else resolve(msg.result);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id: my, method, params }));
    });
  return {
    /** Full GC twice (weak references and finalisers settle after the first), then the process's own figures. */
    async memory() {
      await call('HeapProfiler.collectGarbage');
      await sleep(200);
      await call('HeapProfiler.collectGarbage');
      const r = (await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      })) as { result: { value: string } };
      return JSON.parse(r.result.value) as NodeJS.MemoryUsage;
    },
    close: () => ws.close(),
  };
}

async function main() {
  const port = await freePort();
  const inspectPort = await freePort();
  // DATA_DIR=:memory: unless set: the heap is measured, and nothing is left in the project's data folder.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ORGANISER_PASSWORD: password,
    LOG_LEVEL: 'warn',
    CONTESTS_DIR: 'bench/contests',
    NODE_ENV: 'production',
    REDIS_PREFIX: prefix,
    DATA_DIR: process.env.DATA_DIR ?? ':memory:',
    JOIN_BURST_PER_ADDRESS: '100000',
    JOIN_RATE_PER_ADDRESS: '10000',
  };
  delete env.REDIS_URL;
  if (mode === 'redis') env.REDIS_URL = redisUrl;
  node = spawn(process.execPath, ['--import', 'tsx', `--inspect=127.0.0.1:${inspectPort}`, 'server/src/index.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  node.stderr!.on('data', (d: Buffer) => {
    const s = d.toString();
    if (!s.includes('Debugger') && !s.includes('inspector')) process.stderr.write(`[node] ${s}`);
  });
  const url = `http://127.0.0.1:${port}`;
  for (
    let i = 0;
    !(await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  ) {
    if (i > 600 || node.exitCode !== null) throw new Error('the node did not become ready');
    await sleep(100);
  }
  const cdp = await inspector(inspectPort);
  const login = (await (
    await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    })
  ).json()) as { token: string };
  const game = (await (
    await fetch(`${url}/api/games`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contestId: 'bench', roundId: 'n5' }),
    })
  ).json()) as { pin: string };
  const before = await cdp.memory();

  // Contestants connect and join 200 at a time (as in a hall: a few hundred a second).
  let failed = 0;
  for (let i = 0; i < players; i += 200) {
    await Promise.all(
      Array.from(
        { length: Math.min(200, players - i) },
        (_, j) =>
          new Promise<void>((resolve) => {
            const s = new RawSocket(url, '/play');
            sockets.push(s);
            s.once('connect_error', () => {
              failed++;
              resolve();
            });
            s.once('connect', () =>
              s
                .timeout(20_000)
                .emit(
                  'player:join',
                  { pin: game.pin, nickname: `Người chơi ${i + j}`, group: 'nguoi-dan', consent: true },
                  (err, ack?: { ok: boolean }) => {
                    if (err || !ack?.ok) failed++;
                    resolve();
                  },
                ),
            );
          }),
      ),
    );
  }
  await sleep(2000);
  const after = await cdp.memory();
  const joined = players - failed;
  const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  const kb = (b: number) => Math.round((b / 1024 / joined) * 10) / 10;
  const result = {
    mode,
    players,
    joined,
    idle: { rssMB: mb(before.rss), heapUsedMB: mb(before.heapUsed), externalMB: mb(before.external) },
    joinedAll: { rssMB: mb(after.rss), heapUsedMB: mb(after.heapUsed), externalMB: mb(after.external) },
    perContestantKB: {
      rss: kb(after.rss - before.rss),
      heapUsed: kb(after.heapUsed - before.heapUsed),
      external: kb(after.external - before.external),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  cdp.close();
}

async function cleanup() {
  for (const s of sockets) s.disconnect();
  node?.kill('SIGKILL');
  if (mode === 'redis') {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await deleteKeysWithPrefix(redis, prefix);
    } finally {
      redis.disconnect();
    }
  }
}

const limit = setTimeout(() => {
  console.error('memory probe: gave up after 5 minutes');
  void cleanup().finally(() => process.exit(1));
}, 300_000);
main()
  .then(cleanup, async (err) => {
    console.error(err);
    await cleanup();
    process.exitCode = 1;
  })
  .finally(() => {
    clearTimeout(limit);
    process.exit();
  });
