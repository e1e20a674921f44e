import { NICKNAME_MAX } from '../../../protocol/events';

/** Lower-case, without diacritics (đ → d), letters and digits only: what "the same nickname" means. */
export function nicknameKey(nickname: string): string {
  return nickname
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
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
// catch innocent words — "lồn" vs "lon", "cặc" vs "các").
const VI_WORDS = ['địt', 'đụ', 'đéo', 'lồn', 'cặc', 'buồi', 'đĩ', 'đm', 'đmm', 'đcm', 'vãi lồn', 'óc chó', 'chó đẻ', 'mẹ mày', 'con đĩ', 'thằng chó'];
// Compared on the folded form (no diacritics, no spaces, leetspeak undone): unambiguous spellings only.
const FOLDED = [
  'dit', 'ditme', 'ditmemay', 'djt', 'dmm', 'dcm', 'dkm', 'vcl', 'vkl', 'vl', 'clgt', 'cmm', 'loz', 'memay',
  'fuck', 'fuk', 'shit', 'bitch', 'cunt', 'dick', 'cock', 'pussy', 'asshole', 'bastard', 'whore', 'slut', 'nigger', 'nigga', 'faggot', 'motherfucker',
];
// Folded words that only count as the whole nickname or a whole word (they are parts of innocent words).
const WHOLE_ONLY = new Set(['dit', 'vl', 'dick', 'cock', 'loz', 'memay', 'fuk']);

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };

function fold(text: string): string {
  return nicknameKey(text.replace(/[013457@$!]/g, (c) => LEET[c] ?? c));
}

/** True when the nickname contains a word the filter refuses (Vietnamese and English). */
export function isProfane(nickname: string): boolean {
  const lower = ` ${nickname.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  if (VI_WORDS.some((w) => lower.includes(` ${w} `))) return true;
  const words = lower.trim().split(' ').map(fold);
  const compact = fold(nickname);
  return FOLDED.some((w) => (WHOLE_ONLY.has(w) ? words.includes(w) || compact === w : compact.includes(w)));
}

export type NicknameCheck = { ok: true; nickname: string; key: string } | { ok: false; code: 'BAD_REQUEST' | 'NICKNAME_REJECTED'; message: string };

/** 1–24 characters after cleaning, at least one letter or digit, not profane. */
export function checkNickname(raw: string): NicknameCheck {
  const nickname = cleanNickname(raw);
  const length = [...nickname].length;
  if (length < 1 || length > NICKNAME_MAX) return { ok: false, code: 'BAD_REQUEST', message: `nickname must have 1 to ${NICKNAME_MAX} characters` };
  const key = nicknameKey(nickname);
  if (!key) return { ok: false, code: 'BAD_REQUEST', message: 'nickname needs a letter or a digit' };
  if (isProfane(nickname)) return { ok: false, code: 'NICKNAME_REJECTED', message: 'nickname refused by the filter' };
  return { ok: true, nickname, key };
}
