import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../../protocol';
import type { ClientErrorCode } from './i18n/vi';

/** Client-side outcome of a request: the server's ack, or a TIMEOUT/NETWORK error of our own. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: { code: ClientErrorCode; message: string } };

const REQUEST_TIMEOUT_MS = 8000;

/** Opens a namespace. WebSocket first (fewer round trips on 3G), polling when a proxy blocks it. */
export function connect<S extends object, C extends object>(namespace: string): Socket<S, C> {
  return io(namespace, { transports: ['websocket', 'polling'], reconnectionDelayMax: 4000 }) as Socket<S, C>;
}

/** The part of a socket that `request` needs; tests pass a fake. */
export interface Emitter {
  connected: boolean;
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown };
}

/** Emits an event with an ack and resolves with the server's `Ack<T>`; never rejects. */
export function request<T>(
  socket: Emitter,
  event: string,
  payload: unknown,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Result<T>> {
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, ack: Ack<T>) => {
      if (err || !ack || typeof ack !== 'object') {
        resolve({
          ok: false,
          error: { code: socket.connected ? 'TIMEOUT' : 'NETWORK', message: String(err ?? 'no ack') },
        });
      } else resolve(ack as Result<T>);
    });
  });
}
