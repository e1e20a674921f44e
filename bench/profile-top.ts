// Summarises a V8 .cpuprofile (node --cpu-prof, or `npm run bench -- --cpu-prof DIR`): self time by
// function and by package, so the top costs of a run can be named.  Usage: tsx bench/profile-top.ts FILE [N]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-top.ts FILE.cpuprofile [N]');
  process.exit(2);
}
const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|protocol)\//, '$1/');
  fn.set(
    `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`,
    (fn.get(`${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`) ?? 0) + us,
  );
  const p = url.includes('node_modules/')
    ? url
        .replace(/^.*node_modules\//, '')
        .split('/')
        .slice(0, url.includes('node_modules/@') ? 2 : 1)
        .join('/')
    : url.startsWith('node:')
      ? 'node:' + url.slice(5).split('/')[0]
      : url
        ? 'app'
        : functionName.startsWith('(')
          ? functionName
          : '(native)';
  pkg.set(p, (pkg.get(p) ?? 0) + us);
}
const n = Number(topArg ?? 25);
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (total ${(total / 1e6).toFixed(1)} s sampled)`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${k}`);
};
show('self time by package', pkg);
show('self time by function', fn);
