import unhomoglyph from 'unhomoglyph';
import { NICKNAME_MAX } from '../../../protocol/events';

/**
 * The Unicode confusables skeleton (TR39 data, after NFKD so fullwidth letters count too): a Cyrillic "а" or "А"
 * or a Greek "ο" becomes the Latin letter it imitates, so a look-alike twin of a nickname — or profanity spelt in
 * look-alike letters — is seen as what it shows. Latin letters are lower-cased first (so "I" stays "i" and is not
 * taken for "l"), everything else after. Marks are kept: Vietnamese diacritics survive an NFC recomposition.
 */
function skeleton(text: string): string {
  const latinLower = text.normalize('NFKD').replace(/\p{Script=Latin}/gu, (c) => c.toLowerCase());
  return unhomoglyph(latinLower).toLowerCase();
}

/**
 * Lower-case, look-alikes unified, without diacritics (đ → d), letters and digits only: what "the same nickname"
 * means ("Lan", "LAN", "Lân" and "Lаn" with a Cyrillic а are one).
 */
export function nicknameKey(nickname: string): string {
  return skeleton(nickname.replace(/[đĐ]/g, 'd'))
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Vietnamese stacks at most two marks on a letter (ệ, ặ, ở, ự in NFD); more is zalgo text. */
export const MAX_MARKS_PER_LETTER = 2;

const STACKED_MARKS = new RegExp(`\\p{M}{${MAX_MARKS_PER_LETTER + 1}}`, 'u');

/** True when some character carries more combining marks than Vietnamese ever needs (zalgo text). */
export function hasStackedMarks(nickname: string): boolean {
  return STACKED_MARKS.test(nickname.normalize('NFD'));
}

/** Trims, folds runs of spaces and strips control and invisible characters. */
export function cleanNickname(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

// Words refused in any position, compared with diacritics kept (Vietnamese: stripping them would
// catch innocent words — "lồn" vs "lon", "cặc" vs "các"). Both sides go through the look-alike skeleton.
const VI_WORDS = [
  'địt',
  'đụ',
  'đéo',
  'lồn',
  'cặc',
  'buồi',
  'đĩ',
  'đm',
  'đmm',
  'đcm',
  'vãi lồn',
  'óc chó',
  'chó đẻ',
  'mẹ mày',
  'con đĩ',
  'thằng chó',
].map(withMarks);
// Compared on the folded form (no diacritics, no spaces, leetspeak undone): unambiguous spellings only.
const FOLDED = [
  'dit',
  'ditme',
  'ditmemay',
  'djt',
  'dmm',
  'dcm',
  'dkm',
  'vcl',
  'vkl',
  'vl',
  'clgt',
  'cmm',
  'loz',
  'memay',
  'fuck',
  'fuk',
  'shit',
  'bitch',
  'cunt',
  'dick',
  'cock',
  'pussy',
  'asshole',
  'bastard',
  'whore',
  'slut',
  'nigger',
  'nigga',
  'faggot',
  'motherfucker',
];
// Folded words that only count as the whole nickname or a whole word (they are parts of innocent words).
const WHOLE_ONLY = ['dit', 'vl', 'dick', 'cock', 'loz', 'memay', 'fuk'];
const FOLDED_KEYS = FOLDED.map((w) => ({ key: nicknameKey(w), wholeOnly: WHOLE_ONLY.includes(w) }));

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

function fold(text: string): string {
  return nicknameKey(text.replace(/[013457@$!]/g, (c) => LEET[c] ?? c));
}

/** Look-alikes unified, marks kept (NFC), words separated by single spaces. */
function withMarks(text: string): string {
  return skeleton(text)
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

/** True when the nickname contains a word the filter refuses (Vietnamese and English), in any look-alike letters. */
export function isProfane(nickname: string): boolean {
  const spaced = ` ${withMarks(nickname)} `;
  if (VI_WORDS.some((w) => spaced.includes(` ${w} `))) return true;
  const words = spaced.trim().split(' ').map(fold);
  const compact = fold(nickname);
  return FOLDED_KEYS.some(({ key, wholeOnly }) =>
    wholeOnly ? words.includes(key) || compact === key : compact.includes(key),
  );
}

export type NicknameCheck =
  | { ok: true; nickname: string; key: string }
  | { ok: false; code: 'BAD_REQUEST' | 'NICKNAME_REJECTED'; message: string };

/** 1–24 characters after cleaning, at least one letter or digit, at most two marks on a letter, not profane. */
export function checkNickname(raw: string): NicknameCheck {
  const nickname = cleanNickname(raw);
  const length = [...nickname].length;
  if (length < 1 || length > NICKNAME_MAX)
    return { ok: false, code: 'BAD_REQUEST', message: `nickname must have 1 to ${NICKNAME_MAX} characters` };
  const key = nicknameKey(nickname);
  if (!key) return { ok: false, code: 'BAD_REQUEST', message: 'nickname needs a letter or a digit' };
  if (hasStackedMarks(nickname))
    return {
      ok: false,
      code: 'NICKNAME_REJECTED',
      message: `nickname has more than ${MAX_MARKS_PER_LETTER} accent marks on one letter`,
    };
  if (isProfane(nickname)) return { ok: false, code: 'NICKNAME_REJECTED', message: 'nickname refused by the filter' };
  return { ok: true, nickname, key };
}
