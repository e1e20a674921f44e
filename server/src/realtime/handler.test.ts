import type { Socket } from 'socket.io';
import { describe, expect, it } from 'vitest';

import { consumeLimit, LIMITS } from './handler';

// Only the socket's identity matters to the limiter: its windows are kept per socket object.
const fakeSocket = () => ({}) as Socket;

describe('consumeLimit (per-socket fixed windows)', () => {
  it('allows the points of a window, refuses the next, and opens a new window once the old one ends', () => {
    const socket = fakeSocket();
    const { points, durationMs } = LIMITS.answer;
    const t0 = 1_000_000;
    for (let i = 0; i < points; i++) expect(consumeLimit(socket, 'answer', t0 + i)).toBe(true);
    expect(consumeLimit(socket, 'answer', t0 + points)).toBe(false);
    expect(consumeLimit(socket, 'answer', t0 + durationMs - 1)).toBe(false);
    expect(consumeLimit(socket, 'answer', t0 + durationMs)).toBe(true);
  });

  it('counts each socket and each limit apart', () => {
    const a = fakeSocket();
    const b = fakeSocket();
    const t = 5_000_000;
    for (let i = 0; i < LIMITS.join.points; i++) expect(consumeLimit(a, 'join', t)).toBe(true);
    expect(consumeLimit(a, 'join', t)).toBe(false);
    expect(consumeLimit(b, 'join', t)).toBe(true);
    expect(consumeLimit(a, 'answer', t)).toBe(true);
  });
});
