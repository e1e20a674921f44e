import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../server/test/start-server';
import { loadContests } from '../server/src/contests/load';
import { exportContestWorkbook } from '../server/src/contests/spreadsheet';
import { createGame, joinPlayer, login, shownChoice, TestClient } from '../server/test/clients';
import { playLiveGame } from '../server/test/organiser-api';
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
/** axe finds nothing serious or critical on the page as it is now. */
async function axeClean(page: Page) {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
}
const shoot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: path.join(repoRoot, 'e2e', 'screenshots', `${name}.png`), fullPage });

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
      viewport: { width: 1366, height: 768 },
      locale: 'vi-VN',
      acceptDownloads: true,
    });
    const page = await ctx.newPage();
    await page.goto(`${url}/admin`);
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: 'Bảng điều khiển ban tổ chức' }).waitFor();
    // One page per task, reached from the navigation; the overview comes first.
    const nav = page.getByRole('navigation', { name: 'Các trang quản trị' });
    const tab = (name: string) => nav.getByRole('link', { name, exact: true });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Tổng quan',
      'Phòng thi',
      'Trao giải',
      'Cuộc thi',
      'Nhật ký',
    ]);
    expect(await tab('Tổng quan').getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.getByText('2 thí sinh').count()).toBe(1);
    await tab('Phòng thi').click();
    // The page's heading takes the focus, so a screen reader says where the click landed.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Các trận');
    expect(page.url()).toMatch(/#phong-thi$/);
    const row = page.locator(`tr[data-pin="${pin}"]`);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Phòng chờ');
    // A running game links to the host console, which offers it to a signed-in organiser (a lost host tab).
    expect(await row.getByRole('link', { name: 'Mở ở bàn điều khiển' }).getAttribute('href')).toBe(`/host?pin=${pin}`);

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
    // The per-question table sits with the games, areas by their Vietnamese names.
    await page.getByRole('cell', { name: /Câu một/ }).waitFor();
    expect(await page.getByRole('cell', { name: 'An toàn', exact: true }).count()).toBe(2);
    await axeClean(page);
    await shoot(page, 'admin-games');

    // Overview: the knowledge-gap chart names area and group in full (nothing clipped: labels are text that wraps).
    await tab('Tổng quan').click();
    const gaps = page.getByRole('figure', { name: 'Tỷ lệ đúng' });
    await gaps.waitFor();
    expect(await gaps.getByRole('listitem').first().textContent()).toContain('An toàn — Cán bộ, công chức, viên chức');
    const clipped = await gaps
      .locator('.label')
      .evaluateAll(
        (labels) =>
          labels.filter((l) => l.scrollWidth > l.clientWidth + 1 || l.scrollHeight > l.clientHeight + 1).length,
      );
    expect(clipped).toBe(0);
    await axeClean(page);
    await shoot(page, 'admin-overview');

    // Locking starts from the game's row and goes through the prize preview: who would win, who was passed over.
    await tab('Phòng thi').click();
    await row.getByRole('button', { name: 'Xem giải và khóa' }).click();
    expect(page.url()).toMatch(/#trao-giai$/);
    const desk = page.locator('section[aria-labelledby="preview-title"]');
    const individual = desk.getByRole('table', { name: 'Giải cá nhân' });
    await individual.waitFor();
    const winnersShown = async () =>
      (await desk.getByRole('table').filter({ hasText: 'Người được trao' }).allTextContents()).join('|');
    await expect
      .poll(() => individual.getByRole('row', { name: /Giải Nhất/ }).textContent())
      .toContain('Nguyễn Văn Ân');
    expect(await individual.getByRole('row', { name: /Giải Nhì/ }).textContent()).toContain('Trần Thị Bình');
    // One prize per person: Ân's group prize is passed over, and the table says why.
    const skipped = desk.getByRole('table', { name: /Không được trao giải/ });
    expect(await skipped.textContent()).toContain('Đã nhận Giải Nhất');
    const before = await winnersShown();
    await axeClean(page);
    await shoot(page, 'admin-prizes');

    await desk.getByRole('button', { name: 'Khóa kết quả và trao các giải này' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Đã khóa kết quả' });
    await notice.waitFor();
    const hash = (await notice.textContent())!.match(/[0-9a-f]{64}/)![0];
    // The locked preview (served from the frozen copy) names exactly what was previewed.
    await desk.getByText(/Đã khóa lúc .* SHA-256/).waitFor();
    expect(await winnersShown()).toBe(before);
    await tab('Phòng thi').click();
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
    await shoot(page, 'admin-dashboard');

    // The winner's phone got its claim code; the desk enters it, then records the winner.
    const claims = players[0]!.client.events
      .filter((e) => e.event === 'player:claim')
      .map((e) => e.args[0] as { code: string; label: string });
    const first = claims.find((c) => c.label === 'Giải Nhất')!;
    await tab('Trao giải').click();
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
    await tab('Nhật ký').click();
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
    await tab('Cuộc thi').click();
    const upload = page.getByLabel('Tệp Excel (.xlsx) của cuộc thi');
    await upload.setInputFiles(path.join(files, 'hong.xlsx'));
    await page.getByRole('button', { name: 'Kiểm tra và lưu' }).click();
    await page.getByText(/Tệp chưa được lưu: \d+ lỗi cần sửa\./).waitFor();
    expect(await page.getByRole('columnheader', { name: 'Trang' }).count()).toBe(1);
    await page.getByRole('columnheader', { name: 'Trang' }).scrollIntoViewIfNeeded();
    await shoot(page, 'admin-upload-problems', false);
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
    await axeClean(page);

    // A rehearsal game is marked as practice from its row: it leaves the round's and the contest's results.
    const rehearsal = await createGame(url, token, 'giai', 'vong-1');
    await tab('Phòng thi').click();
    const rehearsalRow = page.locator(`tr[data-pin="${rehearsal.pin}"]`);
    await rehearsalRow.getByRole('button', { name: 'Đánh dấu chạy thử' }).click({ timeout: 15_000 });
    await page.getByText(`Phòng ${rehearsal.pin} là phòng chạy thử`).waitFor();
    await rehearsalRow.getByText('chạy thử', { exact: true }).waitFor();

    for (const c of [host, ...players.map((p) => p.client)]) c.close();
    await ctx.close();
  });

  it('a tie at a prize cut: the desk holds the lock until the tie is accepted, or settles it by sudden death', async () => {
    const prizes = await startServer({
      organiserPassword: PASSWORD,
      contestsDir: path.join(repoRoot, 'server/test/prize-contests'),
    });
    try {
      const url = prizes.url.replace(/\/$/, '');
      const token = await login(url, PASSWORD);
      // Final keys B, C, Đúng: Bình and Cường both 2 correct, equal on the only key: tied across Nhì/Ba.
      const final = await playLiveGame(prizes, token, 'giai-chung-ket', 'chung-ket', [
        { nickname: 'An', group: 'can-bo', choices: [1, 2, 0] },
        { nickname: 'Bình', group: 'hoc-sinh', choices: [1, 2, 1] },
        { nickname: 'Cường', group: 'hoc-sinh', choices: [1, 0, 0] },
      ]);
      const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
      const page = await ctx.newPage();
      await page.goto(`${url}/admin#trao-giai`);
      await page.getByLabel('Mật khẩu').fill(PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      // The prize round is chosen for the organiser; the tie is named and the lock waits for a decision.
      await expect.poll(() => page.getByLabel('Kết quả của').inputValue(), { timeout: 15_000 }).toBe('round:chung-ket');
      const ties = page.getByRole('alert').filter({ hasText: 'Đồng hạng ở ranh giới giải: 1' });
      await ties.waitFor();
      expect(await ties.textContent()).toMatch(/Bảng chung, hạng 2: (Bình = Cường|Cường = Bình)/);
      const lockButton = page.getByRole('button', { name: 'Khóa kết quả và trao các giải này' });
      expect(await lockButton.isDisabled()).toBe(true);
      await page.getByLabel('Tôi đã xem xét các trường hợp đồng hạng').check();
      expect(await lockButton.isDisabled()).toBe(false);
      await page.getByLabel('Tôi đã xem xét các trường hợp đồng hạng').uncheck();
      await axeClean(page);
      await shoot(page, 'admin-prizes-tie');

      // Sudden death: the two play one question in a practice game; only Cường is right.
      const extra = await playLiveGame(
        prizes,
        token,
        'giai-chung-ket',
        'cau-hoi-phu',
        [
          { nickname: 'Bình', group: 'hoc-sinh', choices: [0] },
          { nickname: 'Cường', group: 'hoc-sinh', choices: [1] },
        ],
        { practice: true },
      );
      const record = page.getByRole('button', { name: 'Ghi kết quả câu hỏi phụ' });
      await record.waitFor({ timeout: 15_000 }); // the next dashboard poll lists the ended practice game
      await record.click();
      await page
        .getByRole('status')
        .filter({ hasText: `Đã ghi kết quả câu hỏi phụ của phòng ${extra.pin}` })
        .waitFor();
      expect(await ties.count()).toBe(0);
      const individual = page.getByRole('table', { name: 'Giải cá nhân' });
      expect(await individual.getByRole('row', { name: /Giải Nhì/ }).textContent()).toContain('Cường');
      expect(await individual.getByRole('row', { name: /Giải Ba/ }).textContent()).toContain('Bình');
      await lockButton.click();
      await page.getByRole('status').filter({ hasText: 'Đã khóa kết quả' }).waitFor();
      await axeClean(page);
      for (const g of [final, extra]) g.close();
      await ctx.close();
    } finally {
      await prizes.close();
    }
  });
});
