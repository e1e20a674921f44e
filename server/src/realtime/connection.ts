// What every namespace does for each new socket, whoever it serves: counts its sockets for /metrics, refuses
// events it does not know, and answers clock sync.
import type { Namespace, Socket } from 'socket.io';

import { ClockPayload, EVENTS } from '../../../protocol/events';
import { socketAddress } from '../organiser/audit';
import type { PinLookupLimiter } from '../pin-lookups';
import type { Store } from '../store/store';
import { on, refuseUnknownEvents, type HandlerDeps } from './handler';

export interface ConnectionDeps extends HandlerDeps {
  store: Store;
  /** Unknown PINs per client address (shared with GET /api/games/:pin), so sockets cannot walk the PINs either. */
  pinLookups?: PinLookupLimiter;
  /** Which peers may tell the client's address in X-Forwarded-For (config TRUST_PROXY). */
  trustProxy?: (address: string, hop: number) => boolean;
}

/** Runs a PIN lookup for this socket's client address, refused once the address has tried too many unknown PINs. */
export function lookingUpPin<T>(socket: Socket, deps: ConnectionDeps, lookup: () => Promise<T>): Promise<T> {
  if (!deps.pinLookups) return lookup();
  return deps.pinLookups.guardMisses(socketAddress(socket.handshake, deps.trustProxy), lookup);
}

/** Runs `setup` for each socket of `nsp`; `events` are the names it handles besides clock sync. */
export function onConnection(
  nsp: Namespace,
  name: 'play' | 'host' | 'screen',
  events: readonly string[],
  deps: ConnectionDeps,
  setup: (socket: Socket) => void,
) {
  const countSockets = () => deps.metrics.sockets.set({ namespace: name }, nsp.sockets.size);
  nsp.on('connection', (socket) => {
    countSockets();
    refuseUnknownEvents(socket, [...events, EVENTS.clockSync], deps);
    on(socket, EVENTS.clockSync, ClockPayload, 'other', deps, async (p) => ({
      serverTime: deps.store.clockEstimate(),
      ...(p ? { clientTime: p.clientTime } : {}),
    }));
    setup(socket);
    socket.on('disconnect', countSockets);
  });
}
