/** Organiser route listing suspicious activity in a contest's online rounds (read-only; the reading is audited). */
import express from 'express';
import { Slug } from '../../../../protocol/contest';
import { SuspiciousQuery } from '../../../../protocol/online';
import { GameError } from '../../errors';
import type { OrganiserContext } from './deps';

export function onlineReviewRouter({ online, audit, actor }: OrganiserContext) {
  const router = express.Router();
  if (!online) return router;
  router.get('/online-review/:contestId/suspicious', async (req, res) => {
    const contestId = Slug.safeParse(req.params.contestId);
    const query = SuspiciousQuery.safeParse(req.query);
    if (!contestId.success || !query.success) throw new GameError('BAD_REQUEST', 'malformed contest id or thresholds');
    const report = await online.suspicious(contestId.data, query.data);
    await audit.record({
      actor,
      action: 'export',
      ip: req.ip ?? null,
      detail: { file: `suspicious-${contestId.data}.json` },
    });
    res.json(report);
  });
  return router;
}
