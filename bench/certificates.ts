/**
 * Certificates of a whole round (500 by default): drawn in the worker thread as a ZIP would (one PDF each) and as one
 * multi-page PDF, while the main thread's event loop is watched. Prints the times and the longest event-loop delay.
 *   npm run bench:certificates -- [--count 500]
 */
import { CertificateTemplate } from '../protocol/certificates';
import { newCertificateCode } from '../server/src/certificates/certificates';
import type { CertificatePage } from '../server/src/certificates/render';
import { WorkerRenderer } from '../server/src/certificates/renderer';
import { renderCertificates } from '../server/src/certificates/render';

const arg = process.argv.indexOf('--count');
const count = arg > 0 ? Number(process.argv[arg + 1]) : 500;
const { logo: _logo, signatures: _signatures, ...texts } = CertificateTemplate.parse({ place: 'Hải Phòng' });
const template = {
  ...texts,
  organiser: 'Sở Khoa học và Công nghệ thành phố',
  signatures: [{ on: 'TM. Ban Tổ chức', role: 'Trưởng ban', name: 'Nguyễn Văn Minh' }],
};
const pages: CertificatePage[] = Array.from({ length: count }, (_, i) => {
  const code = newCertificateCode();
  return {
    facts: {
      code,
      kind: i < 16 ? 'award' : 'participation',
      fullName: `Nguyễn Thị Ngọc Ánh ${i + 1}`,
      contestTitle: 'Công dân số – sử dụng thông minh, sống an toàn 2026',
      roundTitle: 'Vòng Sơ khảo trực tuyến',
      prize: i < 16 ? 'Giải Khuyến khích' : null,
      result: `Trả lời đúng ${i % 11} câu`,
      organiser: template.organiser,
      lockedAt: Date.parse('2026-09-28T10:00:00+07:00'),
    },
    template,
    verifyUrl: `https://thi.example.vn/xac-minh/${code}`,
  };
});

/**
 * Runs `work` while a 5 ms timer watches the event loop: its time, and the longest and the 99th-percentile gap
 * between ticks beyond 5 ms (ms). A synchronous block shows as one gap as long as itself.
 */
async function watched<T>(work: () => Promise<T>) {
  const gaps: number[] = [];
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    gaps.push(Math.max(0, now - last - 5));
    last = now;
  }, 5);
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  // One more tick, so a block that ended with the work is counted.
  await new Promise((r) => setTimeout(r, 10));
  clearInterval(probe);
  gaps.sort((x, y) => x - y);
  const p99 = gaps[Math.floor(gaps.length * 0.99)] ?? 0;
  return { value, ms, maxDelayMs: gaps.at(-1) ?? 0, p99DelayMs: p99 };
}

// What the event loop shows with nothing to do, on this machine at this load: the floor the others compare with.
const idle = await watched(() => new Promise((r) => setTimeout(r, 3000)));
const renderer = new WorkerRenderer();
const rssBefore = process.memoryUsage().rss;
const warm = await watched(() => renderer.render(pages.slice(0, 1)));
const zip = await watched(async () => {
  let bytes = 0;
  for (const p of pages) bytes += (await renderer.render([p])).length;
  return bytes;
});
const book = await watched(() => renderer.render(pages));
// The worker's heap lives in this process: its RSS growth is what the worker costs a node.
const rssWorker = process.memoryUsage().rss - rssBefore;
await renderer.close();
// For comparison, what the worker spares the event loop: the same PDF drawn on the main thread.
const inline = await watched(() => renderCertificates(pages));

console.log(`idle 3 s: event-loop max delay ${idle.maxDelayMs.toFixed(0)} ms (p99 ${idle.p99DelayMs.toFixed(0)} ms)`);
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
console.log(
  `worker start + first certificate: ${warm.ms.toFixed(0)} ms, event-loop max delay ${warm.maxDelayMs.toFixed(0)} ms; process RSS +${mb(rssWorker)} with the worker`,
);
console.log(
  `${count} certificates, one PDF each (the ZIP): ${(zip.ms / 1000).toFixed(1)} s (${(zip.ms / count).toFixed(0)} ms each), ${mb(zip.value)}, event-loop max delay ${zip.maxDelayMs.toFixed(0)} ms (p99 ${zip.p99DelayMs.toFixed(0)} ms)`,
);
console.log(
  `${count} certificates as one PDF: ${(book.ms / 1000).toFixed(1)} s, ${mb(book.value.length)}, event-loop max delay ${book.maxDelayMs.toFixed(0)} ms (p99 ${book.p99DelayMs.toFixed(0)} ms)`,
);
console.log(
  `the same PDF on the main thread (what the worker avoids): ${(inline.ms / 1000).toFixed(1)} s, event-loop max delay ${inline.maxDelayMs.toFixed(0)} ms`,
);
