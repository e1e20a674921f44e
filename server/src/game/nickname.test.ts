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
    ['two marks on a letter, as Vietnamese writes them', 'Diệp Phượng Ở Ặ Ự', 'ok'],
    ['a keycap emoji (two marks)', 'Số 1\uFE0F\u20E3', 'ok'],
    ['profanity in Cyrillic look-alike letters', 'fu\u0441k', 'NICKNAME_REJECTED'],
    ['profanity all in Cyrillic look-alikes', '\u0455\u04bb\u0456t', 'NICKNAME_REJECTED'],
    ['Vietnamese profanity with a Cyrillic о', 'đé\u043e', 'NICKNAME_REJECTED'],
    ['Vietnamese profanity with a Greek ο', 'thằng chό', 'NICKNAME_REJECTED'],
    ['zalgo: 22 combining marks on one letter', `Z${'\u0301\u0316'.repeat(11)}a`, 'NICKNAME_REJECTED'],
    ['three marks on a letter', 'e\u0323\u0302\u0301', 'NICKNAME_REJECTED'],
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

  it('treats a look-alike twin as the same name: Cyrillic а beside Latin a, Greek ο, fullwidth letters', () => {
    expect(nicknameKey('L\u0430n')).toBe(nicknameKey('Lan'));
    expect(nicknameKey('H\u03bfa')).toBe(nicknameKey('Hoa'));
    expect(nicknameKey('\uff2c\uff41\uff4e')).toBe(nicknameKey('Lan'));
    expect(nicknameKey('\u0410\u041d')).toBe(nicknameKey('AH'));
    expect(nicknameKey('Ian')).toBe(nicknameKey('IAN'));
    // Distinct Vietnamese names stay distinct.
    expect(nicknameKey('Lan')).not.toBe(nicknameKey('Lân Anh'));
    expect(nicknameKey('Minh')).not.toBe(nicknameKey('Minh Anh'));
  });

  it('says why zalgo text is refused', () => {
    expect(checkNickname(`An${'\u0300'.repeat(22)}`)).toMatchObject({
      ok: false,
      code: 'NICKNAME_REJECTED',
      message: expect.stringMatching(/accent marks/),
    });
  });
});
