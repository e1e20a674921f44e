import { describe, expect, it } from 'vitest';
import { DisplayPrefs } from './display-prefs.svelte';
import type { KeyValueStore } from './device-store';

const memory = (): KeyValueStore & { m: Map<string, string> } => {
  const m = new Map<string, string>();
  return {
    m,
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
};

describe(DisplayPrefs.name, () => {
  it('remembers high contrast and reduced motion on the device and puts them on the document', () => {
    const store = memory();
    const root = document.createElement('html');
    const prefs = new DisplayPrefs(store);
    expect([prefs.highContrast, prefs.reducedMotion]).toEqual([false, false]);
    prefs.toggleHighContrast();
    prefs.toggleReducedMotion();
    prefs.apply(root);
    expect(root.className).toBe('high-contrast reduce-motion');
    expect(Object.fromEntries(store.m)).toEqual({ 'cds:high-contrast': '1', 'cds:reduced-motion': '1' });
    // The next visit starts with both on.
    const again = new DisplayPrefs(store);
    expect([again.highContrast, again.reducedMotion]).toEqual([true, true]);
    again.toggleHighContrast();
    again.apply(root);
    expect(root.className).toBe('reduce-motion');
    expect(new DisplayPrefs(store).highContrast).toBe(false);
  });
});
