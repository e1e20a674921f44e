/**
 * Certificates of a whole round (500 by default): drawn in the worker thread as a ZIP would (one PDF each) and as one
 * multi-page PDF, while the main thread's event loop is watched. Prints the times and the longest event-loop delay.
 *   npm run bench:certificates -- [--count 500]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CertificateTemplate } from '../protocol/certificates';
import { newCertificateCode } from '../server/src/certificates/certificates';
import type { CertificatePage } from '../server/src/certificates/render';
import { WorkerRenderer } from '../server/src/certificates/renderer';

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

/** Runs `work` while watching the event loop: its time, and the longest stall (ms). */
async function watched<T>(work: () => Promise<T>) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  h.disable();
  return { value, ms, maxDelayMs: h.max / 1e6 };
}

const renderer = new WorkerRenderer();
const warm = await watched(() => renderer.render(pages.slice(0, 1)));
const zip = await watched(async () => {
  let bytes = 0;
  for (const p of pages) bytes += (await renderer.render([p])).length;
  return bytes;
});
const book = await watched(() => renderer.render(pages));
await renderer.close();

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
console.log(
  `worker start + first certificate: ${warm.ms.toFixed(0)} ms, event-loop max delay ${warm.maxDelayMs.toFixed(0)} ms`,
);
console.log(
  `${count} certificates, one PDF each (the ZIP): ${(zip.ms / 1000).toFixed(1)} s (${(zip.ms / count).toFixed(0)} ms each), ${mb(zip.value)}, event-loop max delay ${zip.maxDelayMs.toFixed(0)} ms`,
);
console.log(
  `${count} certificates as one PDF: ${(book.ms / 1000).toFixed(1)} s, ${mb(book.value.length)}, event-loop max delay ${book.maxDelayMs.toFixed(0)} ms`,
);
