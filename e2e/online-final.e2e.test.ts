// From the online round to the invited final, in real Chromium: three contestants take the (January 2020) online
// round with the server's clock moved into its window; the public board shows them on a projector (1920×1080) and a
// phone; the organiser, in /admin on a laptop (1366×768), previews the online round's own prizes (its prize set: the
// final's prizes wait for the final), locks the round, sees the prizes awarded and the claims, issues the qualifiers'
// invitations and downloads their list; a qualifier joins the live final on a 360 px phone with the invitation code —
// the form asks for the code, not the group or the unit — and an uninvited player is refused.
// Screenshots: e2e/screenshots/online-final-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Me, Registered } from '../protocol/online';
import type { App } from '../server/src/app';
import { startServer } from '../server/test/start-server';
import { launchChromium } from './browser';
import { fixtureContests, ORGANISER_PASSWORD, repoRoot } from './server';

const shots = path.join(repoRoot, 'e2e', 'screenshots');
const PHONE = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'vi-VN',
};
const PROJECTOR = { viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' };
const LAPTOP = { viewport: { width: 1366, height: 768 }, locale: 'vi-VN', acceptDownloads: true };
const CONTEST = 'e2e-final';

let server: { url: string; app: App; close(): Promise<void> };
let browser: Browser;

async function expectAccessible(page: Page, label: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

async function api<T>(method: string, url: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** One contestant's attempt in the closed round: register, start, answer (right or wrong), submit, scored. */
async function takeRound(n: number, right: boolean) {
  const online = `/api/online/${CONTEST}`;
  const { data: reg } = await api<{ data: Registered }>('POST', `${online}/register`, {
    fullName: ['Nguyễn Thị Lan', 'Trần Văn Bình', 'Lê Minh Châu'][n]!,
    phone: `0912 000 00${n}`,
    group: 'nguoi-dan',
    unit: n === 2 ? 'phuong-ngo-quyen' : 'phuong-le-chan',
    consent: true,
  });
  const { data: attempt } = await api<{ data: { id: string; questions: { id: string; options: string[] }[] } }>(
    'POST',
    `${online}/rounds/so-khao/attempts`,
    undefined,
    reg.token,
  );
  for (const q of attempt.questions) {
    const want = q.id === 'otp' ? 'Sai' : 'Tr@u-Vang.Bay-Cao-27';
    const right_ = q.options.indexOf(want);
    await api(
      'PUT',
      `${online}/attempts/${attempt.id}/answers`,
      { questionId: q.id, choice: right ? right_ : (right_ + 1) % q.options.length },
      reg.token,
    );
  }
  await api('POST', `${online}/attempts/${attempt.id}/submit`, undefined, reg.token);
  const result = await api<{ data: { status: string } }>(
    'GET',
    `${online}/attempts/${attempt.id}/result`,
    undefined,
    reg.token,
  );
  expect(result.data.status).toBe('scored');
  return reg;
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer({ organiserPassword: ORGANISER_PASSWORD, contestsDir: fixtureContests });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('from the online round to the invited final', () => {
  it('board, the online round’s prizes and lock in /admin, invitations, and a qualifier joins the final with the code', async () => {
    // ---- three contestants take the round while it was open (January 2020, on the store's clock)
    const store = server.app.onlineStore;
    const shift = Date.parse('2020-01-10T10:00+07:00') - (await store.now());
    store.shiftClock(shift);
    let regs: Registered[];
    try {
      regs = [await takeRound(0, true), await takeRound(1, true), await takeRound(2, false)];
    } finally {
      store.shiftClock(-shift);
    }
    await server.app.boards.tick();

    // ---- the public board on the projector and on a phone
    const projector = await (await browser.newContext(PROJECTOR)).newPage();
    await projector.goto(`${server.url}/thi/${CONTEST}/bang-xep-hang`);
    await projector
      .getByRole('heading', { level: 1, name: 'Bảng theo dõi: Kiểm thử – Chung kết theo thư mời' })
      .waitFor();
    await projector.getByText('Người đã thi: 3').waitFor();
    // Names masked as the contest says; units by name; participation rate against the headcount.
    await projector.getByRole('cell', { name: 'N***** T** L**' }).waitFor();
    expect(await projector.getByText('Nguyễn Thị Lan').count()).toBe(0);
    await projector
      .getByRole('table', { name: 'Đơn vị có tỉ lệ tham gia cao nhất' })
      .getByRole('cell', { name: '5%' })
      .waitFor();
    await projector.screenshot({ path: path.join(shots, 'online-final-board-projector.png') });
    await expectAccessible(projector, 'board (projector)');
    const phoneBoard = await (await browser.newContext(PHONE)).newPage();
    await phoneBoard.goto(`${server.url}/thi/${CONTEST}/bang-xep-hang`);
    await phoneBoard.getByText('Người đã thi: 3').waitFor();
    await phoneBoard.screenshot({ path: path.join(shots, 'online-final-board-phone.png'), fullPage: true });

    // ---- the organiser, in /admin: the online round's prizes, the lock, the invitations (top 2)
    const admin = await (await browser.newContext(LAPTOP)).newPage();
    await admin.goto(`${server.url}/admin#trao-giai`);
    await admin.getByLabel('Mật khẩu').fill(ORGANISER_PASSWORD);
    await admin.getByRole('button', { name: 'Đăng nhập' }).click();
    await admin.getByRole('heading', { name: 'Bảng điều khiển ban tổ chức' }).waitFor();
    await admin
      .getByRole('combobox', { name: /^Cuộc thi/ })
      .selectOption({ label: 'Kiểm thử – Chung kết theo thư mời' });
    // The desk opens on the round whose prizes can be named now: the online round (the final has no game yet).
    await expect.poll(() => admin.getByLabel('Kết quả của').inputValue(), { timeout: 15_000 }).toBe('round:so-khao');
    const individual = admin.getByRole('table', { name: 'Giải cá nhân — xét theo Sơ khảo trực tuyến' });
    await individual.waitFor();
    const bestRow = individual.getByRole('row', { name: /Giải cá nhân xuất sắc vòng sơ khảo/ });
    await expect
      .poll(() => bestRow.textContent())
      .toMatch(/Nguyễn Thị Lan.*Trần Văn Bình|Trần Văn Bình.*Nguyễn Thị Lan/);
    const units = admin.getByRole('table', { name: 'Giải tập thể — xét theo Sơ khảo trực tuyến' });
    expect(await units.getByRole('row', { name: /Giải tập thể vòng sơ khảo/ }).textContent()).toContain(
      'Phường Lê Chân',
    );
    // The final's prizes are not awarded by this lock, and the page says so; its table is not shown.
    await admin.getByText('Giải xét theo Chung kết không được trao khi khóa kết quả này').waitFor();
    expect(await admin.getByRole('table', { name: /Giải cá nhân — xét theo Chung kết/ }).count()).toBe(0);
    await admin.screenshot({ path: path.join(shots, 'online-final-admin-preview.png'), fullPage: true });
    await expectAccessible(admin, 'admin prize preview (online round)');
    const accept = admin.getByLabel('Tôi đã xem xét các trường hợp đồng hạng');
    if (await accept.count()) await accept.check();
    await admin.getByRole('button', { name: 'Khóa kết quả và trao các giải này' }).click();
    await admin.getByRole('status').filter({ hasText: 'Đã khóa kết quả (Vòng: Sơ khảo trực tuyến)' }).waitFor();
    await admin.getByText(/Đã khóa lúc .* Danh sách trên là những giải đã trao/).waitFor();
    // The claims of the two individual winners wait at the desk, marked as the online round's.
    const unclaimed = admin.getByRole('table', { name: 'Giải chưa nhận (2)' });
    await unclaimed.waitFor();
    expect(await unclaimed.getByRole('cell', { name: 'trực tuyến: Sơ khảo trực tuyến' }).count()).toBe(2);
    // The winner's own contest page, on her phone, carries the prize and its code; the prizes are listed set by set.
    const lanMe = await api<{ data: Me }>('GET', `/api/online/${CONTEST}/me`, undefined, regs[0]!.token);
    expect(lanMe.data.claims?.map((c) => c.label)).toEqual(['Giải cá nhân xuất sắc vòng sơ khảo']);
    const lanPhone = await (await browser.newContext(PHONE)).newPage();
    await lanPhone.addInitScript(
      ([key, value]) => localStorage.setItem(key!, value!),
      [`cds:online:${CONTEST}`, JSON.stringify({ token: regs[0]!.token, code: regs[0]!.code })],
    );
    await lanPhone.goto(`${server.url}/thi/${CONTEST}`);
    await lanPhone.getByText('Chúc mừng! Bạn đoạt Giải cá nhân xuất sắc vòng sơ khảo.', { exact: false }).waitFor();
    expect(await lanPhone.getByTestId('claim-code').textContent()).toBe(lanMe.data.claims![0]!.code);
    const prizeList = lanPhone.getByRole('region', { name: 'Giải thưởng' });
    expect(await prizeList.getByRole('heading', { level: 3 }).allTextContents()).toEqual([
      'Giải xét theo kết quả của: Chung kết',
      'Giải xét theo kết quả của: Sơ khảo trực tuyến',
      'Cách trao giải',
    ]);
    await lanPhone.screenshot({ path: path.join(shots, 'online-final-winner-phone.png'), fullPage: true });
    await prizeList.screenshot({ path: path.join(shots, 'online-final-winner-phone-prizes.png') });
    await expectAccessible(lanPhone, 'contest page with a prize won (phone)');

    // Invitations: issued from the locked round, listed, downloaded.
    const invite = admin.getByRole('region', { name: 'Mời vào vòng sau' });
    await invite.getByText('Được mời: 2 người đứng đầu toàn cuộc thi.').waitFor();
    await invite.getByRole('button', { name: 'Phát mã mời' }).click();
    await invite.getByRole('status').filter({ hasText: 'Đã phát 2 mã mời của vòng Sơ khảo trực tuyến.' }).waitFor();
    const list = invite.getByRole('table', { name: 'Danh sách mời (2 người)' });
    const lanRow = list.getByRole('row', { name: /Nguyễn Thị Lan/ });
    await lanRow.waitFor();
    // Lan and Bình are both right; which took less time is a matter of milliseconds here.
    expect(await lanRow.textContent()).toMatch(/hạng [12] toàn cuộc thi/);
    const lanCode = (await lanRow.getByRole('cell').first().textContent())!.trim();
    expect(lanCode).toMatch(/^[A-Z0-9]{8}$/);
    expect(await list.getByRole('row', { name: /Trần Văn Bình/ }).count()).toBe(1);
    expect(await list.getByRole('row', { name: /Lê Minh Châu/ }).count()).toBe(0);
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      invite.getByRole('button', { name: 'Tải danh sách mời (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`moi-du-thi-${CONTEST}-so-khao.csv`);
    expect(await readFile((await download.path())!, 'utf8')).toContain(lanCode);
    await invite.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: path.join(shots, 'online-final-admin-invitations.png'), fullPage: true });
    await expectAccessible(admin, 'admin invitations');

    // ---- the final's game (created by the host as usual)
    const { token } = await api<{ token: string }>('POST', '/api/login', {
      username: 'admin',
      password: ORGANISER_PASSWORD,
    });
    const { pin } = await api<{ pin: string }>(
      'POST',
      '/api/games',
      { contestId: CONTEST, roundId: 'chung-ket' },
      token,
    );

    // ---- an uninvited player is refused; the qualifier joins with the code, no group or unit asked
    const phone = await (await browser.newContext(PHONE)).newPage();
    await phone.goto(`${server.url}/join/${pin}`);
    await phone.getByRole('heading', { name: 'Kiểm thử – Chung kết theo thư mời' }).waitFor();
    expect(await phone.getByRole('radio', { name: 'Người dân' }).count()).toBe(0);
    await phone.getByRole('textbox', { name: 'Biệt danh' }).fill('Lan');
    await phone.getByRole('checkbox').check();
    await phone.getByRole('button', { name: 'Vào phòng' }).click();
    // The empty code is caught on the phone, with focus on it.
    await phone.getByText('Vui lòng nhập mã mời.').waitFor();
    expect(await phone.evaluate(() => document.activeElement?.id)).toBe('invitation');
    await phone.screenshot({ path: path.join(shots, 'online-final-join-invited-errors.png'), fullPage: true });
    await phone.getByLabel('Mã mời vào chung kết').fill('ZZZZZZZZ');
    await phone.getByRole('button', { name: 'Vào phòng' }).click();
    await phone.getByText('Vòng này chỉ dành cho thí sinh được mời: hãy nhập mã mời của bạn.').waitFor();
    await phone.getByLabel('Mã mời vào chung kết').fill(lanCode.toLowerCase());
    await phone.screenshot({ path: path.join(shots, 'online-final-join-invited.png'), fullPage: true });
    await expectAccessible(phone, 'join form (invited final)');
    await phone.getByRole('button', { name: 'Vào phòng' }).click();
    await phone.getByText('Bạn đã vào phòng').waitFor();
    // One person across rounds: the final's player is the online round's contestant, with their group and unit.
    const players = await server.app.store.getPlayers(pin);
    expect(players.map((p) => ({ contestantId: p.contestantId, unit: p.unit, group: p.group }))).toEqual([
      { contestantId: regs[0]!.contestant.id, unit: 'phuong-le-chan', group: 'nguoi-dan' },
    ]);
  });
});
