// What a hostile phone does to the HTTP edge: guessing the organiser password from many addresses, walking the
// PIN space, flooding the audit log with junk host attaches, replaying host tokens from URLs, and keeping a
// session after logout. Each test is an attack that succeeded before the hardening.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../protocol/organiser';
import { hashToken } from '../src/auth';
import { initialState } from '../src/game/state';
import { HOST_TOKEN_AFTER_END_MS, HOST_TOKEN_UNENDED_MS } from '../src/host-token';
import { createGame, login, TestClient } from './clients';
import { testServers } from './servers';

const start = testServers('hardening', 'server/test/contests');

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** 203.0.113.x: addresses a client "forwards" from, believed only when the peer is a trusted proxy. */
const forged = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i % 250}` });

describe('organiser login limits', () => {
  it('stops a guesser who rotates X-Forwarded-For through a trusted proxy: 10 failures per user name, then 429', async () => {
    const s = await start('memory', { trustProxy: ['loopback'] });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await post(`${s.url}/api/login`, { username: 'admin', password: `guess-${i}` }, forged(i))).status,
      );
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    // Even the right password, from a fresh address: the name is shut for the window.
    const right = await post(`${s.url}/api/login`, { username: 'admin', password: s.organiserPassword }, forged(99));
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(60);
    // Another name is not affected by the first one's lock.
    expect((await post(`${s.url}/api/login`, { username: 'someone', password: 'x' }, forged(100))).status).toBe(401);
  });

  it('without a trusted proxy the forged header is ignored and the per-address limit stops the same attack', async () => {
    const s = await start('memory', { trustProxy: [] });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await post(`${s.url}/api/login`, { username: `name-${i}`, password: 'x' }, forged(i))).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
  });

  it('never keeps what was typed as the user name: a password typed in the wrong field stays out of the audit log', async () => {
    const s = await start('memory');
    await post(`${s.url}/api/login`, { username: 'Hunter2-my-password', password: 'x' }, forged(1));
    await post(`${s.url}/api/login`, { username: 'admin', password: 'wrong' }, forged(2));
    const token = await login(s.url, s.organiserPassword);
    const entries = (
      await (await fetch(`${s.url}/api/audit`, { headers: { authorization: `Bearer ${token}` } })).json()
    ).entries as AuditEntry[];
    expect(JSON.stringify(entries)).not.toContain('Hunter2');
    expect(entries.filter((e) => e.action === 'login.refused').map((e) => e.detail)).toEqual([
      { knownUser: false },
      { knownUser: true },
    ]);
  });
});

describe('PIN enumeration', () => {
  it('refuses most of 1,000 random-PIN lookups from one address while a known PIN from another address still works', async () => {
    const s = await start('memory');
    const token = await login(s.url, s.organiserPassword);
    const { pin } = await createGame(s.url, token, 'quick', 'toc-do');
    let seed = 7;
    const nextPin = () => String(100000 + ((seed = (seed * 48271) % 2147483647) % 900000));
    const counts: Record<number, number> = {};
    let retryAfter = '';
    for (let batch = 0; batch < 50; batch++) {
      const replies = await Promise.all(
        Array.from({ length: 20 }, () => fetch(`${s.url}/api/games/${nextPin()}`, { headers: forged(1) })),
      );
      for (const r of replies) {
        counts[r.status] = (counts[r.status] ?? 0) + 1;
        if (r.status === 429) {
          retryAfter = r.headers.get('retry-after') ?? '';
          expect((await r.json()).error.code).toBe('RATE_LIMITED');
        } else await r.arrayBuffer();
      }
    }
    expect(counts[404]).toBeLessThanOrEqual(30);
    expect(counts[429]).toBeGreaterThanOrEqual(960);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The flooded address is refused even for a PIN that exists; the hall next door is not.
    expect((await fetch(`${s.url}/api/games/${pin}`, { headers: forged(1) })).status).toBe(429);
    const other = await fetch(`${s.url}/api/games/${pin}`, { headers: forged(2) });
    expect(other.status).toBe(200);
    expect((await other.json()).pin).toBe(pin);
  });

  it('counts unknown PINs on the sockets too: joins and screen attaches cannot walk the PINs', async () => {
    const s = await start('memory');
    const { pin } = await createGame(s.url, await login(s.url, s.organiserPassword), 'quick', 'toc-do');
    const clients = Array.from({ length: 40 }, () => new TestClient(s.url, '/play'));
    await Promise.all(clients.map((c) => c.connected()));
    const codes: string[] = [];
    for (const [i, c] of clients.entries()) {
      const reply = (await c.emit('player:join', {
        pin: String(200000 + i * 7919),
        nickname: `Dò ${i}`,
        group: 'nguoi-dan',
        consent: true,
      })) as { ok: boolean; error?: { code: string } };
      codes.push(reply.ok ? 'ok' : reply.error!.code);
    }
    expect(codes.filter((c) => c === 'GAME_NOT_FOUND')).toHaveLength(30);
    expect(codes.slice(30)).toEqual(Array(10).fill('RATE_LIMITED'));
    // The same address is now refused even for the real game, on the projector's socket as on the REST lookup.
    const screen = await new TestClient(s.url, '/screen').connected();
    expect(await screen.emit('screen:attach', { pin })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    // Another address (through the trusted proxy) still finds it.
    expect((await fetch(`${s.url}/api/games/${pin}`, { headers: forged(5) })).status).toBe(200);
    for (const c of [...clients, screen]) c.close();
  });

  it('lets a 1,000-phone hall behind one NAT look its game up within the same minute', async () => {
    const s = await start('memory');
    const { pin } = await createGame(s.url, await login(s.url, s.organiserPassword), 'quick', 'toc-do');
    const replies = await Promise.all(
      Array.from({ length: 1000 }, () =>
        fetch(`${s.url}/api/games/${pin}`, { headers: forged(3) }).then((r) => r.status),
      ),
    );
    expect(new Set(replies)).toEqual(new Set([200]));
  });
});

describe('audit log under junk host attaches', () => {
  it('1,000 junk host attaches from one address leave a handful of entries that still count them all', async () => {
    const s = await start('memory');
    const token = await login(s.url, s.organiserPassword);
    const { pin } = await createGame(s.url, token, 'quick', 'toc-do');
    const before = (await s.app.audit.all()).length;
    // Five attaches per connection stays under the per-socket limit, so every one reaches the audit log.
    const sockets = await Promise.all(Array.from({ length: 200 }, () => new TestClient(s.url, '/host').connected()));
    const acks = await Promise.all(
      sockets.flatMap((c, i) =>
        Array.from({ length: 5 }, (_, j) =>
          c.emit('host:attach', {
            pin: (i + j) % 2 ? pin : String(100000 + i * 5 + j),
            hostToken: `junk-token-${i}-${j}-xxxxxxxx`,
          }),
        ),
      ),
    );
    for (const c of sockets) c.close();
    expect(acks.every((a) => !a.ok)).toBe(true);
    await s.app.audit.flush();
    const added = (await s.app.audit.all()).slice(before).filter((e) => e.action === 'host.attach');
    // Three outcomes (a wrong token; an unknown PIN; past 30 unknown PINs, the address is refused), each at most a
    // first entry and one summing up its repeats.
    expect(added.length).toBeLessThanOrEqual(6);
    expect(added.reduce((n, e) => n + ((e.detail?.repeated as number | undefined) ?? 1), 0)).toBe(1000);
    expect(new Set(added.map((e) => e.outcome))).toEqual(new Set(['NOT_AUTHORISED', 'GAME_NOT_FOUND', 'RATE_LIMITED']));
  });
});

describe('host tokens', () => {
  it('download results with the token in the Authorization header; a ?hostToken= URL is refused', async () => {
    const s = await start('memory');
    const { pin, hostToken } = await createGame(s.url, await login(s.url, s.organiserPassword), 'quick', 'toc-do');
    const withHeader = await fetch(`${s.url}/api/games/${pin}/results.csv`, {
      headers: { authorization: `Bearer ${hostToken}` },
    });
    expect(withHeader.status).toBe(200);
    expect(withHeader.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const inUrl = await fetch(`${s.url}/api/games/${pin}/results.csv?hostToken=${hostToken}`);
    expect(inUrl.status).toBe(401);
    expect((await inUrl.json()).error.code).toBe('NOT_AUTHORISED');
    expect(
      (
        await fetch(`${s.url}/api/games/${pin}/results.json`, {
          headers: { authorization: 'Bearer wrong-token-wrong-token' },
        })
      ).status,
    ).toBe(401);
  });

  it('expire a day after the game ended, or three days after it was created if it never ended', async () => {
    const s = await start('memory');
    const { pin, hostToken } = await createGame(s.url, await login(s.url, s.organiserPassword), 'quick', 'toc-do');
    const game = (await s.app.store.getGame(pin))!;
    const now = await s.app.store.now();
    const copies = [
      { pin: '100001', createdAt: now - HOST_TOKEN_UNENDED_MS - 1000, endedAt: null, works: false },
      { pin: '100002', createdAt: now - HOST_TOKEN_UNENDED_MS + 60_000, endedAt: null, works: true },
      {
        pin: '100003',
        createdAt: now - 2 * HOST_TOKEN_AFTER_END_MS,
        endedAt: now - HOST_TOKEN_AFTER_END_MS - 1000,
        works: false,
      },
      {
        pin: '100004',
        createdAt: now - 2 * HOST_TOKEN_AFTER_END_MS,
        endedAt: now - HOST_TOKEN_AFTER_END_MS + 60_000,
        works: true,
      },
    ];
    for (const c of copies) {
      await s.app.store.createGame(
        { ...game, pin: c.pin, createdAt: c.createdAt, hostTokenHash: hashToken(hostToken) },
        { ...initialState(), ...(c.endedAt ? { phase: 'ended', endedAt: c.endedAt } : {}) },
      );
      const download = await fetch(`${s.url}/api/games/${c.pin}/results.json`, {
        headers: { authorization: `Bearer ${hostToken}` },
      });
      expect(download.status, c.pin).toBe(c.works ? 200 : 401);
      const host = await new TestClient(s.url, '/host').connected();
      const ack = await host.emit('host:attach', { pin: c.pin, hostToken });
      host.close();
      expect(ack.ok ? 'ok' : ack.error.code, c.pin).toBe(c.works ? 'ok' : 'NOT_AUTHORISED');
    }
  });

  it('never appear in a URL the client builds', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)],
      );
    const offenders = files('client/src').filter(
      (f) => /\.(ts|svelte)$/.test(f) && /[?&]hostToken=/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

describe('organiser logout', () => {
  it('ends the session on the server: the token is refused afterwards', async () => {
    const s = await start('redis');
    const token = await login(s.url, s.organiserPassword);
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${s.url}/api/games`, { headers: auth })).status).toBe(200);
    const out = await post(`${s.url}/api/session/logout`, {}, auth);
    expect(out.status).toBe(200);
    expect((await fetch(`${s.url}/api/games`, { headers: auth })).status).toBe(401);
    // Twice is fine; without a token it is a bad request.
    expect((await post(`${s.url}/api/session/logout`, {}, auth)).status).toBe(200);
    expect((await post(`${s.url}/api/session/logout`, {})).status).toBe(400);
  });
});

describe('malformed requests', () => {
  let shared: ReturnType<typeof start> | undefined;
  it.each([
    ['bad %-encoding in an API path', 'GET', '/api/games/%E0%A4%A', {}, undefined, 400],
    ['bad %-encoding in a static file path', 'GET', '/assets/%E0%A4%A.js', {}, undefined, 400],
    ['bad %-encoding in a media path', 'GET', '/media/quick/%E0%A4%A.png', {}, undefined, 400],
    [
      'an unsupported charset',
      'POST',
      '/api/login',
      { 'content-type': 'application/json; charset=x-klingon' },
      '{}',
      400,
    ],
    ['malformed JSON', 'POST', '/api/login', { 'content-type': 'application/json' }, '{"username":', 400],
    [
      'an oversized body',
      'POST',
      '/api/login',
      { 'content-type': 'application/json' },
      JSON.stringify({ username: 'x'.repeat(200_000) }),
      413,
    ],
    ['an unknown page', 'GET', '/no/such/page', {}, undefined, 404],
  ] as const)('%s gets %i with a JSON error, not a 500', async (_what, method, p, headers, body, status) => {
    const s = await (shared ??= start('memory'));
    const res = await fetch(`${s.url}${p}`, { method, headers, body });
    expect(res.status).toBe(status);
    expect((await res.json()).ok).toBe(false);
  });
});
