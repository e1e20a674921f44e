// From the online round to the invited final, in real Chromium: three contestants take the (January 2020) online
// round with the server's clock moved into its window; the public board shows them on a projector (1920×1080) and a
// phone; the organiser locks the round and issues the qualifiers' invitations (organiser API); a qualifier joins the
// live final on a 360 px phone with the invitation code — the form asks for the code, not the group or the unit — and
// an uninvited player is refused. Screenshots: e2e/screenshots/online-final-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invitation, Registered } from '../protocol/online';
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
  it('board, lock, invitations, and a qualifier joins the final with the code', async () => {
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

    // ---- the organiser locks the round and issues the invitations (top 2)
    const { token } = await api<{ token: string }>('POST', '/api/login', {
      username: 'admin',
      password: ORGANISER_PASSWORD,
    });
    const locked = await api<{ lock: { sha256: string } | null }>(
      'POST',
      `/api/results/round/${CONTEST}/so-khao/lock`,
      { acceptTies: true },
      token,
    );
    expect(locked.lock?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const invitations = await api<Invitation[]>('POST', `/api/qualifiers/${CONTEST}/so-khao`, undefined, token);
    expect(invitations.map((i) => i.contestantId).sort()).toEqual(
      [regs[0]!.contestant.id, regs[1]!.contestant.id].sort(),
    );
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
    const lan = invitations.find((i) => i.contestantId === regs[0]!.contestant.id)!;
    await phone.getByLabel('Mã mời vào chung kết').fill(lan.code.toLowerCase());
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
