/**
 * Organiser routes for contests: the list to host from, contests as spreadsheets (the template to fill in, any
 * contest as a workbook to edit, the upload) and removing an upload nobody played yet.
 */
import express from 'express';
import { Slug } from '../../../../protocol/contest';
import type { ErrorCode } from '../../../../protocol/errors';
import type { ContestImportProblem, ContestImportResult, ContestSummary } from '../../../../protocol/http';
import { buildRound } from '../../game/round';
import {
  contestTemplateWorkbook,
  exportContestWorkbook,
  importContestWorkbookInWorker,
  WORKBOOK_LIMITS,
} from '../../contests/spreadsheet';
import { GameError } from '../../errors';
import type { OrganiserContext } from './deps';

export function contestsRouter({ store, registry, audit, actor }: OrganiserContext) {
  const router = express.Router();

  router.get('/contests', async (_req, res) => {
    await registry.refresh();
    const list: ContestSummary[] = [...registry.all.values()].map((c) => {
      const upload = registry.uploadInfo(c.id);
      return {
        id: c.id,
        title: c.title,
        organiser: c.organiser,
        source: upload ? 'uploaded' : 'bundled',
        ...(upload ? { uploadedAt: upload.uploadedAt } : {}),
        rounds: c.rounds.map((r) => ({
          id: r.id,
          title: r.title,
          mode: r.mode,
          scoring: r.scoring,
          questions: buildRound(c, r.id, () => 0)?.questions.length ?? 0,
          ...(r.online?.qualifiers ? { qualifiers: { ...r.online.qualifiers } } : {}),
        })),
      };
    });
    res.json(list);
  });

  // attachment() sets the content type from the file name (.xlsx: the OOXML spreadsheet type).
  // Built once: the same file every time, and building it holds the event loop for a good part of a second.
  let template: Promise<Buffer> | undefined;
  router.get('/contest-template.xlsx', async (_req, res) => {
    template ??= contestTemplateWorkbook().catch((err: unknown) => {
      template = undefined;
      throw err;
    });
    res.attachment('mau-cuoc-thi.xlsx').send(await template);
  });
  router.get('/contests/:file', async (req, res) => {
    const m = /^([a-z0-9][a-z0-9-]{0,63})\.xlsx$/.exec(String(req.params.file));
    const contest = m ? registry.all.get(m[1]!) : undefined;
    if (!contest) throw new GameError('CONTEST_NOT_FOUND', 'GET /api/contests/<contestId>.xlsx of a known contest');
    res.attachment(`${contest.id}.xlsx`).send(await exportContestWorkbook(contest));
  });

  router.post(
    '/contests/import',
    express.raw({ type: () => true, limit: WORKBOOK_LIMITS.maxBytes }),
    async (req, res) => {
      const ip = req.ip ?? null;
      // 422, not an error thrown: the answer is the list of located problems the organiser fixes in the file.
      const refuse = async (problems: ContestImportProblem[]) => {
        await audit.record({
          actor,
          action: 'contest.upload',
          ip,
          outcome: 'BAD_REQUEST',
          detail: { problems: problems.length, first: problems[0]?.message.slice(0, 200) ?? null },
        });
        res.status(422).json({
          ok: false,
          error: { code: 'BAD_REQUEST', message: `${problems.length} lỗi trong tệp` },
          problems: problems.slice(0, 200),
        });
      };
      if (!Buffer.isBuffer(req.body) || !req.body.length)
        return refuse([{ sheet: '', row: 0, column: '', message: 'gửi tệp .xlsx làm nội dung yêu cầu' }]);
      const imported = await importContestWorkbookInWorker(req.body);
      if (!imported.ok) return refuse(imported.problems);
      const saved = await registry.upload(imported.contest, actor, Date.now());
      if (!saved.ok) return refuse([{ sheet: '', row: 0, column: 'id', message: saved.message }]);
      const c = imported.contest;
      await audit.record({
        actor,
        action: 'contest.upload',
        ip,
        detail: { contestId: c.id, replaced: saved.replaced, questions: c.questions.length },
      });
      const result: ContestImportResult = {
        ok: true,
        contest: { id: c.id, title: c.title, questions: c.questions.length, rounds: c.rounds.length },
        replaced: saved.replaced,
      };
      res.json(result);
    },
  );

  // Only an upload nobody played yet can go: results, exports and locks of its games need it.
  router.delete('/contests/:id', async (req, res) => {
    const id = Slug.safeParse(req.params.id);
    if (!id.success) throw new GameError('BAD_REQUEST', 'malformed contest id');
    const refuse = async (code: ErrorCode, message: string) => {
      await audit.record({
        actor,
        action: 'contest.delete',
        ip: req.ip ?? null,
        outcome: code,
        detail: { contestId: id.data },
      });
      return new GameError(code, message);
    };
    const source = registry.source(id.data);
    if (!source) throw await refuse('CONTEST_NOT_FOUND', 'no such contest');
    if (source === 'bundled')
      throw await refuse('CONFLICT', 'a bundled contest is removed from CONTESTS_DIR, not here');
    const games = await store.organiser.listGames(id.data);
    if (games.length)
      throw await refuse('CONFLICT', `${games.length} game(s) were created for this contest: its results need it`);
    await registry.remove(id.data);
    await audit.record({ actor, action: 'contest.delete', ip: req.ip ?? null, detail: { contestId: id.data } });
    res.json({ ok: true });
  });

  return router;
}
