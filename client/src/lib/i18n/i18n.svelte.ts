import type { CompetenceArea, TargetGroup, UNIT_KINDS } from '../../../../protocol';
import { en } from './en';
import { vi, type Catalog, type MessageKey } from './vi';

type Lang = 'vi' | 'en';
const catalogs: Record<Lang, Catalog> = { vi, en };
const LANG_KEY = 'cds:lang';
const LARGE_KEY = 'cds:large-text';

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode or storage full: the preference just won't persist.
  }
}

/** The viewer's language and text-size preferences, persisted per device. */
class Preferences {
  lang = $state<Lang>(stored(LANG_KEY) === 'en' ? 'en' : 'vi');
  largeText = $state(stored(LARGE_KEY) === '1');

  setLang(lang: Lang): void {
    this.lang = lang;
    store(LANG_KEY, lang);
    document.documentElement.lang = lang;
  }
  toggleLang(): void {
    this.setLang(this.lang === 'vi' ? 'en' : 'vi');
  }
  toggleLargeText(): void {
    this.largeText = !this.largeText;
    store(LARGE_KEY, this.largeText ? '1' : '0');
    document.documentElement.classList.toggle('large-text', this.largeText);
  }
  /** Applies the stored preferences to the document at start-up. */
  apply(): void {
    document.documentElement.lang = this.lang;
    document.documentElement.classList.toggle('large-text', this.largeText);
  }
  get locale(): string {
    return this.lang === 'vi' ? 'vi-VN' : 'en-GB';
  }
}

export const prefs = new Preferences();

/** Fills `{name}` placeholders; numbers are formatted for the current locale. */
export function interpolate(
  template: string,
  params: Record<string, string | number | undefined> = {},
  locale = prefs.locale,
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, locale) : value;
  });
}

/** A message of the current language. Reactive: reading it inside a template follows language changes. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return interpolate(catalogs[prefs.lang][key], params);
}

/** The message for an error code (protocol or client-side); unknown codes fall back to INTERNAL. */
export function errorMessage(code: string): string {
  const errors = catalogs[prefs.lang].errors as Record<string, string>;
  return errors[code] ?? catalogs[prefs.lang].errors.INTERNAL;
}

export function groupLabel(group: TargetGroup): string {
  return catalogs[prefs.lang].groups[group];
}

export function areaLabel(area: CompetenceArea): string {
  return catalogs[prefs.lang].areas[area];
}

export function unitKindLabel(kind: (typeof UNIT_KINDS)[number]): string {
  return catalogs[prefs.lang].unitKinds[kind];
}

export function formatNumber(n: number, locale = prefs.locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);
}

export type { MessageKey };
