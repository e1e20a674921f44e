// npm run bench -- --online [--contestants N] [--concurrent C] [--nodes K] [--mode redis|memory] [--kill-after MS]
//   [--ramp R] [--think MIN-MAX] [--workers W] [--note TEXT] [--out FILE] [--no-record] [--quiet]
// npm run bench -- --online --stored [--registered N] [--attempts M] [--mode redis|memory] [...]
// The first drives contestants through attempts over HTTP (bench/online.ts); the second seeds a whole round in the
// store and times the board, the results lock and the exports (bench/online-store.ts). Prints JSON and appends a
// row to bench/RESULTS.md.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machine } from './bench';
import { killOnline, runOnlineLoad, type OnlineLoadResult } from './online';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const FILE = path.join(BENCH, 'RESULTS.md');

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      online: { type: 'boolean' },
      stored: { type: 'boolean' },
      contestants: { type: 'string' },
      concurrent: { type: 'string' },
      nodes: { type: 'string' },
      mode: { type: 'string' },
      'kill-after': { type: 'string' },
      ramp: { type: 'string' },
      think: { type: 'string' },
      workers: { type: 'string' },
      registered: { type: 'string' },
      attempts: { type: 'string' },
      note: { type: 'string' },
      out: { type: 'string' },
      'no-record': { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const mode = (values.mode ?? 'redis') as 'redis' | 'memory';
  if (mode !== 'redis' && mode !== 'memory') throw new Error('--mode redis|memory');
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => {
      killOnline();
      process.exit(130);
    });
  const log = values.quiet
    ? undefined
    : (m: string) => console.error(`[online ${new Date().toISOString().slice(11, 19)}] ${m}`);
  const m = machine();
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const command = `npm run bench -- ${argv.join(' ')}`;
  const cells = (misses: string[], cols: string[]) =>
    `| ${[when, m.commit, `${m.nproc} CPU, ${m.memGB} GB, load ${m.load1}`, `\`${command}\``, ...cols, [misses.length ? `MISSED: ${misses.join('; ')}` : 'targets met', values.note ?? ''].filter(Boolean).join('. ')].join(' | ')} |\n`;
  const record = (header: string, row: string) => {
    if (values['no-record']) return;
    if (!readFileSync(FILE, 'utf8').includes(header)) appendFileSync(FILE, `\n${header}\n`);
    appendFileSync(FILE, row);
  };

  if (values.stored) {
    const { runOnlineStore, STORE_HEADER, storeRow } = await import('./online-store');
    let r: Awaited<ReturnType<typeof runOnlineStore>>;
    try {
      r = await runOnlineStore({
        mode,
        registered: num(values.registered) ?? 200_000,
        attempts: num(values.attempts) ?? 300_000,
        log,
      });
    } catch (err) {
      // A failed run is a result too: record it.
      const msg = String((err as Error).message ?? err)
        .replace(/[|\s]+/g, ' ')
        .slice(0, 200);
      record(STORE_HEADER, cells([`FAILED: ${msg}`], Array(7).fill('–')));
      throw err;
    }
    const json = JSON.stringify({ date: when, ...m, command, ...r }, null, 2);
    console.log(json);
    if (values.out) writeFileSync(values.out, json + '\n');
    const { misses, cols } = storeRow(r);
    record(STORE_HEADER, cells(misses, cols));
    console.error(misses.length ? `targets missed: ${misses.join('; ')}` : 'all targets met');
    return 0;
  }

  const [thinkMin, thinkMax] = (values.think ?? '2000-6000').split('-').map(Number);
  const r: OnlineLoadResult = await runOnlineLoad({
    contestants: num(values.contestants) ?? 5000,
    concurrent: num(values.concurrent),
    nodes: num(values.nodes),
    mode,
    killAfterMs: num(values['kill-after']),
    rampPerSec: num(values.ramp),
    thinkMinMs: thinkMin,
    thinkMaxMs: thinkMax,
    workers: num(values.workers),
    log,
  });
  const json = JSON.stringify({ date: when, ...m, command, ...r }, null, 2);
  console.log(json);
  if (values.out) writeFileSync(values.out, json + '\n');
  const misses: string[] = [];
  if (r.saveMs.p95 > 100) misses.push(`answer save p95 ${r.saveMs.p95} > 100 ms`);
  if (r.submitToResultMs.p95 > 2000) misses.push(`submit→result p95 ${r.submitToResultMs.p95} > 2000 ms`);
  if (r.answers.lost) misses.push(`${r.answers.lost} answers lost`);
  if (r.attempts.scoredTwice) misses.push(`${r.attempts.scoredTwice} attempts scored twice`);
  if (r.attempts.counted < r.attempts.submitted)
    misses.push(`${r.attempts.submitted - r.attempts.counted} attempts not counted`);
  if (r.answers.scoreMismatch) misses.push(`${r.answers.scoreMismatch} results differ from the answers given`);
  if (r.contestants.failed) misses.push(`${r.contestants.failed} contestants failed`);
  if (r.resumed && (r.resumed.answersMissing || r.resumed.deadlineChanged))
    misses.push(`resume: ${r.resumed.answersMissing} missing answers, ${r.resumed.deadlineChanged} deadlines changed`);
  const d = (x: { p50: number; p95: number; max: number }) => `${x.p50} / ${x.p95} / ${x.max}`;
  const cols = [
    `${r.contestants.ok} / ${r.contestants.peakMidAttempt}`,
    d(r.saveMs),
    d(r.submitToResultMs),
    `${r.answers.acked} / ${r.answers.lost} / ${r.attempts.submitted} / ${r.attempts.counted} / ${r.attempts.scoredTwice}`,
    r.resumed ? `${r.resumed.contestants} resumed, ${d(r.resumed.ms)} ms, ${r.resumed.answersMissing} missing` : '–',
    r.nodes
      .map((n) => `${n.cpuSeconds} s, ${n.peakRssMB} MB, lag ${n.lagMaxMs ?? '–'} ms${n.killed ? ' (killed)' : ''}`)
      .join('; '),
    r.redis ? `${r.redis.usedMB} MB, ${r.redis.perContestantKB} KB` : '–',
  ];
  record(LOAD_HEADER, cells(misses, cols));
  console.error(misses.length ? `targets missed: ${misses.join('; ')}` : 'all targets met');
  return 0;
}

const LOAD_HEADER = [
  '### Online rounds: contestants mid-attempt (`npm run bench -- --online`, bench/online.ts)',
  '',
  'Targets: answer save p95 ≤ 100 ms, submit → result p95 ≤ 2 s, 0 answers lost, 0 attempts scored twice.',
  '',
  '| date (UTC) | commit | machine | command | done / peak mid-attempt | save p50 / p95 / max ms | submit→result p50 / p95 / max ms | answers acked / lost; attempts submitted / counted / twice | after the kill | nodes: CPU, peak RSS, max loop lag | Redis used, per contestant | verdict |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
].join('\n');
