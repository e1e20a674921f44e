// The contestant's token and code for one contest, kept on the device (localStorage, one key per contest), so a
// reload or a reopened browser carries on without asking again.
import type { KeyValueStore } from '../lib/device-store';

export interface Credentials {
  token: string;
  /** Shown at registration; absent after a resume (the contestant typed it, they have it). */
  code?: string;
}

const key = (contestId: string) => `cds:online:${contestId}`;

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
