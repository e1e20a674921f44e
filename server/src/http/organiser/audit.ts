/** Organiser routes for the audit log: read a page, or download it all as CSV. Reading it is audited too. */
import express from 'express';
import { AuditQuery, type AuditPage } from '../../../../protocol/organiser';
import { GameError } from '../../errors';
import { AUDIT_CSV_COLUMNS, auditTable } from '../../organiser/audit';
import { toCsv } from '../../organiser/csv';
import type { OrganiserContext } from './deps';

export function auditRouter({ audit, actor }: OrganiserContext) {
  const router = express.Router();

  router.get('/audit', async (req, res) => {
    const q = AuditQuery.safeParse(req.query);
    if (!q.success) throw new GameError('BAD_REQUEST', 'after and limit (1–1000) are numbers');
    const entries = await audit.list(q.data.after, q.data.limit);
    await audit.record({
      actor,
      action: 'audit.read',
      ip: req.ip ?? null,
      detail: { after: q.data.after, count: entries.length },
    });
    // By seq, not by count: trimmed entries leave the first page starting past `after`.
    const page: AuditPage = { entries, next: entries.length === q.data.limit ? entries.at(-1)!.seq : null };
    res.json(page);
  });

  router.get('/audit.csv', async (req, res) => {
    const entries = await audit.all();
    await audit.record({
      actor,
      action: 'export',
      ip: req.ip ?? null,
      detail: { file: 'audit.csv', entries: entries.length },
    });
    res.attachment('nhat-ky.csv').send(toCsv(AUDIT_CSV_COLUMNS, auditTable(entries)));
  });

  return router;
}
