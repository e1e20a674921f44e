/** Organiser routes for personal data: deleting a contestant's on request, and running the retention sweep now. */
import express from 'express';
import { PlayerId, Pin } from '../../../../protocol/events';
import { GameError } from '../../errors';
import type { OrganiserContext } from './deps';

export function personalDataRouter({ claims, audit, purgeExpired, actor }: OrganiserContext) {
  const router = express.Router();

  router.delete('/games/:pin/players/:playerId/personal-data', async (req, res) => {
    const pin = Pin.safeParse(req.params.pin);
    const playerId = PlayerId.safeParse(req.params.playerId);
    if (!pin.success || !playerId.success) throw new GameError('BAD_REQUEST', 'malformed PIN or player id');
    res.json(await claims.deletePersonalData(pin.data, playerId.data, actor, req.ip ?? null));
  });

  // The sweep also runs hourly on every node; this runs it now (e.g. right after changing a retention period).
  router.post('/retention/purge', async (req, res) => {
    const report = await purgeExpired();
    await audit.record({
      actor,
      action: 'retention.purge',
      ip: req.ip ?? null,
      detail: { games: report.games.length, players: report.players },
    });
    res.json(report);
  });

  return router;
}
