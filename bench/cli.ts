// npm run bench -- --players N [--nodes K] [--mode memory|redis] [--questions Q] [--churn P] [--kill-node-at qN]
//   [--kill-target host|other] [--skip-rate S] [--client socket.io|raw] [--pin-nodes CPUS --pin-others CPUS] [--workers W] [--join-rate R] [--job-node] [--redis-url URL] [--cpu-prof DIR] [--out FILE] [--note TEXT] [--no-record]
// Prints the result as JSON and appends a row to bench/RESULTS.md.
// Online rounds: npm run bench -- --online … (bench/online-cli.ts).
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killEverything, machine, runBench, type BenchOptions, type BenchResult } from './bench';

const BENCH = path.dirname(fileURLToPath(import.meta.url));

// Online rounds have a bench of their own: npm run bench -- --online … (bench/online-cli.ts).
if (process.argv.includes('--online')) process.exit(await (await import('./online-cli')).main(process.argv.slice(2)));

const { values } = parseArgs({
  options: {
    players: { type: 'string' },
    nodes: { type: 'string' },
    mode: { type: 'string' },
    questions: { type: 'string' },
    churn: { type: 'string' },
    'kill-node-at': { type: 'string' },
    'kill-target': { type: 'string' },
    'skip-rate': { type: 'string' },
    workers: { type: 'string' },
    client: { type: 'string' },
    'pin-nodes': { type: 'string' },
    'pin-others': { type: 'string' },
    'join-rate': { type: 'string' },
    'job-node': { type: 'boolean' },
    'redis-url': { type: 'string' },
    'cpu-prof': { type: 'string' },
    out: { type: 'string' },
    note: { type: 'string' },
    'no-record': { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
});

const num = (v: string | undefined, name: string) => {
  if (v === undefined) return undefined;
  const n = Number(v.replace(/^q/, ''));
  if (!Number.isFinite(n)) {
    console.error(`--${name}: not a number: ${v}`);
    process.exit(2);
  }
  return n;
};
const players = num(values.players, 'players');
if (!players) {
  console.error(
    'usage: npm run bench -- --players N [--nodes K] [--mode memory|redis] [--questions Q] [--churn P] [--kill-node-at qN]',
  );
  process.exit(2);
}
const mode = (values.mode ?? 'redis') as BenchOptions['mode'];
if (mode !== 'redis' && mode !== 'memory') {
  console.error('--mode memory|redis');
  process.exit(2);
}
if (values['cpu-prof']) mkdirSync(values['cpu-prof'], { recursive: true });

for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    console.error(`${sig}: stopping every process the bench started`);
    killEverything();
    process.exit(130);
  });

const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`;
const started = new Date();
const m = machine();
const file = path.join(BENCH, 'RESULTS.md');
if (!existsSync(file)) writeFileSync(file, '# Benchmark results\n\n');
const machineCell = `${m.nproc} CPU, ${m.memGB} GB, load ${m.load1}`;
let result: BenchResult;
try {
  result = await runBench({
    players,
    nodes: num(values.nodes, 'nodes'),
    mode,
    questions: num(values.questions, 'questions'),
    churn: num(values.churn, 'churn'),
    killNodeAt: num(values['kill-node-at'], 'kill-node-at'),
    killTarget: values['kill-target'] === 'other' ? 'other' : 'host',
    skipRate: num(values['skip-rate'], 'skip-rate'),
    workers: num(values.workers, 'workers'),
    // The raw client (bench/raw-socket.ts) costs the generator less per phone: the default since issue 17.
    client: values.client === 'socket.io' ? 'socket.io' : 'raw',
    pinNodes: values['pin-nodes'],
    pinOthers: values['pin-others'],
    joinRate: num(values['join-rate'], 'join-rate'),
    jobNode: values['job-node'] ?? false,
    redisUrl: values['redis-url'],
    cpuProfDir: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined,
    log: values.quiet ? undefined : (m) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`),
  });
} catch (err) {
  console.error(`bench failed: ${(err as Error).stack ?? err}`);
  killEverything();
  // A failed run is a result too: record it.
  const msg = String((err as Error).message ?? err)
    .replace(/\|/g, '/')
    .replace(/\s+/g, ' ')
    .slice(0, 200);
  if (!values['no-record'])
    appendFileSync(
      file,
      `| ${[started.toISOString().slice(0, 16).replace('T', ' '), m.commit, machineCell, `\`${command}\``, ...Array(8).fill('–'), `FAILED: ${msg}. ${values.note ?? ''}`].join(' | ')} |\n`,
    );
  process.exit(1);
}

const out = { date: started.toISOString(), ...m, command, ...result };
const json = JSON.stringify(out, null, 2);
console.log(json);
if (values.out) writeFileSync(values.out, json + '\n');

// ------------------------------------------------------------------ targets and the RESULTS.md row
const t = result;
const misses: string[] = [];
if (t.fanoutMs.p95 > 250) misses.push(`fan-out p95 ${t.fanoutMs.p95} > 250`);
if (t.ackMs.p95 > 150) misses.push(`ack p95 ${t.ackMs.p95} > 150`);
if (t.closeToResultMs.p95 > 1500) misses.push(`close→result p95 ${t.closeToResultMs.p95} > 1500`);
if (t.answers.lost || t.answers.doubleCounted) misses.push('answers lost or double-counted');
if (t.nodes.some((n) => n.peakRssMB > 600)) misses.push('RSS > 600 MB');
if (t.closeToResultMs.missing > 0) misses.push(`${t.closeToResultMs.missing} personal results missing`);
if (t.joins.ok < t.options.players) misses.push(`${t.options.players - t.joins.ok} joins failed`);
if (t.finalLeaderboard.distinct > 1) misses.push(`${t.finalLeaderboard.distinct} different final leaderboards`);
// In-server event-loop stall (issue 17): 100 ms up to 5,000 contestants, 250 ms above.
const stallTarget = t.options.players <= 5000 ? 100 : 250;
const stall = Math.max(...t.nodes.filter((n) => !n.killed).map((n) => n.loopMaxMs));
if (stall > stallTarget) misses.push(`event-loop stall ${stall} > ${stallTarget} ms`);
if (t.kill && (t.reconnect.max > 5000 || t.reconnect.failed))
  misses.push(`reconnect after kill max ${t.reconnect.max} ms, ${t.reconnect.failed} failed`);

const d = (x: { p50: number; p95: number; p99?: number; max: number }) =>
  [x.p50, x.p95, ...(x.p99 !== undefined ? [x.p99] : []), x.max].join(' / ');
const row = [
  started.toISOString().slice(0, 16).replace('T', ' '),
  m.commit,
  machineCell,
  `\`${command}\``,
  String(t.joins.perSecond),
  d(t.fanoutMs),
  d({ p50: t.ackMs.p50, p95: t.ackMs.p95, max: t.ackMs.p99 }),
  d({ p50: t.closeToResultMs.p50, p95: t.closeToResultMs.p95, max: t.closeToResultMs.max }),
  `${t.answers.sent} / ${t.answers.accepted} / ${t.answers.lost} / ${t.answers.doubleCounted}`,
  `${t.perContestantPerQuestion.messages} / ${t.perContestantPerQuestion.bytes}`,
  t.nodes
    .map(
      (n) =>
        `${n.cpuSeconds} s, ${n.peakRssMB} MB, stall ${n.loopMaxMs} ms (CPU ${n.busyMaxMs})${n.killed ? ' (killed)' : ''}`,
    )
    .join('; '),
  t.redis ? `${t.redis.commandsPerAnswer} (Redis CPU ${t.redis.cpuSecondsInGame} s in game)` : '–',
  [
    misses.length ? `MISSED: ${misses.join('; ')}` : 'targets met',
    `limit: ${t.saturated}`,
    t.kill ? `kill q${t.kill.atQuestion}: reconnect max ${t.kill.reconnectMaxMs} ms` : '',
    values.note ?? '',
  ]
    .filter(Boolean)
    .join('. '),
].join(' | ');
if (!values['no-record']) appendFileSync(file, `| ${row} |\n`);
console.error(misses.length ? `targets missed: ${misses.join('; ')}` : 'all targets met');
process.exit(0);
