// The phone's random device id (the same key the live join uses): practice sessions completed on this phone are
// counted under it (hashed on the server) for the "practice sessions" badge.
import type { KeyValueStore } from '../lib/device-store';

const DEVICE_KEY = 'cds:device';

export function deviceIdOf(store: KeyValueStore): string {
  let id = store.getItem(DEVICE_KEY);
  if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
    id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    store.setItem(DEVICE_KEY, id);
  }
  return id;
}

/** The practice session in progress on this phone, per contest, so a reload carries on. */
export const sessionKey = (contestId: string) => `cds:practice:${contestId}`;
