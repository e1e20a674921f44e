// A final whose host tab dies mid-question: the organiser takes the game over from another laptop, and later a
// second organiser takes it over again while the first console is still open (it must say it lost control).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { ORGANISER_PASSWORD, repoRoot, startTestServer, type RunningServer } from './server';

const shots = path.join(repoRoot, 'e2e', 'screenshots');
const PHONE = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'vi-VN',
};
const LAPTOP = { viewport: { width: 1366, height: 768 }, locale: 'vi-VN' };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Every URL any page requested: a host token must never be in one. */
const requested: string[] = [];

async function context(options: Parameters<Browser['newContext']>[0]): Promise<Page> {
  const ctx = await browser.newContext(options);
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  page.on('request', (r) => requested.push(r.url()));
  return page;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function expectAccessible(page: Page, label: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

async function signIn(page: Page) {
  await page.goto(`${server.url}/host`);
  await page.getByLabel('Tên đăng nhập').fill('admin');
  await page.getByLabel('Mật khẩu').fill(ORGANISER_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

async function join(phone: Page, pin: string, name: string) {
  await phone.goto(`${server.url}/join/${pin}`);
  await phone.getByLabel('Biệt danh', { exact: true }).fill(name);
  await phone.getByRole('radio', { name: 'Người dân' }).check();
  await phone.getByRole('checkbox').check();
  await phone.getByRole('button', { name: 'Vào phòng' }).click();
  await phone.getByRole('heading', { name: 'Bạn đã vào phòng' }).waitFor();
}

/** An organiser on another laptop: signs in, finds the game among the running ones and takes it over. */
async function takeOver(page: Page, pin: string, shotName?: string) {
  await signIn(page);
  const row = page.getByTestId('running-game').filter({ hasText: `PIN ${pin}` });
  await row.waitFor();
  if (shotName) {
    await expectAccessible(page, 'host running games');
    await shot(page, shotName);
  }
  await page.getByRole('button', { name: `Tiếp quản trò chơi ${pin}` }).click();
  await expect.poll(() => page.getByTestId('pin').textContent()).toBe(pin);
}

const hostToken = (page: Page, pin: string) => page.evaluate((p) => sessionStorage.getItem(`cds:host:${p}`), pin);

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  // Questions start with the product's real 3-second "get ready".
  server = await startTestServer({ questionReadyMs: 3000 });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

describe('host takeover in real browsers', () => {
  it('the host tab closes mid-question, an organiser takes over from a new laptop, the final ends on the projector', async () => {
    // ---- the first host creates the game; projector and two phones
    const first = await context(LAPTOP);
    await signIn(first);
    await first.getByLabel('Cuộc thi', { exact: true }).selectOption({ label: 'Kiểm thử – Công dân số' });
    await first.getByRole('button', { name: 'Tạo trò chơi' }).click();
    const pin = (await first.getByTestId('pin').textContent())!.trim();
    const tokens = [await hostToken(first, pin)];
    const screen = await context({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' });
    await screen.goto(`${server.url}/screen/${pin}`);
    await expect.poll(() => screen.getByTestId('screen-pin').textContent()).toBe(pin);
    const phones = [await context(PHONE), await context(PHONE)];
    await join(phones[0]!, pin, 'Bà Lan');
    await join(phones[1]!, pin, 'Ông Ba');
    await first.getByRole('button', { name: 'Bắt đầu' }).click();
    const q1 = 'Ngày Chuyển đổi số quốc gia là ngày nào?';
    for (const phone of phones) await phone.getByRole('heading', { name: q1 }).waitFor();
    await phones[0]!.getByRole('button', { name: /10 tháng 10/ }).click();
    await phones[0]!.getByText('Đã ghi nhận câu trả lời').waitFor();

    // ---- mid-question the host's browser dies
    await first.close();

    // ---- an organiser on another laptop sees the game running and takes it over
    const second = await context(LAPTOP);
    await takeOver(second, pin, 'host-0-running-games');
    await second.getByTestId('phase').filter({ hasText: 'Đang mở câu hỏi' }).waitFor();
    tokens.push(await hostToken(second, pin));
    expect(tokens[1]).toMatch(/^[\w-]{16,}$/);
    expect(tokens[1]).not.toBe(tokens[0]);
    await expect.poll(() => second.getByTestId('answered').textContent()).toContain('1/2');
    // One still to answer: the console suggests closing rather than waiting for the clock.
    await second.getByTestId('almost-all').getByText('Còn 1 người chưa trả lời — có thể đóng câu hỏi.').waitFor();
    await expect(second.title()).resolves.toBe(`Điều khiển trò chơi ${pin} · Công dân số Live`);
    await shot(second, 'host-1-question-almost-all');
    await phones[1]!.getByRole('button', { name: /2 tháng 9/ }).click();

    // ---- the reveal on the projector: the right tile with its tick, a wrong one dimmed
    await screen.getByText('Đáp án đúng').first().waitFor();
    const bars = screen.getByTestId('bar');
    const right = bars.filter({ hasText: '10 tháng 10' });
    await right.locator('.tick').waitFor();
    await expect(right.locator('.count').textContent()).resolves.toBe('1');
    await expect(bars.filter({ hasText: '2 tháng 9' }).evaluate((el) => el.classList.contains('wrong'))).resolves.toBe(
      true,
    );
    await second.getByTestId('phase').filter({ hasText: 'Công bố đáp án' }).waitFor();
    await second.getByRole('button', { name: 'Tiếp' }).click();
    await screen.getByRole('table', { name: 'Bảng xếp hạng' }).waitFor();

    // ---- a second organiser takes over while this console is still open: it says so and can do nothing more
    const third = await context(LAPTOP);
    await takeOver(third, pin);
    tokens.push(await hostToken(third, pin));
    const lost = second.getByTestId('host-replaced');
    await lost.getByRole('heading', { name: 'Bạn không còn điều khiển trò chơi này' }).waitFor();
    await expect(lost.textContent()).resolves.toContain(pin);
    await expect(second.locator('.console').getAttribute('inert')).resolves.not.toBeNull();
    // Keyboard shortcuts are off too: N would have moved the game on.
    await second.locator('body').press('n');
    await expectAccessible(second, 'host replaced');
    await shot(second, 'host-9-replaced');
    await expect.poll(() => third.getByTestId('phase').textContent()).toBe('Bảng xếp hạng');

    // ---- the new host finishes the final
    await third.getByRole('button', { name: 'Tiếp' }).click();
    for (const phone of phones) await phone.getByRole('heading', { name: /dấu hiệu nào/ }).waitFor();
    await third.getByRole('button', { name: 'Đóng câu hỏi' }).click();
    await third.getByTestId('phase').filter({ hasText: 'Công bố đáp án' }).waitFor();
    await third.getByRole('button', { name: 'Tiếp' }).click();
    await third.getByRole('button', { name: 'Tiếp' }).click();
    for (const phone of phones) await phone.getByLabel('Nhập một số').waitFor();
    await phones[1]!.getByLabel('Nhập một số').fill('4');
    await phones[1]!.getByRole('button', { name: 'Gửi câu trả lời' }).click();
    await third.getByRole('button', { name: 'Đóng câu hỏi' }).click();
    await third.getByTestId('phase').filter({ hasText: 'Công bố đáp án' }).waitFor();
    await third.getByRole('button', { name: 'Tiếp' }).click();
    await third.getByRole('button', { name: 'Tiếp' }).click();

    // ---- the podium on the projector: both players, Bà Lan (right on question 1) first
    await expect.poll(() => screen.locator('.podium .place').count()).toBe(2);
    await expect(screen.locator('.podium .place', { hasText: 'Hạng 1' }).textContent()).resolves.toContain('Bà Lan');
    await expect(screen.locator('.podium .place', { hasText: 'Hạng 2' }).textContent()).resolves.toContain('Ông Ba');
    await shot(screen, 'screen-podium-after-takeover');
    await expectAccessible(screen, 'screen podium after takeover');
    await third.getByRole('button', { name: 'Tiếp' }).click();
    await third.getByRole('button', { name: 'Tải kết quả (CSV)' }).waitFor();
    for (const phone of phones) await phone.getByRole('heading', { name: 'Kết quả của bạn' }).waitFor();

    // Host tokens lived in each tab's session storage, never in a URL any page asked for.
    expect(tokens.every((t) => !!t)).toBe(true);
    for (const t of tokens) expect(requested.filter((u) => u.includes(t!))).toEqual([]);
  }, 300_000);
});
