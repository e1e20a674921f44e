import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../server/test/start-server';
import { loadContests } from '../server/src/contests/load';
import { exportContestWorkbook } from '../server/src/contests/spreadsheet';
import { createGame, joinPlayer, login, shownChoice, TestClient } from '../server/test/clients';
import { launchChromium } from './browser';
import { repoRoot } from './server';

const PASSWORD = 'e2e-admin-password';
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({
    organiserPassword: PASSWORD,
    contestsDir: path.join(repoRoot, 'server/test/organiser-contests'),
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the organisers’ dashboard in a real browser', () => {
  it('an organiser watches a game, locks its results and downloads the winners’ list', async () => {
    const url = server.url.replace(/\/$/, '');
    const token = await login(url, PASSWORD);
    const { pin, hostToken } = await createGame(url, token, 'giai', 'vong-1');
    const host = await new TestClient(url, '/host').connected();
    await host.ok('host:attach', { pin, hostToken });
    const players = await Promise.all([
      joinPlayer(url, pin, 'Nguyễn Văn Ân', { group: 'hoc-sinh', unit: 'truong-le-loi' }),
      joinPlayer(url, pin, 'Trần Thị Bình', { group: 'can-bo', unit: 'so-khcn' }),
    ]);

    const ctx = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'vi-VN',
      acceptDownloads: true,
    });
    const page = await ctx.newPage();
    await page.goto(`${url}/admin`);
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: 'Bảng điều khiển ban tổ chức' }).waitFor();
    const row = page.locator(`tr[data-pin="${pin}"]`);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Phòng chờ');
    await expect.poll(() => page.getByText('2 thí sinh').count()).toBe(1);

    // Play both questions: Ân right twice, Bình right once (a prize needs one correct answer).
    await host.ok('host:command', { type: 'start' });
    // Options are shuffled per game: answer the bank's option where this game shows it.
    const game = await server.app.store.getGame(pin);
    for (let q = 0; q < 2; q++) {
      await Promise.all(players.map((p) => p.client.phase('open', q)));
      await Promise.all(
        players.map((p, i) =>
          p.client.ok('answer:submit', {
            questionIndex: q,
            choice: shownChoice(game, q, i === 0 ? [1, 0][q]! : [1, 1][q]!),
          }),
        ),
      );
      await host.phase('reveal', q);
      await host.ok('host:command', { type: 'next' });
      await host.ok('host:command', { type: 'next' });
    }
    await host.ok('host:command', { type: 'next' }); // podium → ended
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Đã kết thúc');
    // Knowledge gaps: the chart and the per-question table are there.
    await page.getByRole('img', { name: 'Tỷ lệ đúng' }).waitFor();
    expect(await page.getByRole('cell', { name: /Câu một/ }).count()).toBe(1);

    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual(
      [],
    );

    await row.getByRole('button', { name: 'Khóa kết quả' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'SHA-256' });
    await notice.waitFor();
    const hash = (await notice.textContent())!.match(/[0-9a-f]{64}/)![0];
    await expect.poll(() => row.textContent()).toContain('Đã khóa');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: 'Danh sách đoạt giải (CSV)' }).click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('Giải Nhất');
    expect(csv.split('\r\n').find((l) => l.includes('Giải Nhất,'))).toContain('Nguyễn Văn Ân');
    expect(csv.trimEnd().split('\r\n').at(-1)).toBe(`SHA-256,${hash}`);
    await page.screenshot({ path: path.join(repoRoot, 'e2e', 'screenshots', 'admin-dashboard.png'), fullPage: true });

    // The winner's phone got its claim code; the desk enters it, then records the winner.
    const claims = players[0]!.client.events
      .filter((e) => e.event === 'player:claim')
      .map((e) => e.args[0] as { code: string; label: string });
    const first = claims.find((c) => c.label === 'Giải Nhất')!;
    await expect.poll(() => page.getByText(/Giải chưa nhận \(\d+\)/).textContent()).toContain('(2)'); // Ân: Nhất; Bình: Nhì (one prize per person: no group prize on top)
    await page.getByLabel('Mã nhận giải').fill(first.code.toLowerCase());
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.getByText('Giải Nhất — Nguyễn Văn Ân').waitFor();
    await page.getByLabel('Họ và tên').fill('Nguyễn Văn Ân');
    await page.getByLabel('Số điện thoại').fill('0901234567');
    await page.getByLabel('Số CCCD / giấy tờ').fill('001200012345');
    await page.getByRole('button', { name: 'Ghi nhận' }).click();
    await page.getByText('Đã ghi nhận Giải Nhất cho Nguyễn Văn Ân.').waitFor();
    await expect.poll(() => page.getByText(/Giải chưa nhận/).textContent()).toContain('(1)');

    // The audit log shows what just happened, refused or not.
    await page.getByRole('button', { name: 'Xem nhật ký' }).click();
    await page.getByRole('cell', { name: 'results.lock' }).first().waitFor();
    expect(await page.getByRole('cell', { name: 'claim.completed' }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'host.command (start)' }).count()).toBe(1);
    expect(claims).toHaveLength(1);

    // The organiser uploads a contest from Excel: a broken file is refused with its problems, a good one is saved
    // and can be chosen at once.
    const giai = (await loadContests(path.join(repoRoot, 'server/test/organiser-contests'))).get('giai')!;
    const mine = { ...giai, id: 'vong-phuong', title: 'Vòng thi cấp phường' };
    const broken = structuredClone(mine);
    (broken.questions[0] as { correct: number }).correct = 7;
    const files = path.join(repoRoot, 'e2e', '.upload');
    await mkdir(files, { recursive: true });
    await writeFile(path.join(files, 'hong.xlsx'), await exportContestWorkbook(broken));
    await writeFile(path.join(files, 'vong-phuong.xlsx'), await exportContestWorkbook(mine));
    const upload = page.getByLabel('Tệp Excel (.xlsx) của cuộc thi');
    await upload.setInputFiles(path.join(files, 'hong.xlsx'));
    await page.getByRole('button', { name: 'Kiểm tra và lưu' }).click();
    await page.getByText(/Tệp chưa được lưu: \d+ lỗi cần sửa\./).waitFor();
    expect(await page.getByRole('columnheader', { name: 'Trang' }).count()).toBe(1);
    await page.getByRole('columnheader', { name: 'Trang' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(repoRoot, 'e2e', 'screenshots', 'admin-upload-problems.png') });
    await upload.setInputFiles(path.join(files, 'vong-phuong.xlsx'));
    await page.getByRole('button', { name: 'Kiểm tra và lưu' }).click();
    await page.getByText(/Đã lưu cuộc thi "Vòng thi cấp phường"/).waitFor();
    await expect.poll(() => page.locator('header select option').allTextContents()).toContain('Vòng thi cấp phường');
    await rm(files, { recursive: true, force: true });
    // Nobody played it yet, so it can be deleted again.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Xoá: Vòng thi cấp phường' }).click();
    await page.getByText('Đã xoá cuộc thi "Vòng thi cấp phường".').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Xoá: Vòng thi cấp phường' }).count()).toBe(0);
    const axeUpload = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(
      axeUpload.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);

    // A rehearsal game is marked as practice from its row: it leaves the round's and the contest's results.
    const rehearsal = await createGame(url, token, 'giai', 'vong-1');
    const rehearsalRow = page.locator(`tr[data-pin="${rehearsal.pin}"]`);
    await rehearsalRow.getByRole('button', { name: 'Đánh dấu chạy thử' }).click({ timeout: 15_000 });
    await page.getByText(`Phòng ${rehearsal.pin} là phòng chạy thử`).waitFor();
    await rehearsalRow.getByText('chạy thử', { exact: true }).waitFor();

    for (const c of [host, ...players.map((p) => p.client)]) c.close();
    await ctx.close();
  });
});
