/** Organiser routes for results: the contest dashboard, each scope's result set, and locking it. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Response } from 'express';
import { Slug } from '../../../../protocol/contest';
import { LockBody, PlayoffBody } from '../../../../protocol/organiser';
import { GameError } from '../../errors';
import { jsonPieces } from '../../organiser/result-json';
import type { OrganiserContext } from './deps';
import { RESULT_SCOPES, scopeOf } from './scopes';

export function resultsRouter({ results, resultsThread, actor }: OrganiserContext) {
  const router = express.Router();

  router.get('/dashboard/:contestId', async (req, res) => {
    const contestId = Slug.safeParse(req.params.contestId);
    if (!contestId.success) throw new GameError('BAD_REQUEST', 'malformed contest id');
    res.json(await results.dashboard(contestId.data));
  });

  for (const { path, parse } of RESULT_SCOPES) {
    // A whole online round's set is ~100 MB of JSON: written in slices (result-json.ts), not one JSON.stringify.
    router.get(path, async (req, res) => {
      const scope = scopeOf(req, parse);
      if (resultsThread) return sendFromThread(res, await resultsThread.run({ kind: 'set', scope }));
      await sendJsonInSlices(res, await results.get(scope));
    });
    // What a lock would name (or named): winners by tier, ties at a cut, who was passed over and why.
    router.get(`${path}/prizes`, async (req, res) => {
      const scope = scopeOf(req, parse);
      if (resultsThread) return sendFromThread(res, await resultsThread.run({ kind: 'prizes', scope }));
      res.json(await results.preview(scope));
    });
    // A sudden-death playoff for a tie at a prize cut: answers the new preview.
    router.post(`${path}/playoff`, express.json({ limit: '8kb' }), async (req, res) => {
      const body = PlayoffBody.safeParse(req.body);
      if (!body.success) throw new GameError('BAD_REQUEST', '{ ranking, members: ["pin:playerId", …], pin }');
      if (resultsThread) {
        const recorded = await resultsThread.run({
          kind: 'playoff',
          scope: scopeOf(req, parse),
          body: body.data,
          actor,
          ip: req.ip ?? null,
        });
        // The next dashboard poll ranks with the playoff (the worker's own cache went with it).
        results.forget();
        return sendFromThread(res, recorded);
      }
      res.json(await results.recordPlayoff(scopeOf(req, parse), body.data, { actor, ip: req.ip ?? null }));
    });
    // A refused lock answers with its code; a tie at a prize cut also lists the ties to review.
    router.post(`${path}/lock`, express.json({ limit: '4kb' }), async (req, res) => {
      const body = LockBody.safeParse(req.body ?? {});
      if (!body.success) throw new GameError('BAD_REQUEST', '{ acceptTies?: boolean, previewDigest?: sha256 hex }');
      const { acceptTies, previewDigest } = body.data;
      if (resultsThread) {
        const locked = await resultsThread.run({
          kind: 'lock',
          scope: scopeOf(req, parse),
          acceptTies,
          ...(previewDigest ? { previewDigest } : {}),
          actor,
          ip: req.ip ?? null,
        });
        // The next dashboard poll shows the lock at once (the worker's own cache went with it).
        results.forget();
        return sendFromThread(res, locked);
      }
      await sendJsonInSlices(
        res,
        await results.lock(scopeOf(req, parse), {
          acceptTies,
          ...(previewDigest ? { previewDigest } : {}),
          actor,
          ip: req.ip ?? null,
        }),
      );
    });
  }

  return router;
}

/** The JSON the results worker makes, passed on as it comes. */
async function sendFromThread(res: Response, { body }: { body: Readable }) {
  res.type('json');
  await pipeline(body, res);
}

/** res.json(value), streamed: the text is made in slices that yield to the event loop. */
async function sendJsonInSlices(res: Response, value: unknown) {
  res.type('json');
  await pipeline(Readable.from(jsonPieces(value)), res);
}
