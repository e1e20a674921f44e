/** Organiser routes for games: the index, creating a game to host, marking one a rehearsal, taking one over. */
import express from 'express';
import type { ErrorCode } from '../../../../protocol/errors';
import { Pin } from '../../../../protocol/events';
import { CreateGameBody } from '../../../../protocol/http';
import { PracticeBody, TakeoverBody } from '../../../../protocol/organiser';
import { GameError } from '../../errors';
import { listGames } from '../../organiser/dashboard';
import type { OrganiserContext } from './deps';

export function gamesRouter({ store, games, registry, results, audit, log, actor }: OrganiserContext) {
  const router = express.Router();

  router.get('/games', async (req, res) => {
    res.json(await listGames(store, typeof req.query.contestId === 'string' ? req.query.contestId : undefined));
  });

  router.post('/games', async (req, res) => {
    const body = CreateGameBody.safeParse(req.body);
    if (!body.success) throw new GameError('BAD_REQUEST', 'contestId and roundId required');
    // A contest uploaded on another node a moment ago.
    if (!registry.all.has(body.data.contestId)) await registry.refresh();
    const created = await games.createGame(body.data.contestId, body.data.roundId, { practice: body.data.practice });
    log.info({ pin: created.pin, ip: req.ip }, 'game created by organiser');
    await audit.record({ actor, action: 'game.created', ip: req.ip, pin: created.pin, detail: body.data });
    res.status(201).json(created);
  });

  // A rehearsal or test game leaves the round's and the contest's results (its own results stay).
  router.post('/games/:pin/practice', async (req, res) => {
    const pin = Pin.safeParse(req.params.pin);
    const body = PracticeBody.safeParse(req.body);
    if (!pin.success || !body.success)
      throw new GameError('BAD_REQUEST', 'POST /api/games/<pin>/practice { practice: boolean }');
    const record = (outcome?: ErrorCode) =>
      audit.record({
        actor,
        action: 'game.practice',
        ip: req.ip ?? null,
        pin: pin.data,
        detail: { practice: body.data.practice },
        ...(outcome ? { outcome } : {}),
      });
    // A locked set never changes: a game inside one stays as it was locked.
    if (await store.organiser.isGameLocked(pin.data)) {
      await record('RESULTS_LOCKED');
      throw new GameError('RESULTS_LOCKED', 'this game is in locked results');
    }
    if (!(await store.organiser.setPractice(pin.data, body.data.practice))) {
      await record('GAME_NOT_FOUND');
      throw new GameError('GAME_NOT_FOUND', 'no such game');
    }
    await record();
    results.forget();
    res.json({ ok: true, practice: body.data.practice });
  });

  // Games not yet ended, for an organiser to take one over (a lost host tab). Not under /games: GET /games/:pin is public.
  router.get('/running-games', async (_req, res) => {
    res.json(await games.runningGames());
  });

  // A new host token for a running game; the consoles holding the old one are told they lost control.
  router.post('/games/:pin/takeover', async (req, res) => {
    const pin = Pin.safeParse(req.params.pin);
    const body = TakeoverBody.safeParse(req.body ?? {});
    if (!pin.success || !body.success)
      throw new GameError('BAD_REQUEST', 'POST /api/games/<pin>/takeover { reason?: string }');
    const record = (outcome?: ErrorCode) =>
      audit.record({
        actor,
        action: 'host.takeover',
        ip: req.ip ?? null,
        pin: pin.data,
        ...(body.data.reason ? { detail: { reason: body.data.reason } } : {}),
        ...(outcome ? { outcome } : {}),
      });
    try {
      const taken = await games.takeOverHost(pin.data);
      await record();
      log.info({ pin: pin.data, ip: req.ip }, 'game taken over by organiser');
      res.json(taken);
    } catch (err) {
      await record(err instanceof GameError ? err.code : 'INTERNAL');
      throw err;
    }
  });

  return router;
}
