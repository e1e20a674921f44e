// Wires socket.io to the game service: one namespace per audience — /play (contestants, play.ts), /host (the host
// console, host.ts), /screen (the projector, screen.ts) — and the fan-out (fan-out.ts) that carries the service's
// broadcasts back out to them.
import type { Server } from 'socket.io';

import { NAMESPACES } from '../../../protocol/events';
import { registerHost, type HostDeps } from './host';
import { registerPlay, type PlayDeps } from './play';
import { registerScreen } from './screen';

export interface RealtimeDeps extends HostDeps, PlayDeps {}

/** Registers the three namespaces; the fan-out, built with the game service, is given in `deps`. */
export function attachRealtime(io: Server, deps: RealtimeDeps) {
  registerPlay(io.of(NAMESPACES.play), deps);
  registerHost(io.of(NAMESPACES.host), deps);
  registerScreen(io.of(NAMESPACES.screen), deps);
}
