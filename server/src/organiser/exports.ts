import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  COMPETENCE_AREA_LABELS_VI,
  TARGET_GROUP_LABELS_VI,
  type CompetenceArea,
  type QuestionType,
} from '../../../protocol/contest';
import type { AnswerRow, Dashboard, RankedEntry, ResultSet, UnitStanding, Winner } from '../../../protocol/organiser';
import { csvLine } from './csv';
import { slicer } from '../event-loop-slices';
import { XlsxWriter } from './xlsx-writer';

/** The tables an export can hold; each is a CSV file and a sheet of the workbook. */
export const EXPORT_TABLES = ['results', 'groups', 'units', 'winners', 'ties', 'questions', 'teams'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

const SHEET_NAMES: Record<ExportTable, string> = {
  results: 'Kết quả',
  groups: 'Theo đối tượng',
  units: 'Đơn vị',
  winners: 'Giải thưởng',
  ties: 'Đồng hạng',
  questions: 'Theo câu hỏi',
  teams: 'Vòng đơn vị',
};
export const ANSWERS_SHEET = 'Từng câu trả lời';

const groupLabel = (g: string) => TARGET_GROUP_LABELS_VI[g as keyof typeof TARGET_GROUP_LABELS_VI] ?? g;
// Organisers read exports in Vietnamese: ids (kept in the data) never reach a sheet.
const areaLabel = (a: CompetenceArea) => COMPETENCE_AREA_LABELS_VI[a] ?? a;
const TYPE_LABELS: Record<QuestionType, string> = {
  single: 'Một đáp án',
  multiple: 'Nhiều đáp án',
  'true-false': 'Đúng/Sai',
  numeric: 'Điền số',
  poll: 'Thăm dò ý kiến',
};
const ENTRY_HEADER = [
  'Hạng',
  'Đồng hạng',
  'Tên hiển thị',
  'Đối tượng',
  'Đơn vị',
  'Điểm',
  'Số câu đúng',
  'Số câu trả lời',
  'Tổng thời gian (ms)',
  'Sai số dự đoán',
  'Trả lời cuối (ms)',
  'Mã trận (PIN)',
  'Mã thí sinh',
  'Thêm thời gian',
];

function entryRow(e: RankedEntry, unitName: (id?: string) => string): (string | number)[] {
  return [
    e.rank,
    e.tied ? 'có' : '',
    e.nickname,
    groupLabel(e.group),
    unitName(e.unit),
    e.score,
    e.correct,
    e.answered,
    e.totalTimeMs,
    e.predictionError ?? '',
    e.lastAnswerAt ?? '',
    e.pin,
    e.playerId,
    e.extraTime ? 'có' : '',
  ];
}

type Cells = (string | number)[];
/** A table's header and its rows, made one at a time as they are read (a whole online round has 200,000). */
interface Table {
  header: string[];
  rows: Iterable<Cells>;
}

function* lazyMap<T>(items: readonly T[], f: (item: T) => Cells): Generator<Cells> {
  for (const item of items) yield f(item);
}

/** Header and rows of one table, with Vietnamese headers and names. */
export function exportTable(set: ResultSet, table: ExportTable): { header: string[]; rows: Cells[] } {
  const { header, rows } = tableOf(set, table);
  return { header, rows: [...rows] };
}

function tableOf(set: ResultSet, table: ExportTable): Table {
  const names = new Map(set.units.map((u) => [u.unit, u.name]));
  const unitName = (id?: string) => (id ? (names.get(id) ?? id) : '');
  switch (table) {
    case 'results':
      return { header: ENTRY_HEADER, rows: lazyMap(set.overall, (e) => entryRow(e, unitName)) };
    case 'groups':
      return {
        header: ['Đối tượng', ...ENTRY_HEADER],
        rows: (function* () {
          for (const g of set.byGroup) for (const e of g.entries) yield [groupLabel(g.group), ...entryRow(e, unitName)];
        })(),
      };
    case 'units':
      return {
        header: [
          'Hạng',
          'Đồng hạng',
          'Mã đơn vị',
          'Tên đơn vị',
          'Loại',
          'Số người dự thi',
          'Số người của đơn vị',
          'Tỷ lệ tham gia (%)',
          'Điểm trung bình',
          'Số câu đúng trung bình',
        ],
        rows: set.units.map((u: UnitStanding) => [
          u.participants ? u.rank : '',
          u.tied ? 'có' : '',
          u.unit,
          u.name,
          UNIT_KIND_LABELS_VI[u.kind] ?? u.kind,
          u.participants,
          u.headcount ?? '',
          u.participationRate === null ? '' : round(u.participationRate * 100, 2),
          round(u.averageScore, 2),
          round(u.averageCorrect, 2),
        ]),
      };
    case 'winners':
      return {
        header: [
          'Loại giải',
          'Đối tượng',
          'Giải',
          'Hạng',
          'Tên hiển thị',
          'Đơn vị',
          'Điểm',
          'Số câu đúng',
          'Mã trận (PIN)',
          'Mã thí sinh',
          'Vòng xét giải',
        ],
        rows: set.winners.map((w: Winner) => [
          w.scope === 'individual' ? 'Cá nhân' : w.scope === 'group' ? 'Theo đối tượng' : 'Tập thể',
          w.group ? groupLabel(w.group) : '',
          w.label,
          w.rank,
          w.nickname ?? '',
          unitName(w.unit),
          w.score ?? '',
          w.correct ?? '',
          w.pin ?? '',
          w.playerId ?? '',
          // A contest with several prize sets names each winner's; else the one set's rounds.
          (w.rounds ?? set.prizeScope.rounds).join(', '),
        ]),
      };
    case 'ties':
      return {
        header: ['Bảng xếp hạng', 'Hạng', 'Ở ranh giới giải', 'Những người/đơn vị đồng hạng'],
        rows: set.ties.map((t) => [
          t.ranking === 'overall' ? 'Chung' : t.ranking === 'units' ? 'Đơn vị' : groupLabel(t.ranking),
          t.rank,
          t.atPrizeBoundary ? 'có' : '',
          t.names.join('; '),
        ]),
      };
    case 'teams':
      return teamsTable(set);
    case 'questions':
      return {
        header: [
          'Mã trận (PIN)',
          'Câu số',
          'Mã câu hỏi',
          'Nội dung',
          'Loại',
          'Lĩnh vực năng lực',
          'Số người chơi',
          'Số người trả lời',
          'Số người đúng',
          'Tỷ lệ đúng (%)',
          'Thời gian trả lời TB (ms)',
          'Số lần chọn từng phương án',
        ],
        rows: set.questions.map((q) => [
          q.pin,
          q.index + 1,
          q.questionId,
          q.text,
          TYPE_LABELS[q.type] ?? q.type,
          areaLabel(q.area),
          q.players,
          q.answered,
          q.correct,
          q.correctRate === null ? '' : round(q.correctRate * 100, 2),
          q.averageTimeMs ?? '',
          optionCounts(q),
        ]),
      };
  }
}

/** A unit round's unit ranking (empty for other sets): units too small to rank are listed without a rank. */
function teamsTable(set: ResultSet): { header: string[]; rows: (string | number)[][] } {
  const t = set.teams;
  const how = !t ? '' : t.score === 'bestN' ? `Tổng điểm ${t.n} người cao nhất` : 'Điểm trung bình';
  return {
    header: ['Hạng', 'Đồng hạng', 'Mã đơn vị', 'Tên đơn vị', 'Số người chơi', 'Điểm đơn vị', 'Cách tính', 'Ghi chú'],
    rows: (t?.units ?? []).map((u) => [
      u.rank ?? '',
      u.tied ? 'có' : '',
      u.unit,
      u.name,
      u.players,
      u.score,
      how,
      u.rank === null ? `Chưa xếp hạng: dưới ${t!.minPlayers} người chơi` : '',
    ]),
  };
}

/** "A. Có: 2 (đúng); B. Không: 1": how often each option was chosen, the correct ones marked. */
export function optionCounts(q: { options: string[]; distribution: number[]; correctOptions: number[] }): string {
  return q.options
    .map(
      (o, i) =>
        `${String.fromCharCode(65 + i)}. ${o}: ${q.distribution[i] ?? 0}${q.correctOptions.includes(i) ? ' (đúng)' : ''}`,
    )
    .join('; ');
}

/** Per contestant, per question. */
const ANSWER_HEADER = [
  'Mã trận (PIN)',
  'Mã thí sinh',
  'Tên hiển thị',
  'Đối tượng',
  'Đơn vị',
  'Câu số',
  'Mã câu hỏi',
  'Đã trả lời',
  'Đúng',
  'Điểm',
];
function answerCells(set: ResultSet): (a: AnswerRow) => Cells {
  const names = new Map(set.units.map((u) => [u.unit, u.name]));
  return (a) => [
    a.pin,
    a.playerId,
    a.nickname,
    groupLabel(a.group),
    a.unit ? (names.get(a.unit) ?? a.unit) : '',
    a.index + 1,
    a.questionId,
    a.answered ? 'có' : '',
    a.correct ? 'có' : '',
    a.points,
  ];
}

/** Answer rows as they come, page by page (from OrganiserResults.answerPages), or all at once. */
export type AnswerPages = AsyncIterable<AnswerRow[]> | Iterable<AnswerRow[]>;

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Excel's rows per sheet (the header row included): past it, the answers go on to another sheet. */
export const SHEET_MAX_ROWS = 1_048_576;
/** CSV text is handed on in pieces of about this many characters. */
const CSV_PIECE = 1 << 16;

/**
 * One table as CSV (UTF-8 with BOM; csv.ts's toCsv gives the same text), in pieces, yielding to the event loop
 * between them: a 2,000,000-row answers table streams to the download without being held whole. A locked set ends
 * with a `SHA-256` line after an empty line. `answers`: the rows of the `answers` table.
 */
export async function* resultSetCsv(
  set: ResultSet,
  table: ExportTable | 'answers',
  answers: AnswerPages = [],
): AsyncGenerator<string> {
  const slice = slicer(1);
  let piece = '\uFEFF' + csvLine(table === 'answers' ? ANSWER_HEADER : tableOf(set, table).header);
  if (table === 'answers') {
    const cells = answerCells(set);
    for await (const page of answers) {
      for (const a of page) piece += '\r\n' + csvLine(cells(a));
      if (piece.length < CSV_PIECE) continue;
      yield piece;
      piece = '';
      await slice.pause();
    }
  } else
    for (const row of tableOf(set, table).rows) {
      piece += '\r\n' + csvLine(row);
      if (piece.length < CSV_PIECE) continue;
      yield piece;
      piece = '';
      await slice.pause();
    }
  if (set.lock) piece += '\r\n\r\n' + csvLine(['SHA-256', set.lock.sha256]);
  yield piece + '\r\n';
}

/**
 * Every table as a sheet, plus "Thông tin": scope, games, tie-break order and, once locked, the SHA-256; written into
 * `out` as it is made (xlsx-writer.ts: memory stays bounded, the event loop keeps running). Answers past a sheet's
 * 1,048,576 rows go on in "Từng câu trả lời (2)", "(3)"… (`maxRows` lowers the limit for tests).
 */
export async function writeResultSetWorkbook(
  set: ResultSet,
  answers: AnswerPages,
  out: Writable,
  { maxRows = SHEET_MAX_ROWS }: { maxRows?: number } = {},
): Promise<void> {
  const xlsx = new XlsxWriter(out);
  const widths = (header: string[]) => header.map((h) => Math.min(40, Math.max(10, h.length + 2)));
  await xlsx.sheet(
    'Thông tin',
    ['Kết quả', set.title],
    [
      ['Phạm vi', JSON.stringify(set.scope)],
      ['Các trận (PIN)', set.games.join(', ')],
      ['Thứ tự phân định', set.tieBreak.join(', ')],
      ['Đã khóa', set.lock ? new Date(set.lock.at).toISOString() : 'chưa'],
      ['Người khóa', set.lock?.by ?? ''],
      ['SHA-256', set.lock?.sha256 ?? ''],
    ],
    [22, 70],
  );
  for (const table of EXPORT_TABLES) {
    if (table === 'teams' && !set.teams) continue; // only a unit round has a unit ranking
    const { header, rows } = tableOf(set, table);
    await xlsx.sheet(SHEET_NAMES[table], header, rows, widths(header));
  }
  // The answers, a sheet at a time: each sheet reads on from where the last one stopped.
  const cells = answerCells(set);
  const pages = (async function* () {
    for await (const page of answers) yield* page;
  })();
  let next = await pages.next();
  for (let part = 1; part === 1 || !next.done; part++) {
    const sheetRows = async function* () {
      for (let used = 1; used < maxRows && !next.done; used++) {
        yield cells(next.value);
        next = await pages.next();
      }
    };
    const name = part === 1 ? ANSWERS_SHEET : `${ANSWERS_SHEET} (${part})`;
    await xlsx.sheet(name, ANSWER_HEADER, sheetRows(), widths(ANSWER_HEADER));
  }
  await xlsx.close('Công dân số Live');
}

export { SHEET_NAMES };

/**
 * The year-end report's figures (participants per target group, unit kind and unit with rates; correct rate per
 * competence area and group; rounds compared; questions) as one workbook, Vietnamese labels throughout.
 */
export async function reportWorkbook(d: Dashboard): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Công dân số Live';
  const sheet = (name: string, header: string[], rows: (string | number)[][]) => {
    const s = wb.addWorksheet(name);
    s.addRow(header).font = { bold: true };
    s.addRows(rows);
    s.views = [{ state: 'frozen', ySplit: 1 }];
    header.forEach((h, i) => (s.getColumn(i + 1).width = Math.min(50, Math.max(12, h.length + 4))));
  };
  const pct = (r: number | null) => (r === null ? '' : round(r * 100, 2));
  sheet(
    'Tổng quan',
    ['Chỉ tiêu', 'Giá trị'],
    [
      ['Cuộc thi', d.title],
      ['Thời điểm lập', new Date(d.at).toISOString()],
      ['Số trận', d.games.length],
      ['Tổng số lượt dự thi', d.contestants.total],
      ...d.contestants.byGroup.map((g): (string | number)[] => [`Đối tượng: ${groupLabel(g.group)}`, g.players]),
      ...d.contestants.byUnitKind.map((k): (string | number)[] => [
        `Loại đơn vị: ${UNIT_KIND_LABELS_VI[k.kind] ?? k.kind}`,
        k.players,
      ]),
    ],
  );
  sheet(
    'Đơn vị',
    ['Mã đơn vị', 'Tên đơn vị', 'Loại', 'Số lượt dự thi', 'Số người của đơn vị', 'Tỷ lệ tham gia (%)'],
    d.contestants.byUnit.map((u) => [
      u.unit,
      u.name,
      UNIT_KIND_LABELS_VI[u.kind] ?? u.kind,
      u.players,
      u.headcount ?? '',
      pct(u.participationRate),
    ]),
  );
  sheet(
    'Lĩnh vực năng lực',
    ['Lĩnh vực', 'Đối tượng', 'Số câu trả lời', 'Số câu đúng', 'Tỷ lệ đúng (%)'],
    d.areas.map((a) => [areaLabel(a.area), groupLabel(a.group), a.answered, a.correct, pct(a.correctRate)]),
  );
  sheet(
    'So sánh vòng',
    ['Vòng', 'Số lượt dự thi', 'Số câu trả lời', 'Số câu đúng', 'Tỷ lệ đúng (%)'],
    d.rounds.map((r) => [r.title, r.players, r.answered, r.correct, pct(r.correctRate)]),
  );
  sheet(
    'Câu hỏi',
    [
      'Mã trận (PIN)',
      'Câu số',
      'Mã câu hỏi',
      'Nội dung',
      'Lĩnh vực',
      'Số người trả lời',
      'Số người đúng',
      'Tỷ lệ đúng (%)',
      'Thời gian trả lời TB (ms)',
      'Số lần chọn từng phương án',
    ],
    d.questions.map((q) => [
      q.pin,
      q.index + 1,
      q.questionId,
      q.text,
      areaLabel(q.area),
      q.answered,
      q.correct,
      pct(q.correctRate),
      q.averageTimeMs ?? '',
      optionCounts(q),
    ]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const UNIT_KIND_LABELS_VI: Record<string, string> = {
  department: 'Sở, ban, ngành',
  ward: 'Phường, xã',
  school: 'Trường học',
  enterprise: 'Doanh nghiệp',
  other: 'Khác',
};
