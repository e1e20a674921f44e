/** The one CSV writer for every download (results, exports, audit log): Excel-friendly and formula-safe. */

/**
 * One CSV cell: quoted when needed. Text starting with = + - @ gets a leading ' so a spreadsheet never runs it
 * as a formula (CSV injection) — whatever the value's type, since a number or an id could be text in disguise.
 */
function cell(v: unknown): string {
  let s = v === undefined || v === null ? '' : String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line, without its line end. */
export const csvLine = (row: readonly unknown[]) => row.map(cell).join(',');

/** CSV with a UTF-8 BOM (Excel then shows Vietnamese diacritics) and CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `\uFEFF${[header, ...rows].map(csvLine).join('\r\n')}\r\n`;
}
