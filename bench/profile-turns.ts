// The longest stretches of a V8 .cpuprofile without an idle sample (about one event-loop turn, or turns that
// followed each other without waiting), each with where its time went: what made the longest stall of a run.
// Usage: tsx bench/profile-turns.ts FILE.cpuprofile [STRETCHES] [FRAMES]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, stretchesArg, framesArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-turns.ts FILE.cpuprofile [STRETCHES] [FRAMES]');
  process.exit(2);
}
const prof = JSON.parse(readFileSync(file, 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n: Node) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|protocol)\//, '$1/');
  return `${functionName || '(anonymous)'} ${short}${url ? `:${lineNumber + 1}` : ''}`;
};
const idle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';

// Sample i covers timeDeltas[i + 1] (the time until the next sample).
interface Stretch {
  from: number;
  to: number;
  us: number;
}
const stretches: Stretch[] = [];
let cur: Stretch | null = null;
for (let i = 0; i < prof.samples.length; i++) {
  const us = prof.timeDeltas[i + 1] ?? 0;
  if (idle(prof.samples[i]!)) {
    if (cur) stretches.push(cur);
    cur = null;
    continue;
  }
  cur ??= { from: i, to: i, us: 0 };
  cur.to = i;
  cur.us += us;
}
if (cur) stretches.push(cur);

const top = [...stretches].sort((a, b) => b.us - a.us).slice(0, Number(stretchesArg ?? 5));
const frames = Number(framesArg ?? 15);
for (const s of top) {
  const incl = new Map<string, number>();
  const self = new Map<string, number>();
  for (let i = s.from; i <= s.to; i++) {
    const us = prof.timeDeltas[i + 1] ?? 0;
    const seen = new Set<string>();
    let id: number | undefined = prof.samples[i]!;
    self.set(name(byId.get(id)!), (self.get(name(byId.get(id)!)) ?? 0) + us);
    for (; id !== undefined; id = parent.get(id)) {
      const k = name(byId.get(id)!);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + us);
    }
  }
  const at = (prof.timeDeltas.slice(0, s.from + 1).reduce((a, b) => a + b, 0) / 1e6).toFixed(2);
  console.log(`\n=== ${(s.us / 1e3).toFixed(0)} ms busy at ${at} s into the profile`);
  const show = (title: string, m: Map<string, number>) => {
    console.log(`  ${title}`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, frames))
      console.log(`  ${(us / 1e3).toFixed(1).padStart(7)} ms  ${k}`);
  };
  show('inclusive', incl);
  show('self', self);
}
