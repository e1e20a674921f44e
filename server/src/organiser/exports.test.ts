import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { AnswerRow, RankedEntry, ResultSet } from '../../../protocol/organiser';
import { toCsv } from './csv';
import { ANSWERS_SHEET, exportTable, resultSetCsv, writeResultSetWorkbook } from './exports';

const entries: RankedEntry[] = Array.from({ length: 40 }, (_, i) => ({
  pin: 'online:giai:vong-loai',
  playerId: `c${i}`,
  rank: i + 1,
  tied: false,
  nickname: i === 3 ? '=HYPERLINK("x")' : `Trần Văn ${i}, "Bé"`,
  group: i % 2 ? 'hoc-sinh' : 'nguoi-dan',
  unit: 'a',
  score: 40 - i,
  correct: 40 - i,
  answered: 40,
  totalTimeMs: 100 * i,
  predictionError: null,
  lastAnswerAt: 1000 + i,
}));
const set = (locked: boolean): ResultSet =>
  ({
    scope: { kind: 'round', contestId: 'giai', roundId: 'vong-loai' },
    contestId: 'giai',
    title: 'Giải',
    games: ['online:giai:vong-loai'],
    tieBreak: ['score'],
    overall: entries,
    byGroup: [{ group: 'nguoi-dan', entries: entries.filter((e) => e.group === 'nguoi-dan') }],
    units: [{ unit: 'a', name: 'Phường A', kind: 'ward', rank: 1, tied: false, participants: 40 }],
    ties: [],
    winners: [],
    skipped: [],
    questions: [],
    lock: locked ? { at: 0, by: 'admin', sha256: 'ab'.repeat(32) } : null,
  }) as unknown as ResultSet;
const answers: AnswerRow[] = entries.flatMap((e) =>
  [0, 1, 2].map((index) => ({
    pin: e.pin,
    playerId: e.playerId,
    nickname: e.nickname,
    group: e.group,
    unit: e.unit,
    index,
    questionId: `q${index}`,
    answered: index < 2,
    correct: index === 0,
    points: index === 0 ? 1 : 0,
  })),
);
/** The answers in pages of 7, as OrganiserResults.answerPages hands them. */
async function* pages() {
  for (let i = 0; i < answers.length; i += 7) yield answers.slice(i, i + 7);
}
const collect = async (chunks: AsyncIterable<string>) => {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
};

describe(resultSetCsv.name, () => {
  it.each([false, true])('streams the text toCsv gives for every table (locked: %s)', async (locked) => {
    const s = set(locked);
    const tail = locked ? [[], ['SHA-256', 'ab'.repeat(32)]] : [];
    for (const table of ['results', 'groups', 'units'] as const) {
      const { header, rows } = exportTable(s, table);
      expect(await collect(resultSetCsv(s, table))).toBe(toCsv(header, [...rows, ...tail]));
    }
    const answersCsv = await collect(resultSetCsv(s, 'answers', pages()));
    const lines = answersCsv.split('\r\n');
    expect(lines).toHaveLength(1 + answers.length + (locked ? 2 : 0) + 1);
    expect(lines[1]).toBe('online:giai:vong-loai,c0,"Trần Văn 0, ""Bé""",Người dân,Phường A,1,q0,có,có,1');
    expect(answersCsv).toContain(`'=HYPERLINK`);
  });
});

describe(writeResultSetWorkbook.name, () => {
  const workbook = async (maxRows?: number) => {
    const out = new PassThrough();
    const bytes: Buffer[] = [];
    out.on('data', (b: Buffer) => bytes.push(b));
    const ended = new Promise((r) => out.once('end', r));
    await writeResultSetWorkbook(set(true), pages(), out, maxRows ? { maxRows } : {});
    await ended;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(bytes) as never);
    const rows = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)?.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
      return out;
    };
    return { names: wb.worksheets.map((w) => w.name), rows };
  };

  it('writes every table as a sheet, the answers on one sheet while they fit', async () => {
    const { names, rows } = await workbook();
    expect(names).toEqual([
      'Thông tin',
      'Kết quả',
      'Theo đối tượng',
      'Đơn vị',
      'Giải thưởng',
      'Đồng hạng',
      'Theo câu hỏi',
      ANSWERS_SHEET,
    ]);
    expect(rows('Thông tin').find((r) => r[0] === 'SHA-256')?.[1]).toBe('ab'.repeat(32));
    expect(
      rows('Kết quả')
        .slice(1)
        .map((r) => [r[0], r[2]]),
    ).toEqual(entries.map((e) => [e.rank, e.nickname]));
    expect(rows(ANSWERS_SHEET)).toHaveLength(1 + answers.length);
  });

  it('goes on to further answer sheets past a sheet’s rows, each with its header', async () => {
    // 120 answers, 50 rows a sheet (header included): 49 + 49 + 22.
    const { names, rows } = await workbook(50);
    const sheets = [ANSWERS_SHEET, `${ANSWERS_SHEET} (2)`, `${ANSWERS_SHEET} (3)`];
    expect(names.slice(-3)).toEqual(sheets);
    expect(sheets.map((n) => rows(n).length)).toEqual([50, 50, 23]);
    for (const n of sheets) expect(rows(n)[0]![0]).toBe('Mã trận (PIN)');
    const all = sheets.flatMap((n) => rows(n).slice(1));
    expect(all.map((r) => [r[1], r[6]])).toEqual(answers.map((a) => [a.playerId, a.questionId]));
  });
});
