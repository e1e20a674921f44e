import { describe, expect, it } from 'vitest';
import { checkNickname, nicknameKey } from './nickname';

describe(checkNickname.name, () => {
  it.each<[string, string, string | null]>([
    ['a plain Vietnamese name', '  Nguyễn   Văn An ', 'ok'],
    ['emoji and digits', 'An 🚀 2025', 'ok'],
    ['too long', 'x'.repeat(25), 'BAD_REQUEST'],
    ['empty after trimming', '   ', 'BAD_REQUEST'],
    ['only punctuation', '!!!', 'BAD_REQUEST'],
    ['Vietnamese profanity', 'thằng đéo', 'NICKNAME_REJECTED'],
    ['English profanity in leetspeak', 'fuck3r', 'NICKNAME_REJECTED'],
    ['spaced abbreviation', 'v c l', 'NICKNAME_REJECTED'],
    ['innocent "lon" (can)', 'Lon bia', 'ok'],
    ['innocent "các"', 'Các bạn', 'ok'],
    ['innocent "Học chơi"', 'Học chơi', 'ok'],
  ])('%s', (_l, raw, want) => {
    const r = checkNickname(raw);
    expect(r.ok ? 'ok' : r.code).toBe(want);
  });

  it('cleans spaces and control characters', () => {
    expect(checkNickname(' Bình\u200b  An\n')).toMatchObject({ ok: true, nickname: 'Bình An' });
  });

  it('treats names equal up to case, diacritics and spaces as the same', () => {
    expect(nicknameKey('Đức Anh')).toBe(nicknameKey('duc anh'));
    expect(nicknameKey('Hòa')).toBe(nicknameKey('HOA'));
  });
});
