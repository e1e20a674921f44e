// Caps open TCP connections per client address and drops connections that never finish their request headers,
// so one phone (or one laptop on the venue's Wi-Fi) holding hundreds of half-open sockets cannot starve the rest.
import type { Server } from 'node:http';

export interface ConnectionLimits {
  /** Open connections one address may hold; more are closed at once (a hall behind one NAT shares an address). */
  perAddress: number;
  /** Addresses not counted: the trusted load balancer, which carries everyone's connections. */
  exempt?: (address: string) => boolean;
  /** A request's headers must arrive within this time (a silent or trickling connection is dropped). */
  headersTimeoutMs?: number;
  /** The whole request (an upload included) must arrive within this time. */
  requestTimeoutMs?: number;
}

/** Wires the limits into an HTTP server (created with a short connectionsCheckingInterval, so timeouts bite soon). */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  server.headersTimeout = limits.headersTimeoutMs ?? 10_000;
  server.requestTimeout = limits.requestTimeoutMs ?? 120_000;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress;
    if (!address || limits.exempt?.(address)) return;
    const count = open.get(address) ?? 0;
    if (count >= limits.perAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
