/** Reading what people type into spreadsheet cells: lenient on form, strict on meaning. */

const TRUE_WORDS = new Set(['có', 'co', 'x', 'true', '1', 'yes', 'đúng', 'dung']);
const FALSE_WORDS = new Set(['không', 'khong', 'false', '0', 'no', 'sai']);

/** `true`/`false` for the usual words; anything else is passed through so the schema reports it. */
export function parseBool(text: string): boolean | string | undefined {
  if (text === '') return undefined;
  const word = text.trim().toLowerCase().normalize('NFC');
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return text;
}

/** A number, accepting a decimal comma ("0,5"); anything else is passed through so the schema reports it. */
export function parseNumber(text: string): number | string | undefined {
  if (text === '') return undefined;
  const normalised = text.replace(/\s/g, '').replace(/^(-?\d+),(\d+)$/, '$1.$2');
  const n = Number(normalised);
  return normalised !== '' && Number.isFinite(n) ? n : text;
}

/** "a, b; c" → ["a", "b", "c"]; blank → undefined so the schema's default applies. */
export function parseList(text: string): string[] | undefined {
  if (text === '') return undefined;
  return text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export const yesNo = (b: boolean) => (b ? 'có' : 'không');
