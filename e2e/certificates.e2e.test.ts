// Certificates in real Chromium: an online contestant whose round was locked downloads their certificate on a 360 px
// phone, opens the verification page from the code printed on it and sees "hợp lệ" with the same facts; a forged code
// shows "không tìm thấy". Screenshots: e2e/screenshots/certificate-*.png.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptView, Registered } from '../protocol/online';
import { login } from '../server/test/clients';
import { pdfText } from '../server/test/pdf-check';
import { startServer } from '../server/test/start-server';
import { launchChromium } from './browser';
import { repoRoot } from './server';

const shots = path.join(repoRoot, 'e2e', 'screenshots');
const CONTEST = 'thi-cert';
const NAME = 'Nguyễn Thị Ngọc Ánh';
const PHONE = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'vi-VN',
};

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let token = '';

async function expectAccessible(page: Page, label: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer({ port: 0, host: '127.0.0.1', contestsDir: 'server/test/certificate-contests' });
  browser = await launchChromium();
  // The contestant registers and takes the round (the online round's own e2e covers doing that by hand).
  const call = async <T>(method: string, p: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/online/${CONTEST}${p}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return ((await res.json()) as { data: T }).data;
  };
  const reg = await call<Registered>('POST', '/register', {
    fullName: NAME,
    phone: '0912 345 678',
    group: 'nguoi-dan',
    unit: 'don-vi-a',
    consent: true,
  });
  token = reg.token;
  const attempt = await call<AttemptView>('POST', '/rounds/vong-loai/attempts');
  const q1 = attempt.questions.find((q) => q.id === 'q1')!;
  await call('PUT', `/attempts/${attempt.id}/answers`, { questionId: 'q1', choice: q1.options!.indexOf('B') });
  await call('POST', `/attempts/${attempt.id}/submit`);
  await call('GET', `/attempts/${attempt.id}/result`);
  // The round closes and the organiser locks its results.
  server.app.onlineStore.shiftClock(Date.parse('2099-12-31T23:59+07:00') - Date.now() + 11 * 60_000);
  const organiser = await login(server.url, server.organiserPassword);
  const lock = await fetch(`${server.url}/api/results/round/${CONTEST}/vong-loai/lock`, {
    method: 'POST',
    headers: { authorization: `Bearer ${organiser}`, 'content-type': 'application/json' },
    body: JSON.stringify({ acceptTies: true }),
  });
  expect(lock.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('certificates in the browser', () => {
  it('downloads the certificate on a phone, then verifies its code; a forged code is not found', async () => {
    const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true });
    await ctx.addInitScript(
      ([key, value]) => localStorage.setItem(key!, value!),
      [`cds:online:${CONTEST}`, JSON.stringify({ token })],
    );
    const page = await ctx.newPage();
    await page.goto(`${server.url}/thi/${CONTEST}`);
    await page
      .getByRole('heading', { name: `Xin chào ${NAME}` })
      .or(page.getByText(NAME).first())
      .waitFor();
    const button = page.getByRole('button', { name: 'Tải giấy chứng nhận (PDF)' });
    await button.waitFor();
    await page.screenshot({ path: path.join(shots, 'certificate-download-phone.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('giay-chung-nhan.pdf');
    const text = pdfText(readFileSync((await download.path())!)).replace(/\s+/g, ' ');
    expect(text).toContain(NAME);
    expect(text).toContain('GIẢI NHẤT');
    await page.getByText('Đã tải giấy chứng nhận').waitFor();
    const code = text.match(/\b([A-HJ-NP-Z2-9]{4}(?:-[A-HJ-NP-Z2-9]{4}){3})\b/)![1]!;

    // The QR code's address: the verdict, then the same facts as the paper.
    await page.goto(`${server.url}/xac-minh/${code.replace(/-/g, '')}`);
    await page.getByRole('heading', { name: /Giấy chứng nhận hợp lệ/ }).waitFor();
    expect(await page.getByTestId('verify-name').textContent()).toBe(NAME);
    expect(await page.getByTestId('verify-prize').textContent()).toBe('Giải Nhất');
    expect(await page.getByTestId('verify-result').textContent()).toBe('Trả lời đúng 1 câu');
    await page.getByText(code).waitFor();
    await page.screenshot({ path: path.join(shots, 'certificate-valid-phone.png'), fullPage: true });
    await expectAccessible(page, 'verification page');

    // A forged code, typed into the box on the page.
    await page.getByLabel('Nhập mã trên giấy chứng nhận').fill('ABCD-EFGH-JKLM-NPQR');
    await page.getByRole('button', { name: 'Kiểm tra' }).click();
    await page.getByRole('heading', { name: /Không tìm thấy giấy chứng nhận/ }).waitFor();
    await page.getByText('Không có giấy chứng nhận nào mang mã ABCD-EFGH-JKLM-NPQR').waitFor();
    expect(page.url()).toContain('/xac-minh/ABCD-EFGH-JKLM-NPQR');
    await page.screenshot({ path: path.join(shots, 'certificate-not-found-phone.png'), fullPage: true });
    await ctx.close();

    // On a laptop, straight from a forged link.
    const laptop = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    const lp = await laptop.newPage();
    await lp.goto(`${server.url}/xac-minh/${code}`);
    await lp.getByRole('heading', { name: /Giấy chứng nhận hợp lệ/ }).waitFor();
    await lp.screenshot({ path: path.join(shots, 'certificate-valid-laptop.png'), fullPage: true });
    await lp.goto(`${server.url}/xac-minh/ZZZZ-ZZZZ-ZZZZ-ZZZZ`);
    await lp.getByRole('heading', { name: /Không tìm thấy giấy chứng nhận/ }).waitFor();
    await laptop.close();
  });
});
