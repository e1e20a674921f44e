// Wires socket.io to the game service: one namespace per audience — /play (contestants, play.ts), /host (the host
// console, host.ts), /screen (the projector, screen.ts) — and the fan-out (fan-out.ts) that carries the service's
// broadcasts back out to them.
import type { Server } from 'socket.io';

import { NAMESPACES } from '../../../protocol/events';
import { FanOut, type FanOutDeps } from './fan-out';
import { registerHost, type HostDeps } from './host';
import { registerPlay, type PlayDeps } from './play';
import { registerScreen } from './screen';

export interface RealtimeDeps extends HostDeps, Omit<PlayDeps, 'fanOut'>, Omit<FanOutDeps, 'personalResults'> {}

/** Registers the three namespaces; the returned fan-out is the game service's broadcaster. */
export function attachRealtime(io: Server, deps: RealtimeDeps) {
  const { games } = deps;
  const fanOut = new FanOut(io, { ...deps, personalResults: (pin, index, players) => games.personalResults(pin, index, players) });
  registerPlay(io.of(NAMESPACES.play), { ...deps, fanOut });
  registerHost(io.of(NAMESPACES.host), deps);
  registerScreen(io.of(NAMESPACES.screen), deps);
  games.setBroadcaster(fanOut);
  return fanOut;
}
