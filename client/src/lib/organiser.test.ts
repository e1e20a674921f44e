import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { organiser } from './organiser.svelte';

type Reply = { status: number; body: unknown } | 'offline';

/** A fetch that answers each call in turn and keeps the requests it saw. */
function serve(...replies: Reply[]) {
  const seen: { url: string; method: string; headers: Headers; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      seen.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers), body: init.body });
      const reply = replies.shift();
      if (!reply || reply === 'offline') throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify(reply.body), { status: reply.status });
    }),
  );
  return seen;
}

const TOKEN = 'organiser-token-0123456789';

describe('organiser', () => {
  beforeEach(() => organiser.logout());
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the session only when the server accepts the login', async () => {
    serve({ status: 401, body: { ok: false, error: { code: 'NOT_AUTHORISED', message: 'no' } } });
    const refused = await organiser.login('admin', 'wrong');
    expect(refused.ok || refused.error.code).toBe('NOT_AUTHORISED');
    expect(organiser.token).toBeNull();

    serve({ status: 200, body: { token: TOKEN } });
    expect((await organiser.login('admin', 'right')).ok).toBe(true);
    expect(organiser.token).toBe(TOKEN);
    expect(sessionStorage.getItem('cds:organiser')).toBe(TOKEN);
  });

  it('sends the session with every request, JSON bodies as JSON and files as bytes', async () => {
    serve({ status: 200, body: { token: TOKEN } });
    await organiser.login('admin', 'right');
    const file = new Blob(['xlsx']);
    const seen = serve({ status: 200, body: [] }, { status: 200, body: { ok: true } }, { status: 200, body: {} });
    await organiser.get('/api/contests');
    await organiser.post('/api/games/123456/practice', { practice: true });
    await organiser.upload('/api/contests/import', file);
    expect(seen.map((r) => [r.method, r.url, r.headers.get('authorization')])).toEqual([
      ['GET', '/api/contests', `Bearer ${TOKEN}`],
      ['POST', '/api/games/123456/practice', `Bearer ${TOKEN}`],
      ['POST', '/api/contests/import', `Bearer ${TOKEN}`],
    ]);
    expect(seen[1]!.headers.get('content-type')).toBe('application/json');
    expect(seen[1]!.body).toBe('{"practice":true}');
    expect(seen[2]!.headers.get('content-type')).toBe('application/octet-stream');
    expect(seen[2]!.body).toBe(file);
  });

  it('turns a refusal into its protocol code and keeps what the server added (ties)', async () => {
    serve({ status: 200, body: { token: TOKEN } });
    await organiser.login('admin', 'right');
    const ties = [{ names: ['An', 'Bình'] }];
    serve({ status: 409, body: { ok: false, error: { code: 'CONFLICT', message: 'ties' }, ties } });
    const res = await organiser.post('/api/results/game/123456/lock', { acceptTies: false });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error).toMatchObject({ code: 'CONFLICT', status: 409, body: { ties } });
    expect(organiser.token).toBe(TOKEN);
  });

  it('ends the session when the server refuses it, and reports a lost network as NETWORK', async () => {
    serve({ status: 200, body: { token: TOKEN } });
    await organiser.login('admin', 'right');
    serve('offline', {
      status: 401,
      body: { ok: false, error: { code: 'NOT_AUTHORISED', message: 'login required' } },
    });
    const offline = await organiser.get('/api/claims');
    expect(offline.ok || offline.error.code).toBe('NETWORK');
    expect(organiser.token).toBe(TOKEN);
    const expired = await organiser.download('/api/audit.csv', 'nhat-ky.csv');
    expect(expired.ok || expired.error.code).toBe('NOT_AUTHORISED');
    expect(organiser.token).toBeNull();
    expect(sessionStorage.getItem('cds:organiser')).toBeNull();
  });
});
