import { describe, expect, it } from 'vitest';
import { hashToken } from './auth';
import { checkHostToken, HOST_TOKEN_AFTER_END_MS, HOST_TOKEN_UNENDED_MS } from './host-token';

describe(checkHostToken.name, () => {
  const token = 'a-host-token-of-24-chars';
  const game = { createdAt: 1_000_000, hostTokenHash: hashToken(token) };
  const ended = (at: number) => ({ endedAt: at });
  it.each([
    { what: 'the right token, game running', state: ended(null as never), now: game.createdAt + 1000, token, ok: true },
    { what: 'a wrong token', state: null, now: game.createdAt + 1000, token: 'b-host-token-of-24-chars', ok: false },
    {
      what: 'a game never ended, just before three days',
      state: null,
      now: game.createdAt + HOST_TOKEN_UNENDED_MS - 1,
      token,
      ok: true,
    },
    {
      what: 'a game never ended, three days on',
      state: null,
      now: game.createdAt + HOST_TOKEN_UNENDED_MS,
      token,
      ok: false,
    },
    {
      what: 'an ended game, a day minus a second later',
      state: ended(game.createdAt + 5000),
      now: game.createdAt + 5000 + HOST_TOKEN_AFTER_END_MS - 1000,
      token,
      ok: true,
    },
    {
      what: 'an ended game, a day later',
      state: ended(game.createdAt + 5000),
      now: game.createdAt + 5000 + HOST_TOKEN_AFTER_END_MS,
      token,
      ok: false,
    },
  ])('$what', ({ state, now, token: t, ok }) => {
    const run = () => checkHostToken(game, state, t, now);
    if (ok) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code: 'NOT_AUTHORISED' }));
  });
});

describe('checkHostToken after a takeover', () => {
  const first = 'a-host-token-of-24-chars';
  const second = 'b-host-token-of-24-chars';
  const game = { createdAt: 1_000_000, hostTokenHash: hashToken(first) };
  const state = { endedAt: null, hostTokenHash: hashToken(second) };
  it('refuses the token issued at creation and accepts the new one', () => {
    expect(() => checkHostToken(game, state, first, game.createdAt + 1000)).toThrow(
      expect.objectContaining({ code: 'NOT_AUTHORISED' }),
    );
    expect(() => checkHostToken(game, state, second, game.createdAt + 1000)).not.toThrow();
  });
});
