// The practice page on a 360 px phone in real Chromium: reached from the contest page, an area chosen, each answer
// checked by the server with the explanation and source right after it, read-aloud that says plainly when the phone
// has no Vietnamese voice (and never blocks answering), and the weak areas at the end.
// Screenshots: e2e/screenshots/practice-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../server/test/start-server';
import { launchChromium } from './browser';
import { repoRoot } from './server';

const shots = path.join(repoRoot, 'e2e', 'screenshots');
const PHONE = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'vi-VN',
};

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

async function expectAccessible(page: Page, label: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer({ contestsDir: path.join(repoRoot, 'server/test/practice-contests') });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the practice page on a phone', () => {
  it('practises one area: feedback after each answer, read-aloud never in the way, weak areas at the end', async () => {
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    const url = server.url.replace(/\/$/, '');
    await page.goto(`${url}/thi/luyen`);
    await page.getByRole('link', { name: 'Luyện tập trước khi thi' }).click();
    await page.waitForURL(/\/luyen-tap\/luyen$/);
    await page.getByRole('heading', { level: 1, name: 'Luyện tập: Luyện tập thử' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'practice-home.png'), fullPage: true });
    await expectAccessible(page, 'practice home');

    await page.getByRole('button', { name: /^An toàn/ }).click();
    for (let n = 1; n <= 3; n++) {
      const heading = page.getByRole('heading', { level: 1, name: new RegExp(`^Câu ${n}/3\\.`) });
      await heading.waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('question-text');
      if (n === 1) {
        // Headless Chromium has no Vietnamese voice: the page says so, and answering goes on.
        await page.getByRole('button', { name: 'Đọc to câu hỏi' }).click();
        await page.getByText('Máy này chưa có giọng đọc tiếng Việt').waitFor();
      }
      const answer = page.getByRole('button', { name: 'Trả lời' });
      expect(await answer.isDisabled()).toBe(true);
      await page.getByRole('group').getByRole('button').first().click();
      await answer.click();
      const feedback = page.getByRole('heading', { level: 2, name: /Chính xác!|Chưa đúng\./ });
      await feedback.waitFor();
      await page.getByRole('heading', { name: 'Giải thích' }).waitFor();
      await page.getByText(/GIAI-THICH-(P1|O1|O2)/).waitFor();
      if (await page.getByText('GIAI-THICH-P1').count())
        expect(await page.getByRole('link', { name: 'Nguồn P1' }).getAttribute('href')).toBe(
          'https://example.gov.vn/p1',
        );
      if (n === 1) {
        await page.screenshot({ path: path.join(shots, 'practice-feedback.png'), fullPage: true });
        await expectAccessible(page, 'practice feedback');
      }
      await page.getByRole('button', { name: n < 3 ? 'Câu tiếp theo' : 'Xem kết quả luyện tập' }).click();
    }
    await page.getByRole('heading', { level: 1, name: 'Kết quả luyện tập' }).waitFor();
    await page.getByText(/Bạn trả lời đúng \d\/3 câu\./).waitFor();
    await page.getByText(/^An toàn: đúng \d\/3$/).waitFor();
    // Badges of this phone: the practice badge needs two completed sessions.
    await page.getByRole('heading', { name: 'Huy hiệu của bạn' }).waitFor();
    await page.getByText('Bạn đã hoàn thành 1 lượt luyện tập.').waitFor();
    await page.screenshot({ path: path.join(shots, 'practice-summary.png'), fullPage: true });
    await expectAccessible(page, 'practice summary');

    await page.getByRole('button', { name: 'Luyện tập lượt mới' }).click();
    await page.getByRole('button', { name: 'Tất cả lĩnh vực' }).click();
    for (let n = 1; n <= 3; n++) {
      await page.getByRole('heading', { level: 1, name: new RegExp(`^Câu ${n}/3\\.`) }).waitFor();
      if (await page.getByRole('textbox').count()) await page.getByRole('textbox').fill('10');
      else await page.getByRole('group').getByRole('button').first().click();
      await page.getByRole('button', { name: 'Trả lời' }).click();
      await page.getByRole('button', { name: n < 3 ? 'Câu tiếp theo' : 'Xem kết quả luyện tập' }).click();
    }
    await page.getByText('Bạn đã hoàn thành 2 lượt luyện tập.').waitFor();
    const earned = page.getByRole('listitem').filter({ hasText: 'Học viên chăm chỉ' });
    expect(await earned.getAttribute('class')).toContain('earned');
    await page.screenshot({ path: path.join(shots, 'practice-badges.png'), fullPage: true });
    await ctx.close();
  });

  it('fits a laptop and a projector-sized window', async () => {
    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      const ctx = await browser.newContext({ viewport, locale: 'vi-VN' });
      const page = await ctx.newPage();
      await page.goto(`${server.url.replace(/\/$/, '')}/luyen-tap/luyen`);
      await page.getByRole('button', { name: 'Tất cả lĩnh vực' }).click();
      await page.getByRole('heading', { level: 1, name: /^Câu 1\/3\./ }).waitFor();
      await page.screenshot({ path: path.join(shots, `practice-question-${viewport.width}.png`) });
      await ctx.close();
    }
  });
});
