import type { Ack } from '../../../protocol';

type Reply = (payload: unknown) => Ack<unknown> | undefined;

/** A socket.io stand-in for state tests: records emits, answers acks from `replies`, fires server events. */
export class FakeSocket {
  connected = true;
  emitted: { event: string; payload: unknown }[] = [];
  replies: Record<string, Reply> = {};
  private handlers = new Map<string, ((...args: never[]) => void)[]>();

  timeout(_ms: number) {
    return {
      emit: (event: string, payload: unknown, cb: (err: Error | null, ack?: Ack<unknown>) => void) => {
        this.emitted.push({ event, payload });
        const reply = this.replies[event]?.(payload);
        queueMicrotask(() => (reply ? cb(null, reply) : cb(new Error('operation has timed out'))));
      },
    };
  }
  on(event: string, handler: (...args: never[]) => void): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  /** Simulates the server pushing an event (or socket.io firing connect/disconnect). */
  fire(event: string, ...args: unknown[]): void {
    for (const h of this.handlers.get(event) ?? []) (h as (...a: unknown[]) => void)(...args);
  }
  disconnect(): this {
    this.connected = false;
    return this;
  }
  sent(event: string): unknown[] {
    return this.emitted.filter((e) => e.event === event).map((e) => e.payload);
  }
}

/** Waits for queued acks and the state updates they cause. */
export const flush = () => new Promise((r) => setTimeout(r, 0));
