// What every namespace does for each new socket, whoever it serves: counts its sockets for /metrics, refuses
// events it does not know, and answers clock sync.
import type { Namespace, Socket } from 'socket.io';

import { ClockPayload, EVENTS } from '../../../protocol/events';
import type { Store } from '../store/store';
import { on, refuseUnknownEvents, type HandlerDeps } from './handler';

export interface ConnectionDeps extends HandlerDeps {
  store: Store;
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
