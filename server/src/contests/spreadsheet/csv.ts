import type { Contest } from '../../../../protocol/contest';
import { COLUMNS, OPTION_LETTERS } from './columns';
import {
  contestFromTables,
  contestToTables,
  defaultSheetNames,
  type ContestImport,
  type SheetProblem,
  type TableRow,
} from './contest-tables';

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. A UTF-8 BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const CSV_SHEET = 'CSV';

/**
 * A CSV holds the question bank only (options inline in optionA…optionF). The rest of the contest
 * (title, units, rounds, prizes) comes from `base`, usually the contest.yaml already in the target folder.
 */
export function importQuestionsCsv(text: string | Buffer, base: Contest): ContestImport {
  const rows = parseCsv(typeof text === 'string' ? text : text.toString('utf8'));
  const header = (rows[0] ?? []).map((h) => h.normalize('NFC').trim());
  const known = COLUMNS.questions.map((c) => c.key).concat(OPTION_LETTERS.map((l) => `option${l}`));
  const problems: SheetProblem[] = [];
  const keys = header.map((h) => {
    if (!h || h.startsWith('#') || h.toLowerCase() === 'ghi chú') return undefined;
    const key = known.find((k) => k.toLowerCase() === h.toLowerCase());
    if (!key) problems.push({ sheet: CSV_SHEET, row: 1, column: h, message: `cột "${h}" không có trong mẫu` });
    return key;
  });
  const questions: TableRow[] = [];
  rows.slice(1).forEach((cells, i) => {
    const map = new Map<string, string>();
    cells.forEach((value, c) => {
      const key = keys[c];
      const text = value.normalize('NFC').trim();
      if (key && text) map.set(key, text);
    });
    if (map.size) questions.push({ row: i + 2, cells: map });
  });
  // Everything but the questions comes from the base contest, through the same table reader.
  const baseTables = contestToTables({ ...base, questions: [] });
  const asRows = (list: Record<string, string | number>[]): TableRow[] =>
    list.map((r, i) => ({
      row: i + 2,
      cells: new Map(Object.entries(r).flatMap(([k, v]): [string, string][] => (v === '' ? [] : [[k, String(v)]]))),
    }));
  const result = contestFromTables(
    {
      sheetNames: { ...defaultSheetNames, questions: CSV_SHEET },
      contest: asRows(baseTables.contest),
      questions,
      options: [],
      units: asRows(baseTables.units),
      rounds: asRows(baseTables.rounds),
      prizes: asRows(baseTables.prizes),
    },
    base.id,
  );
  if (result.ok && !problems.length) return result;
  return { ok: false, problems: [...problems, ...(result.ok ? [] : result.problems)] };
}
