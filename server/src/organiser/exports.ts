import ExcelJS from 'exceljs';
import {
  COMPETENCE_AREA_LABELS_VI,
  TARGET_GROUP_LABELS_VI,
  type CompetenceArea,
  type QuestionType,
} from '../../../protocol/contest';
import type { AnswerRow, Dashboard, RankedEntry, ResultSet, UnitStanding, Winner } from '../../../protocol/organiser';
import { toCsv } from './csv';

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

/** Header and rows of one table, with Vietnamese headers and names. */
export function exportTable(set: ResultSet, table: ExportTable): { header: string[]; rows: (string | number)[][] } {
  const names = new Map(set.units.map((u) => [u.unit, u.name]));
  const unitName = (id?: string) => (id ? (names.get(id) ?? id) : '');
  switch (table) {
    case 'results':
      return { header: ENTRY_HEADER, rows: set.overall.map((e) => entryRow(e, unitName)) };
    case 'groups':
      return {
        header: ['Đối tượng', ...ENTRY_HEADER],
        rows: set.byGroup.flatMap((g) => g.entries.map((e) => [groupLabel(g.group), ...entryRow(e, unitName)])),
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
export function answersTable(set: ResultSet, rows: AnswerRow[]): { header: string[]; rows: (string | number)[][] } {
  const names = new Map(set.units.map((u) => [u.unit, u.name]));
  return {
    header: [
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
    ],
    rows: rows.map((a) => [
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
    ]),
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** One table as CSV (UTF-8 with BOM). A locked set ends with a `SHA-256` line after an empty line. */
export function resultSetCsv(set: ResultSet, table: ExportTable | 'answers', answers: AnswerRow[] = []): string {
  const { header, rows } = table === 'answers' ? answersTable(set, answers) : exportTable(set, table);
  return toCsv(header, set.lock ? [...rows, [], ['SHA-256', set.lock.sha256]] : rows);
}

/** Every table as a sheet, plus "Thông tin": scope, games, tie-break order and, once locked, the SHA-256. */
export async function resultSetWorkbook(set: ResultSet, answers: AnswerRow[] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Công dân số Live';
  const info = wb.addWorksheet('Thông tin');
  info.addRows([
    ['Kết quả', set.title],
    ['Phạm vi', JSON.stringify(set.scope)],
    ['Các trận (PIN)', set.games.join(', ')],
    ['Thứ tự phân định', set.tieBreak.join(', ')],
    ['Đã khóa', set.lock ? new Date(set.lock.at).toISOString() : 'chưa'],
    ['Người khóa', set.lock?.by ?? ''],
    ['SHA-256', set.lock?.sha256 ?? ''],
  ]);
  info.getColumn(1).width = 22;
  info.getColumn(2).width = 70;
  for (const table of [...EXPORT_TABLES, 'answers'] as const) {
    if (table === 'teams' && !set.teams) continue; // only a unit round has a unit ranking
    const { header, rows } = table === 'answers' ? answersTable(set, answers) : exportTable(set, table);
    const sheet = wb.addWorksheet(table === 'answers' ? ANSWERS_SHEET : SHEET_NAMES[table]);
    sheet.addRow(header).font = { bold: true };
    sheet.addRows(rows);
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    header.forEach((h, i) => (sheet.getColumn(i + 1).width = Math.min(40, Math.max(10, h.length + 2))));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
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
