import { describe, expect, it } from 'vitest';
import {
  COMPETENCE_AREA_LABELS_VI,
  COMPETENCE_AREAS,
  ERROR_CODES,
  TARGET_GROUP_LABELS_VI,
  TARGET_GROUPS,
} from '../../../../protocol';
import { en } from './en';
import { errorMessage, interpolate, prefs, t } from './i18n.svelte';
import { vi } from './vi';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('catalogs', () => {
  it('English has exactly the Vietnamese keys', () => {
    expect(keys(en).sort()).toEqual(keys(vi).sort());
  });
  it.each(ERROR_CODES)('error %s has a message in both catalogs', (code) => {
    expect(vi.errors[code]).toBeTruthy();
    expect(en.errors[code]).toBeTruthy();
  });
  it('target group names match the protocol', () => {
    for (const g of TARGET_GROUPS) expect(vi.groups[g]).toBe(TARGET_GROUP_LABELS_VI[g]);
  });
  it('competence area names match the protocol (screens, exports and the report say the same)', () => {
    for (const a of COMPETENCE_AREAS) expect(vi.areas[a]).toBe(COMPETENCE_AREA_LABELS_VI[a]);
  });
  it('placeholders are the same in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const flat = (o: Record<string, unknown>) =>
      Object.entries(o).filter(([, v]) => typeof v === 'string') as [string, string][];
    const enMap = new Map(flat(en as never));
    for (const [k, v] of flat(vi as never)) expect(vars(enMap.get(k)!), k).toEqual(vars(v));
  });
});

describe(interpolate.name, () => {
  it.each([
    { tpl: 'Câu {n}/{total}', params: { n: 2, total: 5 }, locale: 'vi-VN', out: 'Câu 2/5' },
    { tpl: '{n} điểm', params: { n: 12500 }, locale: 'vi-VN', out: '12.500 điểm' },
    { tpl: '{n} points', params: { n: 12500 }, locale: 'en-GB', out: '12,500 points' },
    { tpl: 'Hi {name} {missing}', params: { name: 'Lan' }, locale: 'vi-VN', out: 'Hi Lan {missing}' },
  ])('$tpl', ({ tpl, params, locale, out }) => expect(interpolate(tpl, params, locale)).toBe(out));
});

describe('language switch', () => {
  it('t() and errorMessage() follow the chosen language', () => {
    prefs.setLang('vi');
    expect(t('answerRecorded')).toBe('Đã ghi nhận câu trả lời');
    expect(errorMessage('TOO_LATE')).toBe('Đã hết giờ trả lời.');
    prefs.setLang('en');
    expect(t('answerRecorded')).toBe('Answer recorded');
    expect(document.documentElement.lang).toBe('en');
    expect(errorMessage('NOT_A_CODE')).toBe(en.errors.INTERNAL);
    prefs.setLang('vi');
  });
});

describe('online round messages', () => {
  it('English has every Vietnamese key with the same placeholders', async () => {
    const { onlineEn, onlineVi } = await import('./online');
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(onlineEn).sort()).toEqual(Object.keys(onlineVi).sort());
    for (const [k, v] of Object.entries(onlineVi))
      expect(vars(onlineEn[k as keyof typeof onlineEn]), k).toEqual(vars(v));
  });
  it('formats instants in Vietnam time whatever the phone zone', async () => {
    const { formatVnTime } = await import('./online');
    prefs.setLang('vi');
    expect(formatVnTime(Date.parse('2026-09-07T08:00+07:00'))).toBe('8:00 ngày 7/9/2026 (giờ Việt Nam)');
    expect(formatVnTime(Date.parse('2026-09-27T16:59Z'))).toBe('23:59 ngày 27/9/2026 (giờ Việt Nam)');
  });
});
