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

export function resultsRouter({ results, actor }: OrganiserContext) {
  const router = express.Router();

  router.get('/dashboard/:contestId', async (req, res) => {
    const contestId = Slug.safeParse(req.params.contestId);
    if (!contestId.success) throw new GameError('BAD_REQUEST', 'malformed contest id');
    res.json(await results.dashboard(contestId.data));
  });

  for (const { path, parse } of RESULT_SCOPES) {
    // A whole online round's set is ~100 MB of JSON: written in slices (result-json.ts), not one JSON.stringify.
    router.get(path, async (req, res) => {
      await sendJsonInSlices(res, await results.get(scopeOf(req, parse)));
    });
    // What a lock would name (or named): winners by tier, ties at a cut, who was passed over and why.
    router.get(`${path}/prizes`, async (req, res) => {
      res.json(await results.preview(scopeOf(req, parse)));
    });
    // A sudden-death playoff for a tie at a prize cut: answers the new preview.
    router.post(`${path}/playoff`, express.json({ limit: '8kb' }), async (req, res) => {
      const body = PlayoffBody.safeParse(req.body);
      if (!body.success) throw new GameError('BAD_REQUEST', '{ ranking, members: ["pin:playerId", …], pin }');
      res.json(await results.recordPlayoff(scopeOf(req, parse), body.data, { actor, ip: req.ip ?? null }));
    });
    // A refused lock answers with its code; a tie at a prize cut also lists the ties to review.
    router.post(`${path}/lock`, express.json({ limit: '4kb' }), async (req, res) => {
      const body = LockBody.safeParse(req.body ?? {});
      if (!body.success) throw new GameError('BAD_REQUEST', '{ acceptTies?: boolean, previewDigest?: sha256 hex }');
      const { acceptTies, previewDigest } = body.data;
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

/** res.json(value), streamed: the text is made in slices that yield to the event loop. */
async function sendJsonInSlices(res: Response, value: unknown) {
  res.type('json');
  await pipeline(Readable.from(jsonPieces(value)), res);
}
