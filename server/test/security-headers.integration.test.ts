// Attack test: what a framing site, a sniffing browser and an uploaded SVG can do, and who may read /metrics.
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { startServer } from './start-server';
import { configFromEnv } from '../src/config';

const directives = (csp: string | null) =>
  new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );

describe('security headers', () => {
  it('sends a CSP the client works with, no framing, nosniff and no referrer on pages, API and media', async () => {
    const s = await startServer({ contestsDir: 'contests' });
    try {
      for (const path of ['/', '/host', '/play', '/api/games/123456', '/healthz']) {
        const res = await fetch(`${s.url}${path}`);
        const csp = directives(res.headers.get('content-security-policy'));
        expect(csp.get('script-src'), path).toEqual(["'self'"]);
        expect(csp.get('style-src'), path).toEqual(["'self'"]);
        expect(csp.get('img-src'), path).toEqual(["'self'", 'data:']);
        expect(csp.get('connect-src'), path).toEqual([
          "'self'",
          `ws://${new URL(s.url).host}`,
          `wss://${new URL(s.url).host}`,
        ]);
        expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
        expect(csp.get('object-src'), path).toEqual(["'none'"]);
        expect(csp.has('upgrade-insecure-requests'), `${path}: venues run plain http`).toBe(false);
        expect(res.headers.get('x-frame-options'), path).toBe('DENY');
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
        expect(res.headers.get('x-powered-by'), path).toBeNull();
      }
      // An uploaded or bundled SVG opened on its own is a sandboxed document without script.
      const svg = await fetch(`${s.url}/media/demo/tin-nhan.svg`);
      expect(svg.status).toBe(200);
      expect(svg.headers.get('content-type')).toMatch(/image\/svg\+xml/);
      expect(svg.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
      expect(svg.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await s.close();
    }
  });

  it('keeps a forged Host header out of the CSP', async () => {
    const s = await startServer({ contestsDir: 'contests' });
    try {
      const { request } = await import('node:http');
      const csp = await new Promise<string>((resolve, reject) => {
        const u = new URL(s.url);
        request(
          { host: u.hostname, port: u.port, path: '/healthz', headers: { host: "x; script-src 'unsafe-inline'" } },
          (res) => {
            res.resume();
            resolve(String(res.headers['content-security-policy']));
          },
        )
          .on('error', reject)
          .end();
      });
      expect(directives(csp).get('script-src')).toEqual(["'self'"]);
      expect(directives(csp).get('connect-src')).toEqual(["'self'"]);
    } finally {
      await s.close();
    }
  });
});

describe('/metrics', () => {
  async function serve(env: Record<string, string>) {
    const app = await createApp({
      config: {
        ...configFromEnv({
          HOST: '127.0.0.1',
          PORT: '0',
          ORGANISER_PASSWORD: 'a-long-password',
          LOG_LEVEL: 'silent',
          ...env,
        }),
      },
    });
    return { url: await app.listen(), close: () => app.close() };
  }

  it('is 404 with the production defaults', async () => {
    const s = await serve({});
    try {
      const res = await fetch(`${s.url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/cds_/);
    } finally {
      await s.close();
    }
  });

  it('is served with METRICS=on', async () => {
    const s = await serve({ METRICS: 'on' });
    try {
      const res = await fetch(`${s.url}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/cds_/);
    } finally {
      await s.close();
    }
  });

  it('asks for the bearer token when METRICS_TOKEN is set', async () => {
    const token = 'scrape-token-0123456789';
    const s = await serve({ METRICS_TOKEN: token });
    try {
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      expect(
        (await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status,
      ).toBe(401);
      const ok = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/cds_/);
    } finally {
      await s.close();
    }
  });
});
