import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
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

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function context(options: Parameters<Browser['newContext']>[0]): Promise<Page> {
  const ctx = await browser.newContext(options);
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  return page;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** axe-core on the page as it is: no serious or critical violation allowed. */
async function expectAccessible(page: Page, label: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

/** The projector shows everything at 1920×1080 without scrolling. */
/** `el` is wholly inside the phone's first screen: no scrolling needed to reach it. */
async function expectAboveFold(page: Page, selector: string, label: string) {
  const box = (await page.locator(selector).first().boundingBox())!;
  expect(box.y + box.height, `${label}: bottom at ${box.y + box.height}px`).toBeLessThanOrEqual(
    page.viewportSize()!.height,
  );
}

async function expectFitsProjector(page: Page, label: string) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height, `${label} is ${height}px tall`).toBeLessThanOrEqual(1080);
}

/** Sound switch (off by default, remembered, every cue audible in Chromium) and the fullscreen button. */
async function checkProjectorControls(screen: Page) {
  const sound = screen.getByRole('switch', { name: 'Âm thanh' });
  await expect(sound.getAttribute('aria-checked')).resolves.toBe('false');
  await sound.click();
  await expect.poll(() => sound.getAttribute('aria-checked')).toBe('true');
  await expect(screen.evaluate(() => localStorage.getItem('cds:screen-sound'))).resolves.toBe('on');
  // The synthesiser came as its own chunk, only now; render each cue offline and measure it.
  // Waited for: the switch turns on before the chunk's request has finished.
  const soundChunk = () =>
    screen.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .find((n) => /\/assets\/sound-[\w-]+\.js$/.test(n)),
    );
  await expect.poll(soundChunk).toBeTruthy();
  const chunk = (await soundChunk())!;
  // Passed as a string: vitest would rewrite a dynamic import() written here for Node. Through the page's own
  // output chain (gains, filter, limiter): audible, and never clipping.
  const peaks: Record<string, number> = await screen.evaluate(`(async () => {
    const { ScreenSound } = await import(${JSON.stringify(chunk)});
    const out = {};
    for (const cue of ['lobby', 'question', 'time-up', 'reveal', 'fanfare']) {
      const ctx = new OfflineAudioContext(1, 44100 * 3, 44100);
      const sound = new ScreenSound(ctx);
      if (cue === 'lobby' || cue === 'question') sound.setMusic(cue);
      else sound.play(cue);
      const data = (await ctx.startRendering()).getChannelData(0);
      sound.setMusic(null);
      out[cue] = data.reduce((p, v) => Math.max(p, Math.abs(v)), 0);
    }
    return out;
  })()`);
  expect(Object.keys(peaks)).toHaveLength(5);
  for (const [cue, peak] of Object.entries(peaks)) {
    expect(peak, cue).toBeGreaterThan(0.02);
    expect(peak, cue).toBeLessThan(1);
  }
  // Music stays under the chimes.
  expect(peaks.lobby!).toBeLessThan(peaks.reveal!);
  await screen.reload();
  await expect.poll(() => screen.getByRole('switch', { name: 'Âm thanh' }).getAttribute('aria-checked')).toBe('true');
  // It stays on for the rest of the game: music and cues run in a real browser. The fullscreen button is a
  // real, focusable button, gone while fullscreen.
  const full = screen.getByRole('button', { name: 'Toàn màn hình' });
  await full.focus();
  await screen.keyboard.press('Enter');
  await expect.poll(() => screen.evaluate(() => !!document.fullscreenElement)).toBe(true);
  await full.waitFor({ state: 'detached' });
  await screen.evaluate(() => document.exitFullscreen());
  await full.waitFor();
}

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

describe('a live game in real browsers', () => {
  it('host, projector and three phones play three questions to the podium', async () => {
    // ---- host: sign in, create the game
    const host = await context({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    await host.goto(`${server.url}/host`);
    await host.getByLabel('Tên đăng nhập').fill('admin');
    await host.getByLabel('Mật khẩu').fill(ORGANISER_PASSWORD);
    await shot(host, 'host-login');
    await host.getByRole('button', { name: 'Đăng nhập' }).click();
    await host.getByLabel('Cuộc thi', { exact: true }).selectOption({ label: 'Kiểm thử – Công dân số' });
    await host.getByLabel('Vòng thi', { exact: true }).selectOption({ index: 0 });
    // A real game unless the host says it is a rehearsal.
    expect(await host.getByRole('checkbox', { name: /Phòng chạy thử/ }).isChecked()).toBe(false);
    await host.getByRole('button', { name: 'Tạo trò chơi' }).click();
    const pin = (await host.getByTestId('pin').textContent())!.trim();
    expect(pin).toMatch(/^\d{6}$/);

    // The QR code on the console encodes exactly the join link it shows.
    const joinUrl = (await host.locator('.url a').textContent())!.trim();
    expect(joinUrl).toMatch(new RegExp(`/join/${pin}$`));
    const qrSvg = await host.locator('.qr').innerHTML();
    const modules = (svg: string) => svg.match(/stroke="#000000" d="([^"]+)"/)?.[1];
    expect(modules(qrSvg)).toBeTruthy();
    expect(modules(qrSvg)).toBe(
      modules(await QRCode.toString(joinUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })),
    );
    const joinPath = new URL(joinUrl).pathname;
    // This test server listens on 127.0.0.1: the console warns that phones cannot open that address.
    await host.getByText('Điện thoại không mở được địa chỉ này').waitFor();

    // ---- projector
    const screenHref = await host.getByRole('link', { name: 'Mở màn hình chiếu' }).getAttribute('href');
    const screen = await context({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' });
    // Opened as localhost, as on the host's own laptop: its QR must still carry the server's join link.
    expect(screenHref).toBe(`/screen/${pin}`);
    const screenErrors: string[] = [];
    screen.on('pageerror', (e) => screenErrors.push(String(e)));
    await screen.goto(`${server.url.replace('127.0.0.1', 'localhost')}${screenHref}`);
    await expect.poll(() => screen.getByTestId('screen-pin').textContent()).toBe(pin);
    await expect.poll(async () => modules(await screen.locator('.qr').innerHTML())).toBe(modules(qrSvg));
    await expectAccessible(screen, 'screen lobby');
    await shot(screen, 'screen-lobby-empty');
    await checkProjectorControls(screen);

    // ---- three phones join through the link the QR code carries
    const names = ['Bà Lan', 'Minh', 'Chú Tư'];
    const groups = ['Người dân', 'Học sinh, sinh viên', 'Người lao động trong doanh nghiệp'];
    const phones: Page[] = [];
    for (let i = 0; i < 3; i++) {
      const phone = await context(PHONE);
      phones.push(phone);
      await phone.goto(`${server.url}${joinPath}`);
      await phone.getByLabel('Biệt danh', { exact: true }).waitFor();
      if (i === 0) {
        await expectAccessible(phone, 'phone join');
        await shot(phone, 'phone-1-join');
      }
      await phone.getByLabel('Biệt danh', { exact: true }).fill(names[i]!);
      await phone.getByRole('radio', { name: groups[i] }).check();
      if (i === 0) {
        await phone.getByLabel('Gõ để tìm đơn vị').fill('phuong');
        await phone.getByRole('radio', { name: 'Phường Mẫu' }).check();
      }
      // Consent is never pre-ticked: joining without it is refused on the phone.
      if (i === 0) {
        await phone.getByRole('button', { name: 'Vào phòng' }).click();
        await phone.getByText('Bạn cần đánh dấu ô đồng ý để tham gia.').waitFor();
      }
      await phone.getByRole('checkbox').check();
      await phone.getByRole('button', { name: 'Vào phòng' }).click();
      await phone.getByRole('heading', { name: 'Bạn đã vào phòng' }).waitFor();
      // The lobby count includes this phone at once (it showed 0 for the first player).
      if (i === 0) await expect(phone.locator('.players').textContent()).resolves.toContain('1 người chơi');
    }
    // A reload in the lobby shows the count as it is now, not as it was when the lobby opened.
    await phones[0]!.reload();
    await phones[0]!.getByRole('heading', { name: 'Bạn đã vào phòng' }).waitFor();
    await expect(phones[0]!.locator('.players').textContent()).resolves.toContain('3 người chơi');
    // Phone 3 plays with large text from here on.
    await phones[2]!.getByRole('button', { name: /Chữ lớn/ }).click();
    await shot(phones[2]!, 'phone-large-2-lobby');
    await expectAccessible(phones[0]!, 'phone lobby');
    await shot(phones[0]!, 'phone-2-lobby');
    await expect.poll(() => screen.locator('.count').textContent()).toContain('3 người chơi');
    await shot(screen, 'screen-lobby');
    await expect.poll(() => host.locator('.players li').count()).toBe(3);
    // The order of the day on the console: projector, lobby, start; ending the game sits apart.
    await expect(host.locator('.steps li').count()).resolves.toBe(3);
    await expect(host.locator('.controls').getByRole('button', { name: 'Kết thúc trò chơi' }).count()).resolves.toBe(0);
    await host
      .getByRole('group', { name: 'Dừng hẳn trò chơi' })
      .getByRole('button', { name: 'Kết thúc trò chơi' })
      .waitFor();
    await expect(host.title()).resolves.toBe(`Điều khiển trò chơi ${pin} · Công dân số Live`);
    await expectAccessible(host, 'host lobby');
    await shot(host, 'host-lobby');

    // ---- question 1 (single choice, with an image): start with the keyboard shortcut
    await host.locator('body').press('s');
    // "Get ready": the question's text with a countdown, no options yet, on the projector and the phones.
    await screen.getByTestId('screen-ready').waitFor();
    await expect(screen.locator('.tile').count()).resolves.toBe(0);
    await shot(screen, 'screen-get-ready');
    await phones[0]!.getByTestId('get-ready').getByText('Chuẩn bị…').waitFor();
    await expect(phones[0]!.getByRole('button', { name: /10 tháng 10/ }).count()).resolves.toBe(0);
    await shot(phones[0]!, 'phone-3a-get-ready');
    await screen.getByTestId('screen-ready').waitFor({ state: 'detached' });
    for (const phone of phones)
      await phone.getByRole('heading', { name: 'Ngày Chuyển đổi số quốc gia là ngày nào?' }).waitFor();
    // waitFor, not isVisible: the image may still be loading when the heading appears.
    await phones[0]!.getByRole('img', { name: /tin nhắn giả mạo/ }).waitFor();
    await expectAccessible(phones[0]!, 'phone question');
    await shot(phones[0]!, 'phone-3-question');
    await shot(screen, 'screen-question');
    await expectFitsProjector(screen, 'question');
    await expectAccessible(screen, 'screen question');
    await phones[0]!.getByRole('button', { name: /10 tháng 10/ }).click();
    await phones[0]!.getByText('Đã ghi nhận câu trả lời').waitFor();
    await shot(phones[0]!, 'phone-4-answered');
    await expect.poll(() => host.getByTestId('answered').textContent()).toContain('1/3');
    await phones[1]!.getByRole('button', { name: /2 tháng 9/ }).click();
    await phones[2]!.getByRole('button', { name: /10 tháng 10/ }).click();

    // Everyone answered: the question closes and is revealed everywhere.
    await phones[0]!.getByRole('heading', { name: /Chính xác/ }).waitFor();
    await phones[1]!.getByRole('heading', { name: /Chưa đúng/ }).waitFor();
    // A wrong answer says what was picked.
    await expect(phones[1]!.getByTestId('picked').textContent()).resolves.toContain('2 tháng 9');
    await shot(phones[1]!, 'phone-5b-result-wrong');
    await expectAccessible(phones[2]!, 'phone result (large text)');
    await shot(phones[2]!, 'phone-large-5-result');
    await expect(
      phones[1]!.getByText('Quyết định 505/QĐ-TTg ngày 22/4/2022 lấy ngày 10 tháng 10').isVisible(),
    ).resolves.toBe(true);
    await expectAccessible(phones[0]!, 'phone result');
    await shot(phones[0]!, 'phone-5-result');
    await screen.getByText('Đáp án đúng').first().waitFor();
    const bars = screen.getByTestId('bar');
    await expect.poll(() => bars.count()).toBe(4);
    // Options are shuffled per game: find the correct one's bar by its text.
    const correctBar = bars.filter({ hasText: '10 tháng 10' });
    await expect(correctBar.textContent()).resolves.toContain('Đáp án đúng');
    await expect(correctBar.locator('.count').textContent()).resolves.toBe('2');
    await expectAccessible(screen, 'screen reveal');
    await shot(screen, 'screen-reveal');
    await expectFitsProjector(screen, 'reveal');
    // Wrong options step back, the right one keeps its colour and a large tick.
    await correctBar.locator('.tick').waitFor();
    const wrongBar = bars.filter({ hasText: '20 tháng 11' });
    await expect(wrongBar.evaluate((el) => el.classList.contains('wrong'))).resolves.toBe(true);
    const scoreAfterQ1 = Number((await phones[2]!.locator('.stats dd').first().textContent())!.replace(/\D/g, ''));
    expect(scoreAfterQ1).toBeGreaterThan(0);

    // ---- leaderboard
    await host.getByRole('button', { name: 'Tiếp' }).click();
    await screen.getByRole('table', { name: 'Bảng xếp hạng' }).waitFor();
    await expect.poll(() => screen.getByRole('table', { name: 'Bảng xếp hạng' }).locator('tbody tr').count()).toBe(3);
    await shot(screen, 'screen-leaderboard');
    // Phones got the board with the reveal: it sits under the answer, the contestant's row marked, rank of total.
    const phoneBoard = phones[0]!.getByRole('table', { name: 'Bảng xếp hạng' });
    await expect(phoneBoard.locator('tbody tr').count()).resolves.toBe(3);
    await expect(phoneBoard.locator('tr.me').count()).resolves.toBe(1);
    await expect(phones[0]!.locator('.stats .of').textContent()).resolves.toBe('/3');
    await expectAccessible(phones[0]!, 'phone result with the board');
    await shot(phones[0]!, 'phone-6-leaderboard');

    // ---- question 2 (multiple choice); phone 3 reloads mid-question and resumes
    await host.locator('body').press('n');
    for (const phone of phones) await phone.getByRole('heading', { name: /dấu hiệu nào/ }).waitFor();
    await phones[2]!.reload();
    await phones[2]!.getByRole('heading', { name: /dấu hiệu nào/ }).waitFor();
    for (const phone of [phones[0]!, phones[2]!]) {
      for (const option of ['Hối thúc chuyển tiền gấp', 'Kèm đường link lạ', 'Yêu cầu cung cấp mã OTP'])
        await phone.getByRole('button', { name: new RegExp(option) }).click();
      await phone.getByRole('button', { name: 'Gửi câu trả lời' }).click();
      await phone.getByText('Đã ghi nhận câu trả lời').waitFor();
    }
    await phones[1]!.getByRole('button', { name: /Kèm đường link lạ/ }).click();
    await phones[1]!.getByRole('button', { name: 'Gửi câu trả lời' }).click();
    await phones[2]!.getByRole('heading', { name: /Chính xác/ }).waitFor();
    const scoreAfterQ2 = Number((await phones[2]!.locator('.stats dd').first().textContent())!.replace(/\D/g, ''));
    expect(scoreAfterQ2).toBeGreaterThan(scoreAfterQ1);
    // No second join: still three players.
    await expect.poll(() => host.locator('.players li').count()).toBe(3);

    // ---- question 3 (numeric)
    await host.getByRole('button', { name: 'Tiếp' }).click();
    await screen.getByRole('table', { name: 'Bảng xếp hạng' }).waitFor();
    await host.getByRole('button', { name: 'Tiếp' }).click();
    for (const phone of phones) await phone.getByLabel('Nhập một số').waitFor();
    // Pause with the keyboard: phones show it and refuse nothing silently; resume carries on.
    await host.locator('body').press('p');
    await phones[1]!.getByText('Tạm dừng').first().waitFor();
    // "Paused" sits under the timer, clear of the question's text.
    const pausedBox = (await phones[1]!.locator('.timer-box .paused').boundingBox())!;
    const headingBox = (await phones[1]!.getByRole('heading', { level: 1 }).boundingBox())!;
    expect(pausedBox.y + pausedBox.height).toBeLessThanOrEqual(headingBox.y);
    await shot(phones[1]!, 'phone-7a-paused');
    await host.locator('body').press('p');
    await phones[1]!.getByText('Tạm dừng').first().waitFor({ state: 'detached' });
    await expectAccessible(phones[1]!, 'phone numeric question');
    await shot(phones[1]!, 'phone-7-numeric');
    // The submit button is on the first screen, with normal and with large text.
    await expectAboveFold(phones[1]!, '.numeric .submit', 'numeric submit');
    await expectAboveFold(phones[2]!, '.numeric .submit', 'numeric submit, large text');
    await expectAccessible(phones[2]!, 'phone numeric question (large text)');
    await phones[2]!.screenshot({ path: path.join(shots, 'phone-large-7-numeric.png') });
    const guesses = ['2', '3', '2'];
    for (let i = 0; i < 3; i++) {
      await phones[i]!.getByLabel('Nhập một số').fill(guesses[i]!);
      await phones[i]!.getByRole('button', { name: 'Gửi câu trả lời' }).click();
    }
    await phones[0]!.getByRole('heading', { name: /Chính xác/ }).waitFor();

    // ---- last leaderboard → podium → ended
    await host.getByRole('button', { name: 'Tiếp' }).click();
    await screen.getByRole('table', { name: 'Bảng xếp hạng' }).waitFor();
    await host.getByRole('button', { name: 'Tiếp' }).click();
    await screen.locator('.podium .place').first().waitFor();
    await expect.poll(() => screen.locator('.podium .place').count()).toBe(3);
    await shot(screen, 'screen-podium');
    await expectFitsProjector(screen, 'podium');
    // The winner who chose a unit has it next to her name.
    await expect(screen.locator('.podium .place', { hasText: 'Bà Lan' }).textContent()).resolves.toContain(
      'Phường Mẫu',
    );
    await expectAccessible(screen, 'screen podium');
    expect(screenErrors).toEqual([]);
    for (const phone of phones) await phone.getByRole('heading', { name: 'Kết quả của bạn' }).waitFor();
    await expect(phones[0]!.locator('.summary').textContent()).resolves.toContain('3/3');
    await expectAccessible(phones[0]!, 'phone final');
    await shot(phones[0]!, 'phone-8-final');
    await host.getByRole('button', { name: 'Tiếp' }).click();
    await host.getByRole('button', { name: 'Tải kết quả (CSV)' }).waitFor();
    await shot(host, 'host-ended');

    // The CSV the host downloads has a row per player (fetched with the host token in a header, never in a link).
    const [download] = await Promise.all([
      host.waitForEvent('download'),
      host.getByRole('button', { name: 'Tải kết quả (CSV)' }).click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    for (const name of names) expect(csv).toContain(name);

    // ---- the organisers lock the results: the winner's phone gets its prize code at the top, announced, and
    // keeps it after the game is gone from the phone.
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ORGANISER_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const lock = await fetch(`${server.url}/api/results/game/${pin}/lock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ acceptTies: true }),
    });
    expect(lock.status).toBe(200);
    // The winner: rank 1 on its final screen (speed points decide between the all-correct phones).
    const ranks = await Promise.all(phones.map((p) => p.locator('.summary dd').first().textContent()));
    const winner = phones[ranks.findIndex((r) => r!.trim().startsWith('1/'))]!;
    const claim = winner.getByTestId('claim');
    await claim.waitFor();
    const code = (await claim.locator('.code').textContent())!.replace(/\s/g, '');
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    await expect(winner.locator('[aria-live="assertive"]').textContent()).resolves.toContain('Mã nhận giải');
    await expectAboveFold(winner, '[data-testid="claim"] .code', 'claim code');
    await expectAccessible(winner, 'phone claim');
    await winner.screenshot({ path: path.join(shots, 'phone-9-claim.png') });
    await winner.evaluate((p) => localStorage.removeItem(`cds:token:${p}`), pin);
    await winner.goto(`${server.url}/play`);
    await winner.getByRole('heading', { name: 'Mã nhận giải của bạn' }).waitFor();
    await expect(winner.locator('.kept .code').textContent()).resolves.toBe(`${code.slice(0, 4)} ${code.slice(4)}`);
    await shot(winner, 'phone-9b-claim-kept');
  }, 300_000); // a whole game with five browsers: slow when the machine is shared

  it('the English switch and large text work on the join screen', async () => {
    const phone = await context(PHONE);
    await phone.goto(`${server.url}/play`);
    await phone.getByRole('button', { name: 'Switch to English' }).click();
    await phone.getByRole('heading', { name: 'Join the contest' }).waitFor();
    await expect(phone.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await phone.getByRole('button', { name: /Large text/ }).click();
    await expect(phone.evaluate(() => getComputedStyle(document.documentElement).fontSize)).resolves.toBe('20px');
    await phone.getByLabel('Game PIN (6 digits)').fill('000000');
    await phone.getByRole('button', { name: 'Continue' }).click();
    await phone.getByText('No game has this PIN.').waitFor();
    await expectAccessible(phone, 'phone PIN (English, large text)');
    await shot(phone, 'phone-0-pin-en-large');
  });

  it('a phone that loses the network shows "Đang kết nối lại…" and resumes without joining twice', async () => {
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ORGANISER_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${server.url}/api/games`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ contestId: 'e2e', roundId: 'ba-cau' }),
    });
    const { pin } = (await created.json()) as { pin: string };
    const phone = await context(PHONE);
    await phone.goto(`${server.url}/join/${pin}`);
    await phone.getByLabel('Biệt danh', { exact: true }).fill('Ông Ba');
    await phone.getByRole('radio', { name: 'Người dân' }).check();
    await phone.getByRole('checkbox').check();
    await phone.getByRole('button', { name: 'Vào phòng' }).click();
    await phone.getByRole('heading', { name: 'Bạn đã vào phòng' }).waitFor();
    await phone.context().setOffline(true);
    // socket.io notices on its own, or at the latest when the page tells it the network is gone.
    await phone.evaluate(() => window.dispatchEvent(new Event('offline')));
    await phone.getByText('Đang kết nối lại…').first().waitFor({ timeout: 60_000 });
    await shot(phone, 'phone-9-reconnecting');
    await phone.context().setOffline(false);
    await phone.getByText('Đang kết nối lại…').first().waitFor({ state: 'detached', timeout: 60_000 });
    await phone.getByRole('heading', { name: 'Bạn đã vào phòng' }).waitFor();
    await expect(phone.locator('.players').textContent()).resolves.toContain('1 người chơi');
  });
});
