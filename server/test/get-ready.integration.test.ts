// The "get ready" before a question's options open: answers are refused until then, and timed from the real opening.
import { describe, expect, it } from 'vitest';
import type { AnswerResult, PhaseView } from '../../protocol/events';
import { createGame, joinPlayer, login, shownChoice, TestClient } from './clients';
import { testServers, type Mode } from './servers';

const start = testServers('ready', 'server/test/contests');
const READY_MS = 1500;

describe.each<Mode>(['memory', 'redis'])('get ready (%s)', (mode) => {
  it('shows the question with opensAt, refuses answers with NOT_OPEN_YET until then, times answers from it', async () => {
    const s = await start(mode, { questionReadyMs: READY_MS });
    const session = await login(s.url, s.organiserPassword);
    const { pin, hostToken } = await createGame(s.url, session, 'quick', 'toc-do');
    const game = await s.app.store.getGame(pin);
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin, hostToken });
    const player = await joinPlayer(s.url, pin, 'Cô Hoa');
    const startedAt = await s.app.store.now();
    await host.ok('host:command', { type: 'start' });
    const view = (await player.client.phase('open', 0)) as Extract<PhaseView, { phase: 'open' }>;
    expect(view.opensAt).toBeGreaterThanOrEqual(startedAt + READY_MS);
    expect(view.readyMs).toBeGreaterThan(READY_MS - 500);
    expect(view.readyMs).toBeLessThanOrEqual(READY_MS);
    // The timer starts after the get-ready: the deadline is the whole time limit after opensAt.
    expect(view.deadline).toBe(view.opensAt! + view.question.timeLimitSec * 1000);
    expect(view.question.options).toHaveLength(4);
    // The host cannot pause before it opens.
    expect(await host.emit('host:command', { type: 'pause' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PHASE' },
    });

    const choice = shownChoice(game, 0, 2);
    expect(await player.client.emit('answer:submit', { questionIndex: 0, choice })).toMatchObject({
      ok: false,
      error: { code: 'NOT_OPEN_YET' },
    });
    // Nothing was recorded: the same player can answer once it opens.
    expect(await s.app.store.answeredCount(pin, 0)).toBe(0);
    const wait = Math.max(0, view.opensAt! - (await s.app.store.now())) + 50;
    await new Promise((r) => setTimeout(r, wait));
    const ack = await player.client.ok<AnswerResult>('answer:submit', { questionIndex: 0, choice });
    // Timed from the real opening, not from the start command (which was READY_MS earlier).
    expect(ack.elapsedMs).toBeLessThan(1000);
    await player.client.phase('reveal', 0);
    const result = player.client.results.at(-1)!;
    expect(result).toMatchObject({ correct: true });
    // Speed scoring: an answer within a second of opening keeps nearly all the points.
    expect(result.pointsGained).toBeGreaterThan(900);
    host.close();
    player.client.close();
  });
});
