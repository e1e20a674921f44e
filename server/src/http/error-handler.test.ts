import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GameError } from '../errors';
import { errorHandler, rejectMalformedPath } from './error-handler';

describe(errorHandler.name, () => {
  const logged: object[] = [];
  const debugged: object[] = [];
  let url = '';
  let close = () => {};
  beforeAll(async () => {
    const app = express();
    app.post('/json', express.json({ limit: '1kb' }), (_req, res) => res.json({ ok: true }));
    app.get('/refused/:code', (req) => {
      throw new GameError(req.params.code as never, 'refused', req.query.extra ? { ties: [1, 2] } : undefined);
    });
    app.get('/async', async () => {
      await Promise.resolve();
      throw new GameError('CONFLICT', 'later');
    });
    app.get('/param/:id', (req, res) => res.json({ id: req.params.id }));
    app.use('/static', rejectMalformedPath, express.static(import.meta.dirname));
    app.get('/limited', () => {
      throw new GameError('RATE_LIMITED', 'slow down', { retryAfterSec: 42 });
    });
    app.get('/bug', () => {
      throw new Error('secret stack detail');
    });
    app.use(errorHandler({ error: (obj) => logged.push(obj), debug: (obj) => debugged.push(obj) }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${url}${path}`, init);
    return { status: res.status, body: await res.json() };
  };

  it.each([
    ['BAD_REQUEST', 400],
    ['NOT_AUTHORISED', 401],
    ['GAME_NOT_FOUND', 404],
    ['NOT_FOUND', 404],
    ['CONTEST_NOT_FOUND', 404],
    ['WRONG_PHASE', 409],
    ['CONFLICT', 409],
    ['RESULTS_LOCKED', 409],
    ['RATE_LIMITED', 429],
    ['INTERNAL', 500],
  ])('answers %s with %i and the code', async (code, status) => {
    expect(await call(`/refused/${code}`)).toEqual({
      status,
      body: { ok: false, error: { code, message: 'refused' } },
    });
  });

  it('adds the error’s extra fields beside error, and catches rejected async handlers', async () => {
    expect(await call('/refused/CONFLICT?extra=1')).toEqual({
      status: 409,
      body: { ok: false, error: { code: 'CONFLICT', message: 'refused' }, ties: [1, 2] },
    });
    expect((await call('/async')).body.error.code).toBe('CONFLICT');
  });

  it('turns body-parser refusals into BAD_REQUEST and anything else into a logged INTERNAL without its message', async () => {
    const post = (body: string) =>
      call('/json', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(await post('{nope')).toEqual({
      status: 400,
      body: { ok: false, error: { code: 'BAD_REQUEST', message: 'malformed JSON' } },
    });
    expect(await post(JSON.stringify({ x: 'y'.repeat(2000) }))).toEqual({
      status: 413,
      body: { ok: false, error: { code: 'BAD_REQUEST', message: 'body too large' } },
    });
    expect(logged).toHaveLength(0);
    expect(await call('/bug')).toEqual({
      status: 500,
      body: { ok: false, error: { code: 'INTERNAL', message: 'internal error' } },
    });
    expect(logged).toHaveLength(1);
  });

  it.each([
    ['a path parameter that is not valid %-encoding', '/param/%E0%A4%A', {}],
    ['a static file path that is not valid %-encoding', '/static/%E0%A4%A', {}],
    [
      'an unsupported charset',
      '/json',
      { method: 'POST', headers: { 'content-type': 'application/json; charset=klingon' }, body: '{}' },
    ],
    [
      'an unsupported content encoding',
      '/json',
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'zstd-nope' }, body: '{}' },
    ],
  ] as const)('answers %s with 400 BAD_REQUEST, logged at debug only', async (_what, path, init) => {
    const before = { logged: logged.length, debugged: debugged.length };
    const r = await call(path, init as RequestInit);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(logged.length).toBe(before.logged);
    expect(debugged.length).toBe(before.debugged + 1);
  });

  it('sends Retry-After with a rate-limit refusal', async () => {
    const res = await fetch(`${url}/limited`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('42');
  });
});
