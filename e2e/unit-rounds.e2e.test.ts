// A unit round on the projector in Chromium: the unit board between questions and the unit podium at the end,
// at 1920×1080 and 1366×768. Players and host are socket clients; only the projector is a browser.
// Screenshots: e2e/screenshots/unit-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGame, joinPlayer, login, shownChoice, TestClient } from '../server/test/clients';
import { startServer } from '../server/test/start-server';
import { launchChromium } from './browser';
import { repoRoot } from './server';

const shots = path.join(repoRoot, 'e2e', 'screenshots');
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer({ contestsDir: path.join(repoRoot, 'server', 'test', 'unit-contests') });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function expectAccessible(page: Page, label: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

describe('a unit round on the projector', () => {
  it('shows the unit board with the small unit unranked, then the unit podium', async () => {
    const url = server.url.replace(/\/$/, '');
    const token = await login(url, server.organiserPassword);
    const { pin, hostToken } = await createGame(url, token, 'doi', 'trung-binh');
    const game = await server.app.store.getGame(pin);
    const host = await new TestClient(url, '/host').connected();
    await host.ok('host:attach', { pin, hostToken });

    const screens: [Page, string][] = [];
    for (const [w, h, name] of [
      [1920, 1080, 'projector'],
      [1366, 768, 'laptop'],
    ] as const) {
      const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: 'vi-VN' });
      const page = await ctx.newPage();
      await page.goto(`${url}/screen/${pin}`);
      await expect.poll(() => page.getByTestId('screen-pin').textContent()).toBe(pin);
      screens.push([page, name]);
    }

    // Phường A: 3 players (1, 1, 0 correct); Phường B: 2 (1 each); Trường C: 1 (below minPlayers 2).
    const roster: [string, string, boolean][] = [
      ['Bà Lan', 'phuong-a', true],
      ['Chú Tư', 'phuong-a', true],
      ['Minh', 'phuong-a', false],
      ['Cô Hoa', 'phuong-b', true],
      ['Anh Dũng', 'phuong-b', true],
      ['Em Vy', 'truong-c', true],
    ];
    const players = await Promise.all(roster.map(([name, unit]) => joinPlayer(url, pin, name, { unit })));
    await host.ok('host:command', { type: 'start' });
    for (let q = 0; q < 2; q++) {
      await Promise.all(players.map((p) => p.client.phase('open', q)));
      await Promise.all(
        players.map((p, i) => {
          const right = q === 0 ? roster[i]![2] : true;
          const bank = q === 0 ? (right ? 0 : 1) : 1; // q1 is true (0), q2 is false (1): everyone gets q2 right
          return p.client.ok('answer:submit', { questionIndex: q, choice: shownChoice(game, q, bank) });
        }),
      );
      await host.phase('reveal', q);
      await host.ok('host:command', { type: 'next' });
      await host.phase('leaderboard', q);
      if (q === 1) {
        for (const [page, name] of screens) {
          const board = page.getByRole('table');
          await board.waitFor();
          const rows = await board.locator('tbody tr').allInnerTexts();
          expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
            '1 Phường B 2 2.000',
            '2 Phường A 3 1.667',
            '– Trường C Chưa xếp hạng: cần ít nhất 2 người chơi 1 2.000',
          ]);
          await page.getByText('Điểm: trung bình mỗi người chơi của đơn vị').waitFor();
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          expect(height).toBeLessThanOrEqual(name === 'projector' ? 1080 : 768);
          await expectAccessible(page, `unit board ${name}`);
          await page.screenshot({ path: path.join(shots, `unit-board-${name}.png`), fullPage: true });
        }
      }
      await host.ok('host:command', { type: 'next' });
    }
    await host.phase('podium');
    for (const [page, name] of screens) {
      await page.getByRole('heading', { name: 'Đơn vị dẫn đầu' }).waitFor();
      const places = await page.locator('.podium li').allInnerTexts();
      expect(places.map((p) => p.replace(/\s+/g, ' ').trim())).toEqual([
        'Phường B 2 người chơi 2.000 điểm Hạng 1',
        'Phường A 3 người chơi 1.667 điểm Hạng 2',
      ]);
      await expectAccessible(page, `unit podium ${name}`);
      await page.screenshot({ path: path.join(shots, `unit-podium-${name}.png`), fullPage: true });
    }
    for (const c of [host, ...players.map((p) => p.client)]) c.close();
  });

  it('ten units with long names fit the projector and the laptop without scrolling', async () => {
    const url = server.url.replace(/\/$/, '');
    const token = await login(url, server.organiserPassword);
    const { pin, hostToken } = await createGame(url, token, 'doi', 'hai-nguoi');
    const host = await new TestClient(url, '/host').connected();
    await host.ok('host:attach', { pin, hostToken });
    const players = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        joinPlayer(url, pin, `Người ${i + 1}`, { unit: i ? `xa-${i}` : 'phuong-a' }),
      ),
    );
    await host.ok('host:command', { type: 'start' });
    await Promise.all(players.map((p) => p.client.phase('open', 0)));
    await Promise.all(players.map((p) => p.client.ok('answer:submit', { questionIndex: 0, choice: 0 })));
    await host.phase('reveal', 0);
    await host.ok('host:command', { type: 'next' });
    await host.phase('leaderboard', 0);
    for (const [w, h, name] of [
      [1920, 1080, 'projector'],
      [1366, 768, 'laptop'],
    ] as const) {
      const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: 'vi-VN' });
      const page = await ctx.newPage();
      await page.goto(`${url}/screen/${pin}`);
      await page.getByRole('table').waitFor();
      await expect.poll(() => page.locator('tbody tr').count()).toBe(10);
      await page.getByText('Điểm: tổng điểm 2 người cao nhất của đơn vị').waitFor();
      await page.screenshot({ path: path.join(shots, `unit-board-ten-${name}.png`), fullPage: true });
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(height).toBeLessThanOrEqual(h);
      await ctx.close();
    }
    for (const c of [host, ...players.map((p) => p.client)]) c.close();
  });
});
