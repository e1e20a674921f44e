// The attacks a tester played with five phones, played again: always answering A, one phone joining 150 players,
// bots covering every option, a kicked player coming back under a new name, a kick closing a question early.
// (Locking a warm-up issues no prize: prizes.integration.test.ts.)
import { describe, expect, it } from 'vitest';
import type { JoinBurst, JoinResult, PhaseView } from '../../protocol/events';
import type { AuditPage } from '../../protocol/organiser';
import type { ResultRow } from '../../protocol/http';
import { createGame, joinPlayer, login, TestClient, waitUntil } from './clients';
import { testServers, type Mode } from './servers';
import type { App } from '../src/app';
import type { GameRecord } from '../src/game/state';

const start = testServers('fairness', 'server/test/contests');
const BANK = { single: ['A', 'B', 'C', 'D'], multiple: ['A', 'B', 'C'], poll: ['X', 'Y'] };
const device = (n: number | string) => `kiem-thu-thiet-bi-${n}`;

async function setup(mode: Mode, options: Parameters<typeof start>[1] = {}) {
  const s = await start(mode, options);
  const token = await login(s.url, s.organiserPassword);
  return { ...s, token };
}

async function hostOf(url: string, pin: string, hostToken: string) {
  const host = await new TestClient(url, '/host').connected();
  await host.ok('host:attach', { pin, hostToken });
  return host;
}

/** A speed-round game of the quick contest whose single-choice question is really shuffled (1 in 24 keeps A B C D). */
async function shuffledGame(
  app: App,
  url: string,
  token: string,
): Promise<{ pin: string; hostToken: string; game: GameRecord }> {
  for (let i = 0; i < 20; i++) {
    const { pin, hostToken } = await createGame(url, token, 'quick', 'toc-do');
    const game = (await app.store.getGame(pin))!;
    if (game.optionOrders![0]!.join() !== '0,1,2,3') return { pin, hostToken, game };
  }
  throw new Error('twenty games in a row kept the written order');
}

const indexOf = (view: PhaseView, text: string) => (view.phase === 'open' ? view.question.options!.indexOf(text) : -1);

describe.each<Mode>(['memory', 'redis'])('fair results (%s store)', (mode) => {
  it('shows one shuffled order to the projector and every phone, records answers and results in the bank order', async () => {
    const { url, token, app } = await setup(mode);
    const { pin, hostToken, game } = await shuffledGame(app, url, token);
    const host = await hostOf(url, pin, hostToken);
    const screen = await new TestClient(url, '/screen').connected();
    await screen.ok('screen:attach', { pin });
    const [right, wrong] = await Promise.all([
      joinPlayer(url, pin, 'Đúng hết', { device: device('a') }),
      joinPlayer(url, pin, 'Sai hết', { device: device('b') }),
    ]);
    await host.ok('host:command', { type: 'start' });

    // Each question: everyone sees the same order; the right player picks by text, the wrong one picks another option.
    const plays: {
      q: number;
      right: string[];
      wrong: string[];
      bank: { right: number | number[]; wrong: number | number[] };
    }[] = [
      { q: 0, right: ['C'], wrong: ['A'], bank: { right: 2, wrong: 0 } },
      { q: 1, right: ['A', 'C'], wrong: ['B', 'C'], bank: { right: [0, 2], wrong: [1, 2] } },
      { q: 2, right: ['Sai'], wrong: ['Đúng'], bank: { right: 1, wrong: 0 } },
    ];
    for (const { q, right: rightTexts, wrong: wrongTexts, bank } of plays) {
      const [view, other, projector] = await Promise.all([
        right.client.phase('open', q),
        wrong.client.phase('open', q),
        screen.phase('open', q),
      ]);
      const options = view.phase === 'open' ? view.question.options! : [];
      expect(other.phase === 'open' && other.question.options).toEqual(options);
      expect(projector.phase === 'open' && projector.question.options).toEqual(options);
      const bankTexts = q === 2 ? ['Đúng', 'Sai'] : q === 0 ? BANK.single : BANK.multiple;
      expect(options).toEqual(game.optionOrders![q]!.map((b) => bankTexts[b]));
      if (q === 2) expect(options).toEqual(['Đúng', 'Sai']); // true/false keeps its order
      const pick = (texts: string[]) => (q === 1 ? texts.map((t) => indexOf(view, t)) : indexOf(view, texts[0]!));
      await right.client.ok('answer:submit', { questionIndex: q, choice: pick(rightTexts) });
      await wrong.client.ok('answer:submit', { questionIndex: q, choice: pick(wrongTexts) });
      const answers = await app.store.getAnswers(pin, q);
      expect(answers.get(right.join.me.playerId)!.choice).toEqual(bank.right);
      expect(answers.get(wrong.join.me.playerId)!.choice).toEqual(bank.wrong);

      // The reveal: stored in the bank's order, shown in the game's.
      const reveal = await right.client.phase('reveal', q);
      const stored = (await app.store.getReveal(pin, q))!;
      expect(stored.correctOptions).toEqual(Array.isArray(bank.right) ? bank.right : [bank.right]);
      if (reveal.phase !== 'reveal') throw new Error('no reveal');
      expect(reveal.reveal.correctOptions.map((i) => options[i]).sort()).toEqual([...rightTexts].sort());
      expect(reveal.reveal.distribution).toEqual(game.optionOrders![q]!.map((b) => stored.distribution[b]));
      expect(right.client.results.find((r) => r.questionIndex === q)?.correct).toBe(true);
      expect(wrong.client.results.find((r) => r.questionIndex === q)?.correct).toBe(false);
      await host.ok('host:command', { type: 'next' });
      await host.ok('host:command', { type: 'next' });
    }
    // Numeric, then the poll: "Y" is bank option 1 whatever its place.
    await right.client.phase('open', 3);
    await Promise.all([right, wrong].map((p) => p.client.ok('answer:submit', { questionIndex: 3, choice: 42 })));
    await right.client.phase('reveal', 3);
    await host.ok('host:command', { type: 'next' });
    await host.ok('host:command', { type: 'next' });
    const poll = await right.client.phase('open', 4);
    expect(poll.phase === 'open' && [...poll.question.options!].sort()).toEqual(BANK.poll);
    await Promise.all(
      [right, wrong].map((p) => p.client.ok('answer:submit', { questionIndex: 4, choice: indexOf(poll, 'Y') })),
    );
    await right.client.phase('reveal', 4);
    expect((await app.store.getAnswers(pin, 4)).get(right.join.me.playerId)!.choice).toBe(1);
    expect((await app.store.getReveal(pin, 4))!.distribution).toEqual([0, 2]);

    const rows = (await (
      await fetch(`${url}/api/games/${pin}/results.json`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as ResultRow[];
    expect(rows.map((r) => [r.nickname, r.correct])).toEqual([
      ['Đúng hết', 4],
      ['Sai hết', 1], // the numeric question, answered right by both
    ]);
    for (const c of [host, screen, right.client, wrong.client]) c.close();
  });

  it('one device joins a game once: 150 joins from one phone make one player, and its bots cannot cover the options', async () => {
    const { url, token, app } = await setup(mode);
    const { pin, hostToken, game } = await shuffledGame(app, url, token);
    const host = await hostOf(url, pin, hostToken);
    const sockets = await Promise.all(Array.from({ length: 150 }, () => new TestClient(url, '/play').connected()));
    const acks = await Promise.all(
      sockets.map((c, i) =>
        c.emit<JoinResult>('player:join', {
          pin,
          nickname: `Bot ${i}`,
          group: 'nguoi-dan',
          consent: true,
          device: device('bot'),
        }),
      ),
    );
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    expect(new Set(acks.flatMap((a) => (a.ok ? [] : [a.error.code])))).toEqual(new Set(['DEVICE_ALREADY_JOINED']));
    expect(await app.store.playerCount(pin)).toBe(1);

    // The one bot that got in answers "A" (the first tile) every time: on a shuffled game that is not the key.
    const bot = sockets[acks.findIndex((a) => a.ok)]!;
    await host.ok('host:command', { type: 'start' });
    await bot.phase('open', 0);
    await bot.ok('answer:submit', { questionIndex: 0, choice: 0 });
    await waitUntil(() => bot.results.length > 0, 'the bot’s result');
    expect(bot.results[0]!.correct).toBe(game.optionOrders![0]![0] === 2);
    for (const c of [host, ...sockets]) c.close();
  });

  it('one address cannot flood a lobby: joins past the burst are refused, and the host removes a burst in one audited action', async () => {
    const { url, token, app } = await setup(mode, { joinLimits: { burst: 12, perSecond: 1, warnCount: 5 } });
    const { pin, hostToken } = await createGame(url, token, 'quick', 'dai');
    const host = await hostOf(url, pin, hostToken);
    const sockets = await Promise.all(Array.from({ length: 40 }, () => new TestClient(url, '/play').connected()));
    const acks = await Promise.all(
      sockets.map((c, i) =>
        c.emit('player:join', {
          pin,
          nickname: `Khách ${i}`,
          group: 'nguoi-dan',
          consent: true,
          device: device(`k${i}`),
        }),
      ),
    );
    const joined = acks.filter((a) => a.ok).length;
    expect(joined).toBeGreaterThanOrEqual(12);
    expect(joined).toBeLessThanOrEqual(14); // the burst, and a second's steady rate at most on a slow machine
    expect(acks.filter((a) => !a.ok).every((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toBe(true);

    const [burst] = await host.ok<JoinBurst[]>('host:bursts', {});
    expect(burst).toMatchObject({ count: joined });
    expect(burst!.origin).not.toContain('127.0.0.1');
    await host.ok('host:command', { type: 'kick-burst', origin: burst!.origin, from: burst!.from, to: burst!.to });
    expect(await app.store.playerCount(pin)).toBe(0);
    expect(await host.ok<JoinBurst[]>('host:bursts', {})).toEqual([]);
    // Their devices are out for good (once the address may join again: one a second).
    await new Promise((r) => setTimeout(r, 1100));
    const again = await new TestClient(url, '/play').connected();
    const first = acks.findIndex((a) => a.ok);
    expect(
      await again.emit('player:join', {
        pin,
        nickname: 'Tên mới',
        group: 'nguoi-dan',
        consent: true,
        device: device(`k${first}`),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'KICKED' },
    });
    const page = (await (
      await fetch(`${url}/api/audit?limit=1000`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as AuditPage;
    expect(
      page.entries.some(
        (e) => e.action === 'host.kick' && e.pin === pin && (e.detail as { type?: string })?.type === 'kick-burst',
      ),
    ).toBe(true);
    for (const c of [host, again, ...sockets]) c.close();
  });

  it('a kicked player cannot come back under a new name from the same device, and a kick does not close a question early', async () => {
    const { url, token, app } = await setup(mode);
    const { pin, hostToken } = await createGame(url, token, 'quick', 'dai');
    const host = await hostOf(url, pin, hostToken);
    const [cheat, b, c] = await Promise.all(
      ['Gian', 'Bình', 'Chi'].map((n, i) => joinPlayer(url, pin, n, { device: device(`p${i}`) })),
    );
    await host.ok('host:command', { type: 'start' });
    await cheat!.client.phase('open', 0);
    await cheat!.client.ok('answer:submit', { questionIndex: 0, choice: 0 });
    await host.ok('host:command', { type: 'kick', playerId: cheat!.join.me.playerId });
    // Two players left, two answers stored (the kicked one's among them): Bình answering must not close the question.
    await b!.client.ok('answer:submit', { questionIndex: 0, choice: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect((await app.store.getState(pin))!.phase).toBe('open');
    await c!.client.ok('answer:submit', { questionIndex: 0, choice: 1 });
    await b!.client.phase('reveal', 0); // everyone left answered: closed well before the 30 s limit

    const comeback = await new TestClient(url, '/play').connected();
    expect(
      await comeback.emit('player:join', {
        pin,
        nickname: 'Tên khác',
        group: 'nguoi-dan',
        consent: true,
        device: device('p0'),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'KICKED' },
    });
    // A device already in the game is refused too; a bad device id is refused by the schema.
    expect(
      await comeback.emit('player:join', {
        pin,
        nickname: 'Bản sao',
        group: 'nguoi-dan',
        consent: true,
        device: device('p1'),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'DEVICE_ALREADY_JOINED' },
    });
    expect(
      await comeback.emit('player:join', { pin, nickname: 'Lạ', group: 'nguoi-dan', consent: true, device: 'x' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    for (const x of [host, comeback, cheat!.client, b!.client, c!.client]) x.close();
  });
});
