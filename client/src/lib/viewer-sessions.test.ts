import { describe, expect, it } from 'vitest';
import type { LeaderRow, PhaseView } from '../../../protocol';
import { FakeSocket, flush } from '../test/fake-socket';
import { base, lobby, open, reveal } from '../test/fixtures';
import { HostSession, type HostSocketLike } from './host-session.svelte';
import { ScreenSession, type ScreenSocketLike } from './screen-session.svelte';

const row = (rank: number, playerId: string): LeaderRow => ({
  rank,
  playerId,
  nickname: playerId,
  group: 'nguoi-dan',
  score: 100 * (4 - rank),
  correct: 1,
});
const board = (seq: number, index: number, top: LeaderRow[]): PhaseView => ({
  ...base,
  seq,
  index,
  phase: 'leaderboard',
  top,
});

describe(HostSession.name, () => {
  function attached(state: PhaseView = lobby()) {
    const socket = new FakeSocket();
    socket.replies['host:attach'] = () => ({
      ok: true,
      data: { state, players: [], joinUrl: 'http://10.0.0.2:3000/join/123456', answered: 0 },
    });
    const session = new HostSession(socket as unknown as HostSocketLike, '123456', 'host_token_abcdefghij');
    return { socket, session };
  }

  it('attaches on connect and keeps the server join URL', async () => {
    const { socket, session } = attached();
    socket.fire('connect');
    await flush();
    expect(socket.sent('host:attach')).toEqual([{ pin: '123456', hostToken: 'host_token_abcdefghij' }]);
    expect(session.joinUrl).toBe('http://10.0.0.2:3000/join/123456');
  });

  it.each([
    { view: lobby(), primary: 'start' },
    { view: open(2), primary: 'close' },
    { view: reveal(3), primary: 'next' },
    { view: board(4, 0, []), primary: 'next' },
    { view: { ...base, seq: 9, index: 2, phase: 'ended', top: [] } as PhaseView, primary: null },
  ])('the main button in $view.phase is $primary', ({ view, primary }) => {
    const { session } = attached();
    session.applyView(view);
    expect(session.primary).toBe(primary);
  });

  it('counts answers for the open question only, and resets on the next one', () => {
    const { socket, session } = attached();
    session.applyView(open(2, 0));
    socket.fire('game:answers', { questionIndex: 0, answered: 2, players: 3 });
    socket.fire('game:answers', { questionIndex: 5, answered: 9, players: 3 });
    expect(session.answered).toBe(2);
    session.applyView(open(4, 1));
    expect(session.answered).toBe(0);
  });

  it('a kick removes the player from the list', async () => {
    const { socket, session } = attached();
    socket.replies['host:command'] = () => ({ ok: true, data: lobby(5) });
    socket.fire('game:players', {
      count: 2,
      recent: [
        { playerId: 'p-aaaaaa', nickname: 'A', group: 'nguoi-dan' },
        { playerId: 'p-bbbbbb', nickname: 'B', group: 'hoc-sinh' },
      ],
    });
    await session.command({ type: 'kick', playerId: 'p-aaaaaa' });
    expect(session.players.map((p) => p.nickname)).toEqual(['B']);
  });

  it('host:replaced for this game marks the console as taken over; a reconnect does not attach again', async () => {
    const { socket, session } = attached();
    socket.fire('connect');
    await flush();
    socket.fire('host:replaced', { pin: '654321', at: 1 });
    expect(session.replaced).toBeNull();
    socket.fire('host:replaced', { pin: '123456', at: 5 });
    expect(session.replaced).toEqual({ pin: '123456', at: 5 });
    socket.fire('connect');
    await flush();
    expect(socket.sent('host:attach')).toHaveLength(1);
  });

  it('a command refused with NOT_AUTHORISED after attaching means the token was taken over', async () => {
    const { socket, session } = attached();
    socket.fire('connect');
    await flush();
    socket.replies['host:command'] = () => ({
      ok: false,
      error: { code: 'NOT_AUTHORISED', message: 'wrong host token' },
    });
    await session.command({ type: 'start' });
    expect(session.replaced).toMatchObject({ pin: '123456' });
    expect(session.error).toBeNull();
  });
});

describe(ScreenSession.name, () => {
  it('attaches on connect, keeps the server join URL for its QR and the answered count so far', async () => {
    const socket = new FakeSocket();
    socket.replies['screen:attach'] = () => ({
      ok: true,
      data: { state: open(3, 1), joinUrl: 'http://10.0.0.2:3000/join/123456', answered: 7 },
    });
    const session = new ScreenSession(socket as unknown as ScreenSocketLike, '123456');
    expect(session.joinUrl).toBe('');
    socket.fire('connect');
    await flush();
    expect(socket.sent('screen:attach')).toEqual([{ pin: '123456' }]);
    expect(session.joinUrl).toBe('http://10.0.0.2:3000/join/123456');
    expect(session.view?.phase).toBe('open');
    expect(session.answered).toBe(7);
  });

  it('remembers the previous leaderboard to show rank changes', () => {
    const socket = new FakeSocket();
    const session = new ScreenSession(socket as unknown as ScreenSocketLike, '123456');
    socket.fire('game:state', board(3, 0, [row(1, 'a'), row(2, 'b')]));
    expect(session.previousRanks).toBeNull();
    socket.fire('game:state', open(4, 1));
    socket.fire('game:state', board(6, 1, [row(1, 'b'), row(2, 'a'), row(3, 'c')]));
    expect(session.previousRanks).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
  });

  it('keeps the latest 12 joiners across updates (each update names only the newcomers since the last)', () => {
    const socket = new FakeSocket();
    const session = new ScreenSession(socket as unknown as ScreenSocketLike, '123456');
    const p = (i: number) => ({
      playerId: `p-${String(i).padStart(6, '0')}`,
      nickname: `N${i}`,
      group: 'nguoi-dan' as const,
    });
    socket.fire('game:players', { count: 2, recent: [p(1), p(2)] });
    socket.fire('game:players', { count: 3, recent: [p(3)] });
    socket.fire('game:players', { count: 3 });
    expect(session.recent.map((x) => x.nickname)).toEqual(['N1', 'N2', 'N3']);
    socket.fire('game:players', { count: 15, recent: Array.from({ length: 12 }, (_, i) => p(i + 4)) });
    expect(session.recent.map((x) => x.nickname)).toEqual(Array.from({ length: 12 }, (_, i) => `N${i + 4}`));
    expect(session.players).toBe(15);
  });

  it('shows GAME_NOT_FOUND for an unknown PIN', async () => {
    const socket = new FakeSocket();
    socket.replies['screen:attach'] = () => ({ ok: false, error: { code: 'GAME_NOT_FOUND', message: 'no' } });
    const session = new ScreenSession(socket as unknown as ScreenSocketLike, '999999');
    socket.fire('connect');
    await flush();
    expect(session.error).toBe('GAME_NOT_FOUND');
  });
});
