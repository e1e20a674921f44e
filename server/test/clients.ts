// Real socket.io clients for integration tests: every raw packet is recorded so tests can scan them.
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../protocol/errors';
import type { Choice, JoinResult, PhaseView, PlayerResult } from '../../protocol/events';
import { toShownChoice } from '../src/game/option-order';
import { optionOrder, type GameRecord } from '../src/game/state';

export async function login(url: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export async function createGame(
  url: string,
  token: string,
  contestId: string,
  roundId: string,
): Promise<{ pin: string; hostToken: string; joinUrl: string }> {
  const res = await fetch(`${url}/api/games`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ contestId, roundId }),
  });
  if (!res.ok) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { pin: string; hostToken: string; joinUrl: string };
}

export async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A socket.io client on one namespace that records states, results and every raw packet. */
export class TestClient {
  readonly socket: Socket;
  readonly raw: string[] = [];
  readonly states: PhaseView[] = [];
  readonly results: PlayerResult[] = [];
  readonly events: { event: string; args: unknown[] }[] = [];

  constructor(url: string, namespace: '/play' | '/host' | '/screen') {
    this.socket = io(`${url}${namespace}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.socket.io.on('open', () => {
      this.socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
        if (typeof p.data === 'string') this.raw.push(p.data);
      });
    });
    this.socket.onAny((event: string, ...args: unknown[]) => {
      this.events.push({ event, args });
      if (event === 'game:state') this.states.push(args[0] as PhaseView);
      if (event === 'player:result') {
        const r = args[0] as PlayerResult;
        this.results.push(r);
        // Contestants get the reveal inside their result, as the phone app reads it.
        if (r.state) this.states.push(r.state);
      }
    });
  }

  async connected(): Promise<this> {
    if (this.socket.connected) return this;
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
    return this;
  }

  emit<T = unknown>(event: string, payload?: unknown): Promise<Ack<T>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack<T>>;
  }

  async ok<T = unknown>(event: string, payload?: unknown): Promise<T> {
    const ack = await this.emit<T>(event, payload);
    if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }

  last(): PhaseView | undefined {
    return this.states.reduce<PhaseView | undefined>((a, s) => (!a || s.seq > a.seq ? s : a), undefined);
  }

  async phase(phase: PhaseView['phase'], index?: number, timeoutMs?: number): Promise<PhaseView> {
    const match = () => this.states.find((s) => s.phase === phase && (index === undefined || s.index === index));
    await waitUntil(() => !!match(), `phase ${phase}${index ?? ''}`, timeoutMs);
    return match()!;
  }

  close() {
    this.socket.disconnect();
  }
}

export async function joinPlayer(
  url: string,
  pin: string,
  nickname: string,
  extra: Record<string, unknown> = {},
): Promise<{ client: TestClient; join: JoinResult }> {
  const client = await new TestClient(url, '/play').connected();
  const join = await client.ok<JoinResult>('player:join', {
    pin,
    nickname,
    group: 'nguoi-dan',
    consent: true,
    ...extra,
  });
  client.states.push(join.state);
  return { client, join };
}

/** What a phone sends for a choice written in the bank's order: each live game shows the options in its own drawn order. */
export function shownChoice(game: GameRecord | null, index: number, bank: number | number[]): Choice {
  if (!game) throw new Error('no such game');
  return toShownChoice(game.questions[index]!, optionOrder(game, index), bank);
}
