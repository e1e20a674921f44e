import { describe, expect, it } from 'vitest';
import { FakeSocket, flush } from '../test/fake-socket';
import { joinResult, lobby, me, open, reveal } from '../test/fixtures';
import type { ErrorCode } from '../../../protocol';
import { PlaySession, type PlaySocketLike } from './play-session.svelte';

function setup(retryDelaysMs?: number[]) {
  const socket = new FakeSocket();
  socket.replies['clock:sync'] = () => ({ ok: true, data: { serverTime: Date.now() + 5000 } });
  const session = new PlaySession(socket as unknown as PlaySocketLike, localStorage, Date.now, retryDelaysMs);
  session.wire();
  return { socket, session };
}
const joinPayload = { pin: '123456', nickname: 'Lan', group: 'nguoi-dan' as const, consent: true as const };

describe(PlaySession.name, () => {
  it('joins, stores the reconnect token by PIN and shows the lobby', async () => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(lobby()) });
    expect(await session.join(joinPayload)).toBe(true);
    expect(session.status).toBe('playing');
    expect(session.view?.phase).toBe('lobby');
    expect(localStorage.getItem('cds:token:123456')).toBe('tok_abcdefghijklmnop');
    expect(session.storedSession()).toEqual({ pin: '123456', token: 'tok_abcdefghijklmnop' });
  });

  it('keeps the prize claim codes it is told about, once each, and takes them from a resume', async () => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(lobby()) });
    await session.join(joinPayload);
    const claim = { code: 'ABCD2345', label: 'Giải Nhất', scope: 'individual' as const };
    socket.fire('player:claim', claim);
    socket.fire('player:claim', claim);
    expect(session.claims).toEqual([claim]);
    socket.replies['player:resume'] = () => ({
      ok: true,
      data: joinResult(lobby(), { claims: [claim, { ...claim, code: 'WXYZ6789', scope: 'group' }] }),
    });
    await session.resume('123456', 'tok_abcdefghijklmnop');
    expect(session.claims.map((c) => c.code)).toEqual(['ABCD2345', 'WXYZ6789']);
  });

  it('keeps every prize code on the device after the game is forgotten, and buzzes when one arrives', async () => {
    localStorage.clear();
    const buzz: unknown[] = [];
    Object.defineProperty(navigator, 'vibrate', { value: (p: unknown) => buzz.push(p), configurable: true });
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(lobby()) });
    await session.join(joinPayload);
    const claim = { code: 'ABCD2345', label: 'Giải Nhất', scope: 'individual' as const };
    socket.fire('player:claim', claim);
    socket.fire('player:claim', claim);
    expect(session.claimJustWon).toEqual(claim);
    expect(buzz).toHaveLength(2);
    session.forget();
    const later = setup().session;
    expect(later.storedClaims()).toEqual([{ ...claim, pin: '123456', title: lobby().title }]);
  });

  it('remembers what it answered, so the result says so after a reload', async () => {
    localStorage.clear();
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(5, 0)) });
    await session.join(joinPayload);
    socket.replies['answer:submit'] = () => ({ ok: true, data: { questionIndex: 0, elapsedMs: 900 } });
    await session.submit(2);
    const again = setup();
    again.socket.replies['player:resume'] = () => ({ ok: true, data: joinResult(reveal(6, 0)) });
    await again.session.resume('123456', 'tok_abcdefghijklmnop');
    expect(again.session.myChoice).toBe(2);
    // Another question: nothing from the earlier one.
    const third = setup();
    third.socket.replies['player:resume'] = () => ({ ok: true, data: joinResult(reveal(9, 1)) });
    await third.session.resume('123456', 'tok_abcdefghijklmnop');
    expect(third.session.myChoice).toBeNull();
  });

  it('keeps the error code when joining fails', async () => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: false, error: { code: 'NICKNAME_TAKEN', message: 'taken' } });
    expect(await session.join(joinPayload)).toBe(false);
    expect(session.status).toBe('idle');
    expect(session.error).toBe('NICKNAME_TAKEN');
  });

  it('reports TIMEOUT when the server never answers', async () => {
    const { session } = setup();
    expect(await session.join(joinPayload)).toBe(false);
    expect(session.error).toBe('TIMEOUT');
  });

  it('ignores a phase view older than the one it has', async () => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(5)) });
    await session.join(joinPayload);
    socket.fire('game:state', lobby(3));
    expect(session.view?.phase).toBe('open');
    socket.fire('game:state', reveal(6));
    expect(session.view?.phase).toBe('reveal');
  });

  it('after a network loss resumes with the token, never joins twice', async () => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(2)) });
    socket.replies['player:resume'] = () => ({ ok: true, data: joinResult(open(4), { answered: true }) });
    await session.join(joinPayload);
    socket.fire('disconnect');
    expect(session.status).toBe('reconnecting');
    socket.fire('connect');
    await flush();
    await flush();
    await flush();
    await flush();
    expect(socket.sent('player:join')).toHaveLength(1);
    expect(socket.sent('player:resume')).toEqual([{ pin: '123456', token: 'tok_abcdefghijklmnop' }]);
    expect(session.status).toBe('playing');
    expect(session.answered).toBe(true);
    expect(session.canAnswer).toBe(false);
  });

  it('measures the clock offset on connect', async () => {
    const { socket, session } = setup();
    socket.fire('connect');
    for (let i = 0; i < 6; i++) await flush();
    expect(Math.abs(session.offset - 5000)).toBeLessThan(100);
  });

  it('forgets an invalid token so the join form comes back', async () => {
    const { socket, session } = setup();
    localStorage.setItem('cds:token:123456', 'tok_oldoldoldoldold');
    localStorage.setItem('cds:last-pin', '123456');
    socket.replies['player:resume'] = () => ({ ok: false, error: { code: 'TOKEN_INVALID', message: 'no' } });
    expect(await session.resume('123456', 'tok_oldoldoldoldold')).toBe(false);
    expect(session.status).toBe('idle');
    expect(session.storedSession()).toBeNull();
  });

  it('submits an answer once and locks the buttons', async () => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(2, 0)) });
    socket.replies['answer:submit'] = () => ({ ok: true, data: { questionIndex: 0, elapsedMs: 900 } });
    await session.join(joinPayload);
    expect(session.canAnswer).toBe(true);
    expect(await session.submit(1)).toBe(true);
    expect(socket.sent('answer:submit')).toEqual([{ questionIndex: 0, choice: 1 }]);
    expect(session.answered).toBe(true);
    expect(await session.submit(2)).toBe(false);
    expect(socket.sent('answer:submit')).toHaveLength(1);
  });

  it.each([
    { code: 'TOO_LATE', locked: true, answered: false, choiceKept: true },
    { code: 'ALREADY_ANSWERED', locked: true, answered: true, choiceKept: true },
    { code: 'PAUSED', locked: false, answered: false, choiceKept: false },
    { code: 'RATE_LIMITED', locked: false, answered: false, choiceKept: false },
  ])('an answer refused with $code leaves locked=$locked', async ({ code, locked, answered, choiceKept }) => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(2, 0)) });
    socket.replies['answer:submit'] = () => ({ ok: false, error: { code: code as ErrorCode, message: code } });
    await session.join(joinPayload);
    await session.submit(0);
    expect(session.error).toBe(code);
    expect(session.locked).toBe(locked);
    expect(session.answered).toBe(answered);
    expect(session.myChoice !== null).toBe(choiceKept);
  });

  it.each([
    { code: 'WRONG_PHASE', closed: true },
    { code: 'TOO_LATE', closed: true },
    { code: 'PAUSED', closed: false },
    { code: 'NOT_OPEN_YET', closed: false },
  ])('an answer refused with $code on the open question says it closed: $closed', async ({ code, closed }) => {
    // Phones get no `closed` view when the reveal follows at once: a tap in between learns it from the refusal.
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(2, 0)) });
    socket.replies['answer:submit'] = () => ({ ok: false, error: { code: code as ErrorCode, message: code } });
    await session.join(joinPayload);
    expect(session.questionClosed).toBe(false);
    await session.submit(0);
    expect(session.questionClosed).toBe(closed);
    // The reveal replaces it.
    socket.fire('game:state', reveal(3, 0));
    expect(session.questionClosed).toBe(false);
  });

  it('sends the same answer again by itself after a server hiccup, and takes ALREADY_ANSWERED on the retry as recorded', async () => {
    const { socket, session } = setup([0, 0]);
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(2, 0)) });
    await session.join(joinPayload);
    const replies = [
      { ok: false as const, error: { code: 'INTERNAL' as ErrorCode, message: 'redis' } },
      { ok: false as const, error: { code: 'ALREADY_ANSWERED' as ErrorCode, message: 'first one landed' } },
    ];
    socket.replies['answer:submit'] = () => replies.shift()!;
    expect(await session.submit(3)).toBe(true);
    expect(socket.sent('answer:submit')).toEqual([
      { questionIndex: 0, choice: 3 },
      { questionIndex: 0, choice: 3 },
    ]);
    expect(session).toMatchObject({ answered: true, locked: true, error: null, myChoice: 3 });
  });

  it('gives up after two retries and lets the contestant tap again', async () => {
    const { socket, session } = setup([0, 0]);
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(2, 0)) });
    await session.join(joinPayload);
    socket.replies['answer:submit'] = () => ({ ok: false, error: { code: 'INTERNAL' as ErrorCode, message: 'down' } });
    expect(await session.submit(1)).toBe(false);
    expect(socket.sent('answer:submit')).toHaveLength(3);
    expect(session).toMatchObject({ answered: false, locked: false, error: 'INTERNAL', myChoice: null });
    expect(session.canAnswer).toBe(true);
  });

  it('a new question unlocks the buttons', async () => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(2, 0)) });
    socket.replies['answer:submit'] = () => ({ ok: true, data: { questionIndex: 0, elapsedMs: 900 } });
    await session.join(joinPayload);
    await session.submit(0);
    socket.fire('game:state', reveal(3, 0));
    expect(session.answered).toBe(true);
    socket.fire('game:state', open(5, 1));
    expect(session.answered).toBe(false);
    expect(session.canAnswer).toBe(true);
  });

  it('shows the personal result that matches the revealed question', async () => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(2, 0)) });
    await session.join(joinPayload);
    socket.fire('game:state', reveal(3, 0));
    const standing = { ...me, score: 950, streak: 1, correct: 1, rank: 1 };
    socket.fire('player:result', {
      questionIndex: 0,
      answered: true,
      correct: true,
      pointsGained: 950,
      streakBonus: 0,
      standing,
      players: 3,
    });
    expect(session.currentResult?.pointsGained).toBe(950);
    expect(session.me?.score).toBe(950);
    socket.fire('game:state', open(5, 1));
    expect(session.currentResult).toBeNull();
  });

  it('the reveal that arrives inside the personal result moves the phone to the reveal with its result, in one message', async () => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(open(2, 0)) });
    await session.join(joinPayload);
    await session.submit(1);
    const standing = { ...me, score: 0, streak: 0, correct: 0, rank: 2 };
    socket.fire('player:result', {
      questionIndex: 0,
      answered: true,
      correct: false,
      pointsGained: 0,
      streakBonus: 0,
      standing,
      players: 3,
      state: reveal(4, 0),
    });
    expect(session.view?.phase).toBe('reveal');
    expect(session.view?.seq).toBe(4);
    expect(session.currentResult?.correct).toBe(false);
    expect(session.me?.rank).toBe(2);
    // A stale reveal inside a late result never rolls the phone back.
    socket.fire('game:state', open(6, 1));
    socket.fire('player:result', {
      questionIndex: 0,
      answered: true,
      correct: false,
      pointsGained: 0,
      streakBonus: 0,
      standing,
      players: 3,
      state: reveal(4, 0),
    });
    expect(session.view?.phase).toBe('open');
    expect(session.currentResult).toBeNull();
  });

  it('a kick clears the token and stops', async () => {
    const { socket, session } = setup();
    socket.replies['player:join'] = () => ({ ok: true, data: joinResult(lobby()) });
    await session.join(joinPayload);
    socket.fire('player:kicked');
    expect(session.status).toBe('kicked');
    expect(session.storedSession('123456')).toBeNull();
    expect(socket.connected).toBe(false);
  });
});
