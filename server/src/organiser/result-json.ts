// A locked result set of a whole online round is ~100 MB of JSON (200,000 entries, twice: overall and by group).
// JSON.stringify, the SHA-256 and JSON.parse of it in one call each held the event loop for seconds, so every live
// game on the node waited. These do the same work in slices of a few milliseconds: the text is the one
// JSON.stringify gives, byte for byte, and the digest is the same (result-json.test.ts).
import { createHash } from 'node:crypto';
import { slicer, yieldToLoop } from '../event-loop-slices';

const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
};

/** Whether a value holds an array worth slicing (anything else is written by one native JSON.stringify). */
function holdsLargeArray(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 64 || v.some(holdsLargeArray);
  return isPlain(v) && Object.values(v).some(holdsLargeArray);
}

/**
 * JSON.stringify(value) in pieces of about 64 K characters, made in slices that yield to the event loop. Arrays are
 * written element by element and objects key by key down to the values that hold no large array; those go through
 * JSON.stringify whole. A value with no JSON form (undefined, a function) throws.
 */
export async function* jsonPieces(value: unknown): AsyncGenerator<string> {
  let pending: string[] = [];
  let pendingChars = 0;
  const ready: string[] = [];
  const emit = (s: string) => {
    pending.push(s);
    pendingChars += s.length;
    if (pendingChars >= 1 << 16) flush();
  };
  const flush = () => {
    ready.push(pending.join(''));
    pending = [];
    pendingChars = 0;
  };
  const slice = slicer();

  // Writes `v`, yielding the pieces made so far now and then; false (nothing written) where JSON.stringify gives
  // undefined (a function, undefined, a symbol).
  async function* write(v: unknown): AsyncGenerator<string, boolean> {
    if (!holdsLargeArray(v)) {
      const s = JSON.stringify(v) as string | undefined;
      if (s !== undefined) emit(s);
      return s !== undefined;
    }
    if (Array.isArray(v)) {
      emit('[');
      for (let i = 0; i < v.length; i++) {
        if (i) emit(',');
        const item: unknown = v[i];
        // Most items (a ranked entry) are written here, without a generator of their own.
        if (holdsLargeArray(item)) yield* write(item);
        else emit((JSON.stringify(item) as string | undefined) ?? 'null');
        if (ready.length) yield* ready.splice(0);
        await slice.pause();
      }
      emit(']');
      return true;
    }
    emit('{');
    let first = true;
    for (const key of Object.keys(v as object)) {
      const member = (v as Record<string, unknown>)[key];
      // JSON.stringify leaves out members it cannot write; so does this, without writing the key first.
      if (!holdsLargeArray(member) && JSON.stringify(member) === undefined) continue;
      emit(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      yield* write(member);
    }
    emit('}');
    return true;
  }
  if (!(yield* write(value))) throw new TypeError('nothing to write: the value has no JSON form');
  flush();
  yield* ready.splice(0);
}

/** JSON.stringify(value) and the SHA-256 (hex, of its UTF-8 bytes) of that text, both made in slices. */
export async function stringifyHashed(value: unknown): Promise<{ json: string; sha256: string }> {
  const hash = createHash('sha256');
  const pieces: string[] = [];
  for await (const piece of jsonPieces(value)) {
    hash.update(piece);
    pieces.push(piece);
  }
  return { json: pieces.join(''), sha256: hash.digest('hex') };
}

/** The SHA-256 (hex, of its UTF-8 bytes) of a long text, hashed 1 MB at a time between event-loop turns. */
export async function sha256InSlices(text: string): Promise<string> {
  const hash = createHash('sha256');
  for (let from = 0; from < text.length;) {
    let to = Math.min(text.length, from + 1024 * 1024);
    // Never split a surrogate pair: each half alone would be encoded as U+FFFD.
    if (to < text.length && (text.charCodeAt(to - 1) & 0xfc00) === 0xd800) to--;
    hash.update(text.slice(from, to));
    from = to;
    if (from < text.length) await yieldToLoop();
  }
  return hash.digest('hex');
}

const SMALL = 16 * 1024;
const QUOTE = 34;
const BACKSLASH = 92;
const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * JSON.parse(text), in slices that yield to the event loop: containers larger than a few kilobytes are walked
 * member by member, everything smaller is handed to JSON.parse. Malformed text throws a SyntaxError.
 */
export async function parseInSlices(text: string): Promise<unknown> {
  const slice = slicer();
  const fail = (at: number): never => {
    throw new SyntaxError(`malformed JSON at ${at}`);
  };
  const skipSpace = (p: number) => {
    while (p < text.length && isSpace(text.charCodeAt(p))) p++;
    return p;
  };
  // The end (exclusive) of the string starting at p (its opening quote).
  const stringEnd = (p: number) => {
    let q = p;
    for (;;) {
      q = text.indexOf('"', q + 1);
      if (q < 0) return fail(p);
      let backslashes = 0;
      while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
    }
  };
  // The end (exclusive) of the value starting at p, or -1 once it is longer than `limit` characters.
  const valueEnd = (p: number, limit: number) => {
    const first = text.charCodeAt(p);
    if (first === QUOTE) {
      const e = stringEnd(p);
      return e - p > limit ? -1 : e;
    }
    if (first !== 123 && first !== 91) {
      let q = p;
      while (q < text.length) {
        const c = text.charCodeAt(q);
        if (c === 44 || c === 93 || c === 125 || isSpace(c)) break;
        q++;
      }
      return q;
    }
    let depth = 0;
    for (let q = p; q < text.length; q++) {
      if (q - p > limit) return -1;
      const c = text.charCodeAt(q);
      if (c === QUOTE) q = stringEnd(q) - 1;
      else if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && --depth === 0) return q + 1;
    }
    return fail(p);
  };
  const value = async (p: number): Promise<[unknown, number]> => {
    const small = valueEnd(p, SMALL);
    if (small >= 0) return [JSON.parse(text.slice(p, small)), small];
    const open = text.charCodeAt(p);
    if (open === QUOTE) {
      const e = stringEnd(p);
      return [JSON.parse(text.slice(p, e)), e];
    }
    const close = open === 91 ? 93 : 125;
    const out: unknown[] | Record<string, unknown> = open === 91 ? [] : {};
    let q = skipSpace(p + 1);
    if (text.charCodeAt(q) === close) return [out, q + 1];
    for (;;) {
      let key = '';
      if (!Array.isArray(out)) {
        if (text.charCodeAt(q) !== QUOTE) fail(q);
        const e = stringEnd(q);
        key = JSON.parse(text.slice(q, e)) as string;
        q = skipSpace(e);
        if (text.charCodeAt(q) !== 58) fail(q);
        q = skipSpace(q + 1);
      }
      const [v, e] = await value(q);
      if (Array.isArray(out)) out.push(v);
      // As JSON.parse: "__proto__" is an own member, not the prototype.
      else Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      await slice.pause();
      q = skipSpace(e);
      const c = text.charCodeAt(q);
      if (c === close) return [out, q + 1];
      if (c !== 44) fail(q);
      q = skipSpace(q + 1);
    }
  };
  const start = skipSpace(0);
  if (start >= text.length) fail(start);
  const [v, end] = await value(start);
  if (skipSpace(end) !== text.length) fail(end);
  return v;
}
