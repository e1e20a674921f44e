// What the phone keeps between visits (reconnect tokens, contestant credentials, the device id): localStorage
// where the browser allows it, a memory map in private modes that refuse it (then only this tab remembers).

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** localStorage when it works; a memory map in private modes that refuse it. */
export function deviceStore(): KeyValueStore {
  try {
    localStorage.setItem('cds:probe', '1');
    localStorage.removeItem('cds:probe');
    return localStorage;
  } catch {
    const m = new Map<string, string>();
    return {
      getItem: (k) => m.get(k) ?? null,
      setItem: (k, v) => void m.set(k, v),
      removeItem: (k) => void m.delete(k),
    };
  }
}
