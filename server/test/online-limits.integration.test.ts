// Per-address limits of the online routes (per node, config ONLINE_*_PER_ADDRESS): a registration flood from one
// address is refused with RATE_LIMITED and stores nothing; another address is not affected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './start-server';

describe('online routes: limits per address', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer({
      contestsDir: 'server/test/online-contests',
      // The test's requests carry X-Forwarded-For from a trusted loopback proxy: each "address" is its own client.
      trustProxy: ['loopback'],
      onlineLimits: { registrationsPer10Min: 3, requestsPerMinute: 1000 },
    });
  });
  afterAll(() => server.close());

  const register = (address: string, n: number) =>
    fetch(`${server.url}/api/online/thi-thu/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({
        fullName: `Người thử ${n}`,
        phone: `0912 555 ${String(n).padStart(3, '0')}`,
        group: 'nguoi-dan',
        unit: 'don-vi-a',
        consent: true,
      }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { ok: boolean; error?: { code: string } } }));

  it('refuses the 4th registration from one address in 10 minutes, stores nothing for it, and lets another address register', async () => {
    for (let n = 1; n <= 3; n++) expect((await register('203.0.113.7', n)).status).toBe(201);
    const flood = await register('203.0.113.7', 4);
    expect({ status: flood.status, code: flood.body.error?.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(await server.app.onlineStore.registrations('thi-thu')).toBe(3);
    expect((await register('198.51.100.9', 5)).status).toBe(201);
    expect(await server.app.onlineStore.registrations('thi-thu')).toBe(4);
  });
});
