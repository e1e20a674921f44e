// A screen-reader and keyboard-only walk through a live game on a phone in real Chromium: join, answer, the result
// and the final screen, reached with Tab, Space and Enter only; every control named (axe), live regions announcing
// the countdown milestone and the result; the display settings (high contrast, reduced motion) set by keyboard and
// remembered after a reload. Screenshots: e2e/screenshots/a11y-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGame, joinPlayer, login, TestClient } from '../server/test/clients';
import { startServer } from '../server/test/start-server';
import { launchChromium } from './browser';
import { repoRoot } from './server';

const shots = path.join(repoRoot, 'e2e', 'screenshots');
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

/** Presses Tab until `target` has the focus: it must be reachable by keyboard alone. */
async function tabTo(page: Page, target: Locator, what: string) {
  await target.waitFor();
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}`);
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

describe('keyboard and screen reader', () => {
  it('joins, answers, hears the countdown and the result, and reaches the final screen with the keyboard only', async () => {
    const url = server.url.replace(/\/$/, '');
    const token = await login(url, server.organiserPassword);
    const game = await createGame(url, token, 'luyen', 'khoi-dong');
    const host = await new TestClient(url, '/host').connected();
    await host.ok('host:attach', { pin: game.pin, hostToken: game.hostToken });
    // A second player who never answers keeps the question open until its deadline.
    const other = await joinPlayer(url, game.pin, 'Người thứ hai');

    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    await page.goto(`${url}/join/${game.pin}`);

    // ---- join
    const nickname = page.getByRole('textbox', { name: 'Biệt danh' });
    await tabTo(page, nickname, 'the nickname field');
    await page.keyboard.type('Bà Tư');
    const firstGroup = page.getByRole('group', { name: 'Bạn thuộc nhóm đối tượng nào?' }).getByRole('radio').first();
    await tabTo(page, firstGroup, 'the target groups');
    await page.keyboard.press('Space');
    expect(await firstGroup.isChecked()).toBe(true);
    const consent = page.getByRole('checkbox');
    await tabTo(page, consent, 'the consent box');
    await page.keyboard.press('Space');
    expect(await consent.isChecked()).toBe(true);
    await expectAccessible(page, 'join form');
    await tabTo(page, page.getByRole('button', { name: 'Vào phòng' }), 'the join button');
    await page.keyboard.press('Enter');
    await page.getByText(/Bà Tư/).first().waitFor();
    await expectAccessible(page, 'lobby');

    // ---- answer
    await host.ok('host:command', { type: 'start' });
    const question = page.getByRole('heading', { level: 1, name: 'Câu khởi động' });
    await question.waitFor();
    await page.getByRole('timer').waitFor();
    await expectAccessible(page, 'question');
    await page.screenshot({ path: path.join(shots, 'a11y-question.png'), fullPage: true });
    // The read-aloud button is named and reachable, and answering does not wait for it.
    await tabTo(page, page.getByRole('button', { name: 'Đọc to câu hỏi' }), 'read-aloud');
    const answers = page.getByRole('button', { name: /^A\b|A\./ });
    await tabTo(page, answers.first(), 'the first answer');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Đã ghi nhận câu trả lời' }).waitFor();
    // The countdown's milestone is announced in a live region (20 s question: "10 giây còn lại").
    await page.locator('[aria-live="polite"]').filter({ hasText: '10 giây còn lại' }).waitFor({ timeout: 20_000 });

    // ---- result
    await host.ok('host:command', { type: 'close' });
    const verdict = page.getByRole('status').filter({ has: page.getByRole('heading', { level: 1 }) });
    await verdict.waitFor();
    expect(await verdict.getByRole('heading', { level: 1 }).textContent()).toMatch(/Chính xác|Chưa đúng|Sai/);
    await expectAccessible(page, 'result');
    await page.screenshot({ path: path.join(shots, 'a11y-result.png'), fullPage: true });

    // ---- final
    await host.ok('host:command', { type: 'next' });
    await host.ok('host:command', { type: 'next' }).catch(() => undefined);
    await page.getByRole('heading', { level: 1, name: 'Kết quả của bạn' }).waitFor({ timeout: 15_000 });
    await page.getByRole('status').filter({ hasText: 'Tổng điểm' }).first().waitFor();
    // Badges, awarded by a job after the last question, are announced in a live region.
    await page.getByRole('heading', { name: 'Huy hiệu bạn nhận được' }).waitFor({ timeout: 15_000 });
    await page.getByText('Không bỏ cuộc', { exact: false }).first().waitFor();
    await expectAccessible(page, 'final');
    await page.screenshot({ path: path.join(shots, 'a11y-final.png'), fullPage: true });

    // ---- display settings by keyboard, remembered after a reload
    await tabTo(page, page.getByRole('button', { name: 'Hiển thị' }), 'the display settings');
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('button', { name: 'Tương phản cao' }), 'high contrast');
    await page.keyboard.press('Space');
    await tabTo(page, page.getByRole('button', { name: 'Giảm chuyển động' }), 'reduced motion');
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => document.documentElement.className)).toMatch(
      /high-contrast.*reduce-motion|reduce-motion.*high-contrast/,
    );
    await expectAccessible(page, 'final, high contrast');
    await page.screenshot({ path: path.join(shots, 'a11y-final-high-contrast.png'), fullPage: true });
    await page.reload();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains('high-contrast'))).toBe(true);

    host.close();
    other.client.close();
    await ctx.close();
  });
});
