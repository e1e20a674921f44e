/**
 * The contestant's first-load budget, on the built client (client/dist):
 *  1. static: gzip size of what /join/<PIN> needs (HTML, entry JS and its static imports, CSS, the
 *     Vietnamese and Latin font files) must be ≤ 150 KB;
 *  2. in Chromium over an emulated "slow 3G" link (2 s RTT, 400 kbit/s down): bytes on the wire and
 *     the time until the PIN form can be used.
 * Usage: npm run budget:client   (after npm run build:client). Exits 1 when a budget is exceeded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM, launchChromium } from './browser';
import { repoRoot } from './server';

const dist = path.join(repoRoot, 'client', 'dist');
const BUDGET_BYTES = 150 * 1024;
const SLOW_3G = { latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 };
const BUDGET_SLOW_3G_MS = 20_000;

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
  assets?: string[];
  isEntry?: boolean;
}

const results: { ok: boolean; line: string }[] = [];
const check = (ok: boolean, line: string) => {
  results.push({ ok, line });
  console.log(`${ok ? '✓' : '✗'} ${line}`);
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function gz(file: string): number {
  const body = readFileSync(path.join(dist, file));
  // woff2 is already compressed: servers send it as is.
  return file.endsWith('.woff2') ? body.length : gzipSync(body, { level: 9 }).length;
}

function staticFirstLoad(): { files: string[]; bytes: number } {
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const files = new Set<string>(['index.html']);
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imp of chunk.imports ?? []) visit(imp);
  };
  visit('index.html');
  // The fonts a Vietnamese page downloads: the Vietnamese and Latin subsets of the weights in use.
  for (const css of [...files].filter((f) => f.endsWith('.css'))) {
    const text = readFileSync(path.join(dist, css), 'utf8');
    for (const m of text.matchAll(/url\(["']?\/?([^"')]+\.woff2)["']?\)/g))
      if (/(vietnamese|latin)-(400|700)-normal/.test(m[1]!) && !/latin-ext/.test(m[1]!)) files.add(m[1]!);
  }
  const list = [...files];
  return { files: list, bytes: list.reduce((sum, f) => sum + gz(f), 0) };
}

/** A static server with gzip like the real one: SPA fallback to index.html. */
function serveDist(): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.woff2': 'font/woff2',
    '.svg': 'image/svg+xml',
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let file = path.join(dist, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(dist) || !existsSync(file) || !path.extname(file)) file = path.join(dist, 'index.html');
    const ext = path.extname(file);
    let body = readFileSync(file);
    const headers: Record<string, string> = { 'content-type': types[ext] ?? 'application/octet-stream' };
    if (ext !== '.woff2' && /gzip/.test(String(req.headers['accept-encoding']))) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(200, headers).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({
        url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

async function slow3g(): Promise<void> {
  const site = await serveDist();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 360, height: 640 }, isMobile: true, locale: 'vi-VN' });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_3G });
    let bytes = 0;
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => {
      if (!urls.get(e.requestId)?.includes('/socket.io/')) bytes += e.encodedDataLength;
    });
    const started = Date.now();
    await page.goto(`${site.url}/play`, { waitUntil: 'commit' });
    await page.getByRole('button', { name: 'Tiếp tục' }).waitFor({ timeout: 60_000 });
    const usable = Date.now() - started;
    await page.waitForLoadState('load');
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(500);
    check(bytes <= BUDGET_BYTES, `slow 3G: ${kb(bytes)} on the wire (budget ${kb(BUDGET_BYTES)})`);
    check(
      usable <= BUDGET_SLOW_3G_MS,
      `slow 3G: PIN form usable after ${(usable / 1000).toFixed(1)} s (2 s RTT, 400 kbit/s; budget ${BUDGET_SLOW_3G_MS / 1000} s)`,
    );
  } finally {
    await browser.close();
    await site.close();
  }
}

async function main() {
  if (!existsSync(path.join(dist, '.vite', 'manifest.json'))) {
    console.error('client/dist is missing: run npm run build:client first');
    process.exit(1);
  }
  const first = staticFirstLoad();
  for (const f of first.files) console.log(`  ${kb(gz(f)).padStart(9)}  ${f}`);
  check(
    first.bytes <= BUDGET_BYTES,
    `first load (HTML+JS+CSS+fonts, gzip): ${kb(first.bytes)} (budget ${kb(BUDGET_BYTES)})`,
  );
  if (existsSync(CHROMIUM)) await slow3g();
  else console.log(`- slow 3G measurement skipped: no Chromium at ${CHROMIUM}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`budget: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

void main();
