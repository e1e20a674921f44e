import ExcelJS from 'exceljs';
import type { Contest } from '../../../../protocol/contest';
import { COLUMNS, CONTEST_FIELDS, NOTES_INTRO, OPTION_LETTERS, SHEETS, type TableName } from './columns';
import {
  contestFromTables,
  contestToTables,
  defaultSheetNames,
  type CellValue,
  type ContestImport,
  type PlainTables,
  type SheetProblem,
  type TableRow,
  type Tables,
} from './contest-tables';

const TABLES = Object.keys(COLUMNS) as TableName[];
const INLINE_OPTION_COLUMNS = OPTION_LETTERS.map((l) => `option${l}`);
const isIgnoredColumn = (header: string) =>
  header.startsWith('#') || header.toLowerCase().normalize('NFC') === 'ghi chú';

/** The text a person sees in a cell, whatever exceljs made of it (rich text, hyperlink, formula, date). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.normalize('NFC').trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value)
    return value.richText
      .map((t) => t.text)
      .join('')
      .normalize('NFC')
      .trim();
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('error' in value) return '';
  return String(value);
}

/** Reads header + rows of one sheet; columns are matched by header name, so their order does not matter. */
export function readSheet(sheet: ExcelJS.Worksheet, known: string[], problems: SheetProblem[]): TableRow[] {
  const headers = new Map<number, string>();
  sheet.getRow(1).eachCell((c, col) => {
    const header = cellText(c.value);
    if (!header || isIgnoredColumn(header)) return;
    const key = known.find((k) => k.toLowerCase() === header.toLowerCase());
    if (key) headers.set(col, key);
    else
      problems.push({
        sheet: sheet.name,
        row: 1,
        column: header,
        message: `cột "${header}" không có trong mẫu (cột ghi chú thì đặt tên bắt đầu bằng #)`,
      });
  });
  const rows: TableRow[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = new Map<string, string>();
    for (const [col, key] of headers) {
      const text = cellText(row.getCell(col).value);
      if (text) cells.set(key, text);
    }
    if (cells.size) rows.push({ row: rowNumber, cells });
  });
  return rows;
}

function findSheet(workbook: ExcelJS.Workbook, table: TableName): ExcelJS.Worksheet | undefined {
  const names = [SHEETS[table].name, ...SHEETS[table].aliases].map((n) => n.toLowerCase());
  return workbook.worksheets.find((ws) => names.includes(ws.name.normalize('NFC').trim().toLowerCase()));
}

/** At most this many filled rows and cells in the whole workbook (a contest has a few thousand). */
export interface WorkbookSizeLimits {
  maxRows: number;
  maxCells: number;
}

/** A problem when the workbook has more rows or cells than the limits allow. */
function tooLarge(workbook: ExcelJS.Workbook, limits: WorkbookSizeLimits): SheetProblem | undefined {
  let rows = 0;
  let cells = 0;
  for (const sheet of workbook.worksheets) {
    rows += sheet.actualRowCount;
    sheet.eachRow((row) => {
      cells += row.actualCellCount;
    });
    if (rows > limits.maxRows)
      return {
        sheet: sheet.name,
        row: 0,
        column: '',
        message: `tệp có hơn ${limits.maxRows} dòng; chia cuộc thi thành các tệp nhỏ hơn`,
      };
    if (cells > limits.maxCells)
      return {
        sheet: sheet.name,
        row: 0,
        column: '',
        message: `tệp có hơn ${limits.maxCells} ô có dữ liệu; chia cuộc thi thành các tệp nhỏ hơn`,
      };
  }
  return undefined;
}

/**
 * Reads a contest workbook (the template's sheets) and checks it with the contest schema.
 * Nothing is written anywhere: the caller saves `contest` only when `ok`. Every bad cell is reported.
 * Parsing is synchronous and slow for large files: the server calls it in a worker (off-thread.ts).
 */
export async function importContestWorkbook(
  buffer: ArrayBuffer | Uint8Array,
  options: { id?: string; limits?: WorkbookSizeLimits } = {},
): Promise<ContestImport> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as ArrayBuffer);
  } catch (err) {
    return {
      ok: false,
      problems: [
        { sheet: '', row: 0, column: '', message: `không đọc được tệp Excel (.xlsx): ${(err as Error).message}` },
      ],
    };
  }
  const large = options.limits && tooLarge(workbook, options.limits);
  if (large) return { ok: false, problems: [large] };
  const problems: SheetProblem[] = [];
  const sheetNames = { ...defaultSheetNames };
  const tables = { sheetNames } as Tables;
  for (const table of TABLES) {
    const sheet = findSheet(workbook, table);
    if (!sheet) {
      tables[table] = [];
      if (table === 'contest' || table === 'questions' || table === 'rounds')
        problems.push({
          sheet: SHEETS[table].name,
          row: 0,
          column: '',
          message: `thiếu trang "${SHEETS[table].name}"`,
        });
      continue;
    }
    sheetNames[table] = sheet.name;
    const known = COLUMNS[table].map((c) => c.key).concat(table === 'questions' ? INLINE_OPTION_COLUMNS : []);
    tables[table] = readSheet(sheet, known, problems);
  }
  const result = contestFromTables(tables, options.id);
  if (result.ok && !problems.length) return result;
  return { ok: false, problems: [...problems, ...(result.ok ? [] : result.problems)] };
}

function addTableSheet(workbook: ExcelJS.Workbook, table: TableName, rows: Record<string, CellValue>[]) {
  const sheet = workbook.addWorksheet(SHEETS[table].name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS[table].map((c) => ({ header: c.key, key: c.key, width: c.width ?? 14 }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  COLUMNS[table].forEach((c, i) => {
    header.getCell(i + 1).note = c.help;
  });
  for (const row of rows) sheet.addRow(row).alignment = { wrapText: true, vertical: 'top' };
  return sheet;
}

function addNotesSheet(workbook: ExcelJS.Workbook) {
  const sheet = workbook.addWorksheet(SHEETS.notes.name);
  sheet.columns = [
    { header: 'Trang', key: 'sheet', width: 14 },
    { header: 'Cột', key: 'column', width: 22 },
    { header: 'Cách ghi', key: 'help', width: 110 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const line of NOTES_INTRO) sheet.addRow({ sheet: '', column: '', help: line });
  sheet.getRow(2).font = { bold: true };
  for (const field of CONTEST_FIELDS) sheet.addRow({ sheet: SHEETS.contest.name, column: field.key, help: field.help });
  for (const table of TABLES.filter((t) => t !== 'contest'))
    for (const c of COLUMNS[table]) sheet.addRow({ sheet: SHEETS[table].name, column: c.key, help: c.help });
  sheet.eachRow((row) => {
    row.alignment = { wrapText: true, vertical: 'top' };
  });
}

async function writeWorkbook(tables: PlainTables): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Công dân số Live';
  for (const table of TABLES) addTableSheet(workbook, table, tables[table]);
  addNotesSheet(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The whole contest as a workbook, for subject experts to review; importContestWorkbook reads it back unchanged. */
export function exportContestWorkbook(contest: Contest): Promise<Buffer> {
  return writeWorkbook(contestToTables(contest));
}

/** An empty workbook: every sheet with its headers (and a note on each), the contest fields listed, and the notes sheet. */
export function contestTemplateWorkbook(): Promise<Buffer> {
  const help = new Map(CONTEST_FIELDS.map((f) => [f.key, f.help]));
  return writeWorkbook({
    contest: CONTEST_FIELDS.map((f) => ({ key: f.key, value: '', 'ghi chú': help.get(f.key) ?? '' })),
    questions: [],
    options: [],
    units: [],
    rounds: [],
    prizes: [],
  });
}
