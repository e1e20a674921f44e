import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CheckedContest } from '../../../../protocol/contest';
import { exportContestWorkbook, importContestWorkbook } from './workbook';

const contest = CheckedContest.parse({
  id: 'doi',
  title: 'Thi theo đơn vị',
  organiser: 'Tests',
  privacyNotice: 'Thử.',
  units: [{ id: 'phuong-a', name: 'Phường A', kind: 'ward' }],
  rounds: [
    { id: 'tb', title: 'Trung bình', questions: ['q'], teams: { by: 'unit' } },
    { id: 'top', title: 'Năm người', questions: ['q'], teams: { by: 'unit', score: 'bestN', n: 5, minPlayers: 3 } },
    { id: 'le', title: 'Cá nhân', questions: ['q'] },
  ],
  prizes: { rounds: ['top'] },
  questions: [
    {
      id: 'q',
      type: 'true-false',
      text: 'Đúng?',
      correct: true,
      explanation: '.',
      source: { title: 't' },
      area: 'safety',
    },
  ],
});

/** The exported workbook with the rounds sheet's `teams` cell of round `row` (1-based, after the header) set. */
async function withTeamsCell(row: number, value: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await exportContestWorkbook(contest)) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('Vòng thi')!;
  const col = (ws.getRow(1).values as unknown[]).indexOf('teams');
  ws.getRow(row + 1).getCell(col).value = value;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('the teams column of the rounds sheet', () => {
  it('exports and re-imports unit rounds unchanged', async () => {
    const back = await importContestWorkbook(await exportContestWorkbook(contest));
    expect(back.ok ? back.contest.rounds.map((r) => r.teams) : back.problems).toEqual([
      { by: 'unit', score: 'average', minPlayers: 1 },
      { by: 'unit', score: 'bestN', n: 5, minPlayers: 3 },
      undefined,
    ]);
  });

  it.each([
    ['tổng', /"tổng" không hợp lệ/],
    ['bestN', /"bestN" không hợp lệ/],
    ['average; minPlayers=0', /minPlayers|>=1|too small/i],
  ])('reports "%s" at its cell', async (value, message) => {
    const back = await importContestWorkbook(await withTeamsCell(3, value));
    expect(back.ok).toBe(false);
    if (back.ok) return;
    expect(back.problems).toEqual([expect.objectContaining({ sheet: 'Vòng thi', row: 4, column: 'teams' })]);
    expect(back.problems[0]!.message).toMatch(message);
  });
});
