import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GameError } from '../errors';
import { errorHandler } from './error-handler';

describe(errorHandler.name, () => {
  const logged: object[] = [];
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
    app.get('/bug', () => {
      throw new Error('secret stack detail');
    });
    app.use(errorHandler({ error: (obj) => logged.push(obj) }));
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
    expect(await call(`/refused/${code}`)).toEqual({ status, body: { ok: false, error: { code, message: 'refused' } } });
  });

  it('adds the error’s extra fields beside error, and catches rejected async handlers', async () => {
    expect(await call('/refused/CONFLICT?extra=1')).toEqual({ status: 409, body: { ok: false, error: { code: 'CONFLICT', message: 'refused' }, ties: [1, 2] } });
    expect((await call('/async')).body.error.code).toBe('CONFLICT');
  });

  it('turns body-parser refusals into BAD_REQUEST and anything else into a logged INTERNAL without its message', async () => {
    const post = (body: string) => call('/json', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(await post('{nope')).toEqual({ status: 400, body: { ok: false, error: { code: 'BAD_REQUEST', message: 'malformed JSON' } } });
    expect(await post(JSON.stringify({ x: 'y'.repeat(2000) }))).toEqual({ status: 400, body: { ok: false, error: { code: 'BAD_REQUEST', message: 'body too large' } } });
    expect(logged).toHaveLength(0);
    expect(await call('/bug')).toEqual({ status: 500, body: { ok: false, error: { code: 'INTERNAL', message: 'internal error' } } });
    expect(logged).toHaveLength(1);
  });
});
