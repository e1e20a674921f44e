import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ContestImportProblem, ContestImportResult, ContestSummary } from '../../protocol/http';
import type { AuditPage } from '../../protocol/organiser';
import { loadContests } from '../src/contests/load';
import { exportContestWorkbook } from '../src/contests/spreadsheet';
import { createGame, login } from './clients';
import { testPrefix } from './helpers';
import { testServers, type Mode } from './servers';

const CONTESTS = 'server/test/organiser-contests';
const server = testServers('upload', CONTESTS);

describe.each<Mode>(['memory', 'redis'])('organisers upload a contest as a spreadsheet (%s store)', (mode) => {
  it('saves a valid workbook for every node, replaces it on re-upload, and refuses bad ones with located problems, saving nothing', async () => {
    // Two nodes on one store (Redis: one prefix), the second running before anything is uploaded.
    const prefix = testPrefix('upload');
    const a = await server(mode, { prefix });
    const other = mode === 'redis' ? await server(mode, { prefix }) : a;
    const token = await login(a.url, a.organiserPassword);
    const auth = { authorization: `Bearer ${token}` };
    const upload = (url: string, bytes: Uint8Array) =>
      fetch(`${url}/api/contests/import`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
      });
    const list = async (url: string) =>
      (await (await fetch(`${url}/api/contests`, { headers: auth })).json()) as ContestSummary[];
    const bundled = (await loadContests(CONTESTS)).get('giai')!;

    // Only an organiser may upload; nothing is read without a session.
    expect(
      (await fetch(`${a.url}/api/contests/import`, { method: 'POST', body: new Uint8Array([1, 2, 3]) })).status,
    ).toBe(401);

    // The template downloads and opens as a workbook with its sheets; uploaded empty, it names what is missing.
    const template = await fetch(`${a.url}/api/contest-template.xlsx`, { headers: auth });
    expect(template.status).toBe(200);
    const templateBytes = new Uint8Array(await template.arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(templateBytes.buffer as ArrayBuffer);
    expect(wb.worksheets.length).toBeGreaterThanOrEqual(4);
    const empty = await upload(a.url, templateBytes);
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { problems: ContestImportProblem[] }).problems.length).toBeGreaterThan(0);

    // A valid workbook (the bundled contest under a new id and title) is saved and listed as uploaded.
    const mine = { ...bundled, id: 'tai-len', title: 'Vòng thi tải lên' };
    const ok = await upload(a.url, await exportContestWorkbook(mine));
    expect(ok.status).toBe(200);
    expect((await ok.json()) as ContestImportResult).toEqual({
      ok: true,
      contest: {
        id: 'tai-len',
        title: 'Vòng thi tải lên',
        questions: bundled.questions.length,
        rounds: bundled.rounds.length,
      },
      replaced: false,
    });
    expect((await list(a.url)).find((c) => c.id === 'tai-len')).toMatchObject({
      title: 'Vòng thi tải lên',
      source: 'uploaded',
    });
    expect((await list(a.url)).find((c) => c.id === 'giai')).toMatchObject({ source: 'bundled' });

    // Another node on the same store, running since before the upload, plays it at once (Redis); the embedded node plays it itself.
    const game = await createGame(other.url, token, 'tai-len', bundled.rounds[0]!.id);
    expect(game.pin).toMatch(/^\d{6}$/);
    // …and exports it back as the same contest.
    const exported = await fetch(`${other.url}/api/contests/tai-len.xlsx`, { headers: auth });
    expect(exported.status).toBe(200);

    // Re-uploading replaces it (audited); the game already created keeps its own questions.
    const again = await upload(a.url, await exportContestWorkbook({ ...mine, title: 'Vòng thi tải lên (sửa)' }));
    expect(((await again.json()) as ContestImportResult).replaced).toBe(true);
    expect((await list(other.url)).find((c) => c.id === 'tai-len')?.title).toBe('Vòng thi tải lên (sửa)');

    // Refused, nothing saved: the id of a bundled contest, a workbook with a broken question, bytes that are not a workbook.
    const clash = await upload(a.url, await exportContestWorkbook({ ...bundled, title: 'Ghi đè' }));
    expect(clash.status).toBe(422);
    expect(JSON.stringify(await clash.json())).toContain('có sẵn');
    expect((await list(a.url)).find((c) => c.id === 'giai')?.title).toBe(bundled.title);

    const broken = structuredClone({ ...mine, id: 'hong' });
    (broken.questions[0] as { correct: number }).correct = 7;
    const bad = await upload(a.url, await exportContestWorkbook(broken));
    expect(bad.status).toBe(422);
    const problems = ((await bad.json()) as { problems: ContestImportProblem[] }).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => p.sheet !== '' && p.row > 1)).toBe(true);
    expect((await list(a.url)).some((c) => c.id === 'hong')).toBe(false);

    const junk = await upload(a.url, new TextEncoder().encode('not a workbook'));
    expect(junk.status).toBe(422);
    expect(JSON.stringify(await junk.json())).toContain('không đọc được');

    // An upload nobody played can be removed (from every node); one with games, or a bundled one, cannot.
    const spare = await upload(a.url, await exportContestWorkbook({ ...mine, id: 'thu-nghiem', title: 'Thử nghiệm' }));
    expect(spare.status).toBe(200);
    expect((await list(other.url)).some((c) => c.id === 'thu-nghiem')).toBe(true);
    const del = (id: string) => fetch(`${a.url}/api/contests/${id}`, { method: 'DELETE', headers: auth });
    expect((await del('thu-nghiem')).status).toBe(200);
    expect((await list(other.url)).some((c) => c.id === 'thu-nghiem')).toBe(false);
    expect((await del('thu-nghiem')).status).toBe(404);
    expect((await del('tai-len')).status).toBe(409);
    expect((await del('giai')).status).toBe(409);
    expect((await list(a.url)).map((c) => c.id).sort()).toEqual(['giai', 'tai-len']);

    // Every upload, saved or refused, is in the audit log.
    const audit = (await (await fetch(`${a.url}/api/audit?after=0&limit=1000`, { headers: auth })).json()) as AuditPage;
    const uploads = audit.entries.filter((e) => e.action === 'contest.upload');
    expect(uploads.filter((e) => e.outcome === 'ok').map((e) => e.detail?.replaced)).toEqual([false, true, false]);
    expect(uploads.filter((e) => e.outcome === 'BAD_REQUEST').length).toBe(4);
    expect(audit.entries.filter((e) => e.action === 'contest.delete').map((e) => e.outcome)).toEqual([
      'ok',
      'CONTEST_NOT_FOUND',
      'CONFLICT',
      'CONFLICT',
    ]);
  });
});
