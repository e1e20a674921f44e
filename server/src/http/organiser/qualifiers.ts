/**
 * Organiser routes for online rounds' qualifiers: issue the invitation codes of a locked round's qualifiers
 * (audited), list them as JSON, export them as CSV.
 */
import express, { type Request } from 'express';
import { Slug, TARGET_GROUP_LABELS_VI } from '../../../../protocol/contest';
import { GameError } from '../../errors';
import { toCsv } from '../../organiser/csv';
import type { OrganiserContext } from './deps';

const roundOf = (req: Request) => {
  const contestId = Slug.safeParse(req.params.contestId);
  const roundId = Slug.safeParse(req.params.roundId);
  if (!contestId.success || !roundId.success) throw new GameError('BAD_REQUEST', 'malformed contest or round id');
  return { contestId: contestId.data, roundId: roundId.data };
};

export function qualifiersRouter({ invitations, audit, actor }: OrganiserContext) {
  const router = express.Router();
  if (!invitations) return router;
  const path = '/qualifiers/:contestId/:roundId';

  router.post(path, async (req, res) => {
    const { contestId, roundId } = roundOf(req);
    try {
      const list = await invitations.issue(contestId, roundId);
      await audit.record({
        actor,
        action: 'qualifiers.issued',
        ip: req.ip ?? null,
        detail: { contestId, roundId, invitations: list.length },
      });
      res.json(list);
    } catch (err) {
      const code = err instanceof GameError ? err.code : 'INTERNAL';
      await audit.record({
        actor,
        action: 'qualifiers.issued',
        ip: req.ip ?? null,
        outcome: code,
        detail: { contestId, roundId },
      });
      throw err;
    }
  });
  router.get(path, async (req, res) => {
    const { contestId, roundId } = roundOf(req);
    res.json(await invitations.list(contestId, roundId));
  });
  router.get(`${path}/invitations.csv`, async (req, res) => {
    const { contestId, roundId } = roundOf(req);
    const list = await invitations.list(contestId, roundId);
    const file = `moi-du-thi-${contestId}-${roundId}.csv`;
    await audit.record({ actor, action: 'export', ip: req.ip ?? null, detail: { file } });
    res.attachment(file).send(
      toCsv(
        ['Mã mời', 'Họ tên', 'Đối tượng', 'Đơn vị', 'Lọt vào theo', 'Hạng', 'Mã thí sinh'],
        list.map((i) => [
          i.code,
          i.fullName,
          TARGET_GROUP_LABELS_VI[i.group],
          i.unit,
          i.via === 'overall' ? 'toàn cuộc thi' : 'nhóm đối tượng',
          i.rank,
          i.contestantId,
        ]),
      ),
    );
  });
  return router;
}
