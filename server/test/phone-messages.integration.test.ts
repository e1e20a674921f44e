// What a phone receives per question (issue 17, "live scale"): the open view, its result with the reveal and the
// board, and its answer's ack. No `closed` view when the reveal follows at once, and no leaderboard view: the board
// comes with the reveal. A question whose reveal does not come (scores frozen by a lock) still reaches phones as
// `closed`, a second later; host and screen keep every view.
import { describe, expect, it } from 'vitest';
import type { JoinResult, LeaderRow, PhaseView } from '../../protocol/events';
import { createGame, joinPlayer, login, shownChoice, TestClient, waitUntil } from './clients';
import { testServers, type Mode } from './servers';

const start = testServers('phone-messages', 'server/test/contests');
const CHOICES = [2, [0, 2], 1, 42, 0]; // the correct choice of each question of `quick`, in the bank's order

async function setUp(mode: Mode, players: number) {
  const s = await start(mode);
  const token = await login(s.url, s.organiserPassword);
  const { pin, hostToken } = await createGame(s.url, token, 'quick', 'toc-do');
  const game = await s.app.store.getGame(pin);
  const host = await new TestClient(s.url, '/host').connected();
  await host.ok('host:attach', { pin, hostToken });
  const screen = await new TestClient(s.url, '/screen').connected();
  await screen.ok('screen:attach', { pin });
  const phones = await Promise.all(Array.from({ length: players }, (_, i) => joinPlayer(s.url, pin, `Máy ${i + 1}`)));
  return {
    ...s,
    pin,
    game,
    host,
    screen,
    phones,
    close: () => [host, screen, ...phones.map((p) => p.client)].forEach((c) => c.close()),
  };
}

const sent = (c: TestClient, event: string) => c.events.filter((e) => e.event === event);
const views = (c: TestClient, phase: PhaseView['phase']) =>
  sent(c, 'game:state').filter((e) => (e.args[0] as PhaseView).phase === phase);

describe.each<Mode>(['memory', 'redis'])('messages to phones (%s store)', (mode) => {
  it('per question: the open view and the result carrying the reveal and the board; no closed or leaderboard view', async () => {
    const { game, host, screen, phones, close } = await setUp(mode, 4);
    await host.ok('host:command', { type: 'start' });
    for (let q = 0; q < 5; q++) {
      await Promise.all(phones.map((p) => p.client.phase('open', q)));
      // Phone i answers right when i <= q: the board changes from question to question.
      await Promise.all(
        phones.map((p, i) =>
          p.client.ok('answer:submit', {
            questionIndex: q,
            choice: shownChoice(game, q, i <= q ? CHOICES[q]! : q === 3 ? 10 : q === 1 ? [1] : 0),
          }),
        ),
      );
      await Promise.all(
        phones.map((p) => waitUntil(() => p.client.results.some((r) => r.questionIndex === q), `result ${q}`)),
      );
      await host.ok('host:command', { type: 'next' });
      if (game!.questions[q]!.type === 'poll') continue; // no board after a poll
      const board = await screen.phase('leaderboard', q);
      const top = (board as { top: LeaderRow[] }).top;
      for (const p of phones) {
        const result = p.client.results.find((r) => r.questionIndex === q)!;
        const reveal = result.state as Extract<PhaseView, { phase: 'reveal' }>;
        expect(reveal.phase).toBe('reveal');
        // The board under the reveal is the projector's leaderboard (its first five rows).
        expect(reveal.top).toEqual(top.slice(0, 5));
        expect(reveal.top!.find((r) => r.playerId === p.join.me.playerId)?.rank).toBe(result.standing.rank);
      }
      await host.ok('host:command', { type: 'next' });
    }
    await host.phase('podium');
    await host.ok('host:command', { type: 'next' });
    await Promise.all(phones.map((p) => p.client.phase('ended')));

    for (const p of phones) {
      expect(views(p.client, 'closed')).toHaveLength(0);
      expect(views(p.client, 'leaderboard')).toHaveLength(0);
      expect(views(p.client, 'open').map((e) => (e.args[0] as PhaseView).index)).toEqual([0, 1, 2, 3, 4]);
      expect(sent(p.client, 'player:result')).toHaveLength(5);
      // After the poll (question 4) no board: nothing moved.
      const poll = p.client.results.find((r) => r.questionIndex === 4)!.state!;
      expect('top' in poll).toBe(false);
    }
    // Host and screen still follow every phase.
    for (const c of [host, screen]) {
      expect(views(c, 'closed')).toHaveLength(5);
      expect(views(c, 'leaderboard')).toHaveLength(4);
      for (const e of views(c, 'reveal')) expect('top' in (e.args[0] as PhaseView)).toBe(false);
    }
    close();
  });

  it('a phone resuming during the leaderboard gets the leaderboard view; during the reveal, the reveal with the board', async () => {
    const { url, pin, game, host, phones, close } = await setUp(mode, 2);
    await host.ok('host:command', { type: 'start' });
    await Promise.all(phones.map((p) => p.client.phase('open', 0)));
    await Promise.all(
      phones.map((p) => p.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 2) })),
    );
    await phones[0]!.client.phase('reveal', 0);
    const inReveal = await new TestClient(url, '/play').connected();
    const r1 = await inReveal.ok<JoinResult>('player:resume', { pin, token: phones[0]!.join.token });
    expect(r1.state.phase).toBe('reveal');
    expect((r1.state as { top?: LeaderRow[] }).top).toHaveLength(2);
    expect(r1.lastResult?.questionIndex).toBe(0);
    await host.ok('host:command', { type: 'next' });
    await host.phase('leaderboard', 0);
    const inBoard = await new TestClient(url, '/play').connected();
    const r2 = await inBoard.ok<JoinResult>('player:resume', { pin, token: phones[1]!.join.token });
    expect(r2.state.phase).toBe('leaderboard');
    expect((r2.state as { top: LeaderRow[] }).top.map((r) => r.playerId).sort()).toEqual(
      phones.map((p) => p.join.me.playerId).sort(),
    );
    inReveal.close();
    inBoard.close();
    close();
  });

  it('a question closed early by the host: phones get the reveal, without a closed view before it', async () => {
    const { game, host, screen, phones, close } = await setUp(mode, 3);
    await host.ok('host:command', { type: 'start' });
    await Promise.all(phones.map((p) => p.client.phase('open', 0)));
    await phones[0]!.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 2) });
    await host.ok('host:command', { type: 'close' });
    await Promise.all(phones.map((p) => p.client.phase('reveal', 0)));
    await screen.phase('closed', 0);
    // Past the wait: the cancelled closed view never comes.
    await new Promise((r) => setTimeout(r, 1300));
    for (const p of phones) expect(views(p.client, 'closed')).toHaveLength(0);
    // A tap after the close is refused and changes nothing.
    const late = await phones[2]!.client.emit('answer:submit', { questionIndex: 0, choice: 0 });
    expect(late.ok).toBe(false);
    close();
  });

  it('a question whose reveal does not come (scores frozen by a lock) reaches phones as closed, a second later', async () => {
    const { app, pin, host, screen, phones, close } = await setUp(mode, 2);
    await host.ok('host:command', { type: 'start' });
    await Promise.all(phones.map((p) => p.client.phase('open', 0)));
    await app.store.freezeScores(pin); // what locking the results does first
    const closedAt = Date.now();
    await host.ok('host:command', { type: 'close' });
    await screen.phase('closed', 0);
    const closed = await Promise.all(phones.map((p) => p.client.phase('closed', 0, 5000)));
    const waited = Date.now() - closedAt;
    expect(waited).toBeGreaterThanOrEqual(1000);
    for (const v of closed) expect(v).toMatchObject({ phase: 'closed', index: 0 });
    for (const p of phones) expect(p.client.results).toHaveLength(0);
    close();
  });
});
