// A contestant takes the online round on a 360 px phone in real Chromium: the contest page, registration (errors
// first), the attempt one question at a time, a reload mid-attempt (same attempt, answers kept, time still running),
// submission with its confirmation, the result and the review. Screenshots: e2e/screenshots/online-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { repoRoot, startTestServer, type RunningServer } from './server';

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

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(shots, `online-${name}.png`), fullPage: true });
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

/** Seconds shown by the countdown (m:ss). */
async function timerSeconds(page: Page): Promise<number> {
  const text = (await page.getByRole('timer').textContent())!;
  const m = text.match(/(\d+):(\d\d)/)!;
  return Number(m[1]) * 60 + Number(m[2]);
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the online round on a phone', () => {
  it('registers, answers, survives a reload mid-attempt, submits and sees the result', async () => {
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/thi/e2e-online`);

    // ---- the contest page: dates in Vietnam time, rules, prizes, the big button
    await page.getByRole('heading', { level: 1, name: 'Kiểm thử – Thi trực tuyến' }).waitFor();
    await page.getByText('Vòng thi đang mở đến 23:59 ngày 31/12/2099 (giờ Việt Nam).').waitFor();
    await page.getByText('8:00 ngày 1/1/2020 (giờ Việt Nam)').waitFor();
    await page.getByText('Mỗi lượt thi có 5 câu hỏi.').waitFor();
    await page.getByText('Giải Nhì: 2 giải').waitFor();
    await shot(page, 'contest');
    await expectAccessible(page, 'contest page');

    // ---- registration: an empty submit marks every required field and focuses the first one
    await page.getByRole('button', { name: 'Vào thi' }).click();
    await page.getByRole('heading', { name: 'Đăng ký dự thi' }).waitFor();
    expect(await page.getByRole('checkbox').isChecked()).toBe(false);
    // All 26 units are in the list; the filter narrows it, diacritics optional.
    expect(await page.getByRole('radio', { name: /^Phường / }).count()).toBe(26);
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.getByText('Vui lòng nhập họ và tên').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('full-name');
    await shot(page, 'register-errors');
    await expectAccessible(page, 'register errors');

    await page.getByLabel('Họ và tên').fill('Nguyễn Thị Lan');
    await page.getByLabel('Số điện thoại di động').fill('0123');
    await page.getByRole('radio', { name: 'Người dân' }).check();
    await page.getByLabel('Gõ vài chữ để lọc danh sách').fill('le chan');
    expect(await page.getByRole('radio', { name: /^Phường / }).count()).toBe(1);
    await page.getByRole('radio', { name: 'Phường Lê Chân' }).check();
    await page.getByLabel('Năm sinh (không bắt buộc)').fill('1960');
    await page.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    // The server refuses the number; the message sits under the phone field, which gets focus.
    await page.getByText('Số điện thoại không hợp lệ').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('phone');
    await page.getByLabel('Số điện thoại di động').fill('0912 345 678');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();

    const code = (await page.getByTestId('contestant-code').textContent())!.trim();
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    await page.getByText('Hãy ghi lại mã này').waitFor();
    await shot(page, 'registered');
    const stored = await page.evaluate(() => localStorage.getItem('cds:online:e2e-online'));
    expect(JSON.parse(stored!)).toMatchObject({ code });

    // ---- the attempt
    await page.getByRole('button', { name: 'Vào thi' }).click();
    await page.getByText('Câu 1/5').first().waitFor();
    await shot(page, 'question');
    await expectAccessible(page, 'question');
    // Question 1 (single): option C.
    await page.getByRole('button', { name: /Tr@u-Vang/ }).click();
    await page.locator('.save[data-state="saved"]').getByText('Đã lưu').waitFor();
    await page.getByRole('button', { name: 'Câu sau' }).click();
    // Question 2 (multiple): A and B.
    await page.getByText('Câu 2/5').first().waitFor();
    await page.getByRole('button', { name: /Hối thúc/ }).click();
    await page.getByRole('button', { name: /đường link lạ/ }).click();
    await page.locator('.save[data-state="saved"]').waitFor();
    const before = await timerSeconds(page);
    expect(before).toBeGreaterThan(9 * 60);

    // ---- reload mid-attempt: same attempt, answers kept, the time still running
    await page.waitForTimeout(2500);
    await page.reload();
    await page.getByText('Câu 3/5').first().waitFor(); // the first unanswered question
    const after = await timerSeconds(page);
    expect(after).toBeLessThan(before);
    expect(after).toBeGreaterThan(before - 60);
    await page.getByRole('button', { name: 'Câu 1, đã trả lời' }).waitFor();
    await page.getByRole('button', { name: 'Câu 2, đã trả lời' }).waitFor();
    await page.getByRole('button', { name: 'Câu 3, chưa trả lời' }).waitFor();

    // Question 3 (true/false), given while the network is down: shown as not saved, saved once it is back.
    await ctx.setOffline(true);
    await page.getByRole('button', { name: /Sai/ }).click();
    await page.getByText('Mất kết nối, đang thử lưu lại…').waitFor();
    await page.getByText('1 câu trả lời chưa lưu được').waitFor();
    await shot(page, 'offline');
    await ctx.setOffline(false);
    await page.locator('.save[data-state="saved"]').waitFor({ timeout: 20_000 });
    expect(await page.getByText('1 câu trả lời chưa lưu được').count()).toBe(0);
    await page.getByRole('button', { name: 'Câu sau' }).click();
    // Question 4 (numeric): out of range first, then 2.
    await page.getByText('Câu 4/5').first().waitFor();
    await page.getByLabel(/Nhập một số từ 1 đến 5/).fill('9');
    await page.getByRole('button', { name: 'Lưu câu trả lời' }).click();
    await page.getByText('Số phải từ 1 đến 5.').waitFor();
    await page.getByLabel(/Nhập một số từ 1 đến 5/).fill('2');
    await page.getByRole('button', { name: 'Lưu câu trả lời' }).click();
    await page.locator('.save[data-state="saved"]').waitFor();
    await shot(page, 'numeric');

    // Large text on, checked on the prediction question (the last one).
    await page.getByRole('button', { name: 'Câu 5, chưa trả lời' }).click();
    await page.getByText('Câu dự đoán: không tính điểm').waitFor();
    await page.getByRole('button', { name: /Chữ lớn/ }).click();
    await shot(page, 'question-large');
    await expectAccessible(page, 'question large text');
    await page.getByRole('button', { name: /Chữ lớn/ }).click();

    // ---- submit: the confirmation counts the unanswered (the prediction is left blank)
    await page.getByRole('button', { name: 'Nộp bài' }).click();
    await page.getByText('Bạn còn 1 câu chưa trả lời.').waitFor();
    await shot(page, 'confirm');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Nộp bài' }).click();

    // ---- the result and the review
    await page.getByRole('heading', { name: 'Kết quả lượt thi' }).waitFor({ timeout: 30_000 });
    expect((await page.getByTestId('result-correct').textContent())!.trim()).toBe('Đúng 4/4 câu');
    await page.getByRole('heading', { name: 'Xem lại đáp án' }).waitFor();
    await page.getByText('Ngân hàng không bao giờ hỏi mã OTP').waitFor();
    // A source with an http(s) URL is a link; one without is plain text (a javascript: URL is refused at load).
    expect(await page.getByRole('link', { name: 'Cẩm nang an toàn thông tin' }).getAttribute('href')).toBe(
      'https://example.org/mat-khau',
    );
    expect(await page.getByRole('link', { name: 'Cẩm nang nhận diện lừa đảo' }).count()).toBe(0);
    await shot(page, 'result');
    await expectAccessible(page, 'result');

    // ---- back home: attempts left, the counting attempt, the rank
    await page.getByRole('button', { name: 'Về trang cuộc thi' }).click();
    await page.getByText('Còn 1/2 lượt thi').waitFor();
    await page.getByText(/Kết quả được tính: đúng 4\/4 câu/).waitFor();
    await page.getByText(/Xếp hạng hiện tại: 1\/1/).waitFor();
    await shot(page, 'me');
    await page.getByRole('button', { name: /Chữ lớn/ }).click();
    await shot(page, 'me-large');

    // ---- another phone: "Tôi đã đăng ký" with phone + code
    const other = await (await browser.newContext(PHONE)).newPage();
    await other.goto(`${server.url}/thi/e2e-online`);
    await other.getByRole('button', { name: 'Tôi đã đăng ký' }).click();
    await other.getByLabel('Số điện thoại di động').fill('+84 912.345.678');
    await other.getByLabel('Mã dự thi').fill('WRONG1');
    await other.getByRole('button', { name: 'Tiếp tục' }).click();
    await other.getByText('Số điện thoại hoặc mã dự thi không đúng.').waitFor();
    await other.getByLabel('Mã dự thi').fill(code.toLowerCase());
    await other.getByRole('button', { name: 'Tiếp tục' }).click();
    await other.getByText('Xin chào Nguyễn Thị Lan').waitFor();
    await other.getByText('Còn 1/2 lượt thi').waitFor();
    await ctx.close();
  });
});
