/**
 * Which sound the projector plays for a change of phase, and where the host's sound switch is remembered.
 * Pure and small so it loads with the screen; the synthesiser (sound.ts) loads only once sound is on.
 */
import type { Phase } from '../../../protocol';

/** Looping music to play in a phase, if any. */
export type Music = 'lobby' | 'question' | null;
/** A one-off sound for a change of phase. */
export type Cue = 'time-up' | 'reveal' | 'fanfare';

export function musicFor(phase: Phase | null): Music {
  if (phase === 'lobby') return 'lobby';
  if (phase === 'open') return 'question';
  return null;
}

/** The one-off sound when the phase goes from `prev` to `next` (nothing on a page load mid-game). */
export function cueFor(prev: Phase | null, next: Phase): Cue | null {
  if (prev === null || prev === next) return null;
  // Time ran out (or the host closed it): a reveal right after "open" means everyone answered early.
  if (next === 'closed' && prev === 'open') return 'time-up';
  if (next === 'reveal') return 'reveal';
  if (next === 'podium') return 'fanfare';
  return null;
}

const KEY = 'cds:screen-sound';

/** Off unless the host turned it on on this computer before. */
export function soundRemembered(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): boolean {
  try {
    return storage?.getItem(KEY) === 'on';
  } catch {
    return false; // storage blocked (private mode): sound starts off
  }
}

export function rememberSound(
  on: boolean,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered; the switch still works for this page.
  }
}
