// The contestant's token and code for one contest, kept on the device (localStorage, one key per contest), so a
// reload or a reopened browser carries on without asking again.

export interface Credentials {
  token: string;
  /** Shown at registration; absent after a resume (the contestant typed it, they have it). */
  code?: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const key = (contestId: string) => `cds:online:${contestId}`;

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

export function loadCredentials(store: KeyValueStore, contestId: string): Credentials | null {
  try {
    const v = JSON.parse(store.getItem(key(contestId)) ?? 'null') as Partial<Credentials> | null;
    return v && typeof v.token === 'string'
      ? { token: v.token, ...(typeof v.code === 'string' ? { code: v.code } : {}) }
      : null;
  } catch {
    return null;
  }
}

export function saveCredentials(store: KeyValueStore, contestId: string, creds: Credentials): void {
  store.setItem(key(contestId), JSON.stringify(creds));
}

export function clearCredentials(store: KeyValueStore, contestId: string): void {
  store.removeItem(key(contestId));
}
