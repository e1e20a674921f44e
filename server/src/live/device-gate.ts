// One device, one player per game, and a kicked device never comes back: the fast local pre-check of the live join
// path. The store's addPlayer is what makes it hold (it refuses a device any player of the game ever held, in the
// same atomic step), so two joins from one device through two nodes at once still make one player. This index only
// spares the store most repeated joins and tells a kicked device KICKED rather than DEVICE_ALREADY_JOINED.
import type { GameState } from '../game/state';
import { hashToken } from '../auth';
import { GameError } from '../errors';
import type { Store } from '../store/store';

export const DEVICE_JOINED_MESSAGE = 'this device already joined this game; resume instead';

/** How a device id is kept: hashed with the PIN, so a stored player record does not carry the phone's own id. */
export function deviceKey(pin: string, device: string): string {
  return hashToken(`${pin}:device:${device}`).slice(0, 22);
}

/** How a client address is kept, to find join bursts: hashed with the PIN, never the address itself. */
export function originKey(pin: string, address: string): string {
  return hashToken(`${pin}:origin:${address}`).slice(0, 16);
}

export class DeviceGate {
  private games = new Map<string, { readAt: number; devices: Set<string> }>();

  constructor(
    private readonly store: Store,
    private readonly refreshMs = 5000,
  ) {}

  /**
   * Reserves `key` for a join to game `pin` (state read by the caller): refused as KICKED when the host removed
   * that device, as DEVICE_ALREADY_JOINED when a player of the game holds it. Returns a release for a join that
   * then fails.
   */
  async reserve(pin: string, key: string, state: GameState): Promise<() => void> {
    if (state.banned?.includes(key)) throw new GameError('KICKED', 'this device was removed from the game by the host');
    const now = Date.now();
    let entry = this.games.get(pin);
    if (!entry || now - entry.readAt > this.refreshMs) {
      const players = await this.store.getPlayers(pin);
      entry = this.games.get(pin) ?? { readAt: 0, devices: new Set() };
      for (const p of players) if (p.device) entry.devices.add(p.device);
      entry.readAt = now;
      this.games.set(pin, entry);
      this.forgetOld(now);
    }
    // From here on nothing awaits: two joins racing on this node cannot both pass.
    if (entry.devices.has(key)) throw new GameError('DEVICE_ALREADY_JOINED', DEVICE_JOINED_MESSAGE);
    entry.devices.add(key);
    const devices = entry.devices;
    return () => void devices.delete(key);
  }

  /** Games not joined for an hour are dropped from this node's index (the store still knows their players). */
  private forgetOld(now: number) {
    for (const [pin, e] of this.games) if (now - e.readAt > 3_600_000) this.games.delete(pin);
  }
}
