// Attack test: one address opens many half-open TCP connections (connected, never a byte sent).
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer } from './start-server';

/** GET /healthz from another loopback address (127.0.0.2), timed. */
function healthz(url: string): Promise<{ status: number; ms: number }> {
  const u = new URL(url);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    request({ host: u.hostname, port: u.port, path: '/healthz', localAddress: '127.0.0.2', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
    })
      .on('error', reject)
      .end();
  });
}

/** Opens a raw TCP connection and resolves once it is established; records when the server closes it. */
function halfOpen(url: string, closed: Set<Socket>): Promise<Socket> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port) });
    socket.resume(); // read (and drop) what the server sends, so its close is seen
    socket.on('close', () => closed.add(socket));
    socket.on('error', () => closed.add(socket));
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('connection cap per address', () => {
  it('refuses connections past the cap from one address and keeps /healthz answering for others', async () => {
    const CAP = 40;
    // No trusted proxy: 127.0.0.1 is an ordinary client here.
    const s = await startServer({ maxConnectionsPerAddress: CAP, trustProxy: [] });
    const closed = new Set<Socket>();
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < CAP + 20; i++) sockets.push(await halfOpen(s.url, closed));
      // The excess is closed by the server at once; the first CAP stay open.
      await expect.poll(() => closed.size, { timeout: 2000 }).toBe(20);
      expect(sockets.slice(0, CAP).every((x) => !closed.has(x))).toBe(true);
      // Another address is served at once while they are held (median of 5, on a shared machine).
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const h = await healthz(s.url);
        expect(h.status).toBe(200);
        times.push(h.ms);
      }
      expect(times.sort((a, b) => a - b)[2]).toBeLessThan(100);
      // A fresh connection from the capped address is refused too.
      const extra = await halfOpen(s.url, closed);
      await expect.poll(() => closed.has(extra), { timeout: 2000 }).toBe(true);
    } finally {
      for (const x of sockets) x.destroy();
      await s.close();
    }
  });

  it('drops connections that never send their headers', async () => {
    const s = await startServer({ trustProxy: [] });
    expect(s.app.httpServer.headersTimeout).toBe(10_000);
    s.app.httpServer.headersTimeout = 1000; // shortened for the test
    const closed = new Set<Socket>();
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 10; i++) sockets.push(await halfOpen(s.url, closed));
      // One also trickles a partial request line.
      sockets[0]!.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      // headers timeout 1 s, checked every 2 s.
      await expect.poll(() => closed.size, { timeout: 6000, interval: 200 }).toBe(10);
    } finally {
      for (const x of sockets) x.destroy();
      await s.close();
    }
  });
});
