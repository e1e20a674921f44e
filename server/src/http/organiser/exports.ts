/**
 * Organiser routes for downloads: a scope's results as CSV tables or one workbook (with the lock's SHA-256 when
 * locked), and a contest's report workbook. Every download is audited. attachment() sets the content type from
 * the file name (.csv: UTF-8 text/csv; .xlsx: the OOXML spreadsheet type).
 */
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import express from 'express';
import { GameError } from '../../errors';
import {
  EXPORT_TABLES,
  reportWorkbook,
  resultSetCsv,
  writeResultSetWorkbook,
  type ExportTable,
} from '../../organiser/exports';
import { scopeKey } from '../../organiser/results';
import type { OrganiserContext } from './deps';
import { RESULT_SCOPES, scopeOf } from './scopes';

export function exportsRouter({ results, resultsThread, audit, actor }: OrganiserContext) {
  const router = express.Router();

  router.get('/report/:contestId', async (req, res) => {
    const m = /^([a-z0-9][a-z0-9-]{0,63})\.xlsx$/.exec(String(req.params.contestId));
    if (!m) throw new GameError('BAD_REQUEST', 'GET /api/report/<contestId>.xlsx');
    const dashboard = await results.dashboard(m[1]!);
    await audit.record({ actor, action: 'export', ip: req.ip ?? null, detail: { file: `report-${m[1]}.xlsx` } });
    res.attachment(`bao-cao-${m[1]}.xlsx`).send(await reportWorkbook(dashboard));
  });

  for (const { path, parse } of RESULT_SCOPES) {
    router.get(`${path}/:file`, async (req, res, next) => {
      const m = /^(\w+)\.(csv|xlsx)$/.exec(String(req.params.file));
      const table = m?.[1] as ExportTable | 'answers' | 'workbook' | undefined;
      if (
        !m ||
        !(table === 'workbook'
          ? m[2] === 'xlsx'
          : m[2] === 'csv' && (table === 'answers' || EXPORT_TABLES.includes(table as ExportTable)))
      )
        return next();
      const scope = scopeOf(req, parse);
      const name = `ket-qua-${scopeKey(scope).replace(/:/g, '-')}-${m[1]}.${m[2]}`;
      const exported = async (sha256: string | null) => {
        await audit.record({
          actor,
          action: 'export',
          ip: req.ip ?? null,
          ...(scope.kind === 'game' ? { pin: scope.pin } : {}),
          detail: { scope: scopeKey(scope), file: String(req.params.file), sha256 },
        });
        if (sha256) res.setHeader('X-Result-Sha256', sha256);
        res.attachment(name);
      };
      // Streamed as it is made: a whole online round's answers are 2,000,000 rows, never held or built whole.
      // A failure past the first bytes can only cut the download short (the status has gone): it is logged.
      if (resultsThread) {
        // Made in the results worker: this thread only passes its bytes on (results-thread.ts).
        const { head, body } = await resultsThread.run({ kind: 'export', scope, table: table! });
        // A body nobody reads would hold its worker (and its turn) for good.
        await exported(head.lock?.sha256 ?? null).catch((err: unknown) => {
          body.destroy();
          throw err;
        });
        await pipeline(body, res);
        return;
      }
      const set = await results.get(scope);
      await exported(set.lock?.sha256 ?? null);
      const answers = table === 'answers' || table === 'workbook' ? results.answerPages(scope) : [];
      if (m[2] === 'csv')
        await pipeline(Readable.from(resultSetCsv(set, table as ExportTable | 'answers', answers)), res);
      else {
        await writeResultSetWorkbook(set, answers, res);
        await finished(res);
      }
    });
  }

  return router;
}
