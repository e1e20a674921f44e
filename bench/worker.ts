// One load-generator process: drives a slice of the simulated contestants with socket.io-client
// (websocket transport only, one engine.io connection per contestant). Talks to bench/bench.ts over IPC.
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import type { JoinResult, PhaseView, PlayerResult } from '../protocol/events';
import { RawSocket } from './raw-socket';
import type { WorkerInit, WorkerReport, ToWorker, FromWorker } from './types';

/** What the worker needs of a client socket: socket.io-client's Socket, or the lighter RawSocket. */
interface ClientSocket {
  connected: boolean;
  on(event: string, fn: (...args: never[]) => void): unknown;
  once(event: string, fn: (...args: never[]) => void): unknown;
  removeAllListeners(): unknown;
  disconnect(): unknown;
  timeout(ms: number): { emit(event: string, payload: unknown, cb: (err: Error | null, data: never) => void): unknown };
}

type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

interface Player {
  i: number;
  nickname: string;
  node: number;
  socket?: ClientSocket;
  token?: string;
  playerId?: string;
  lastSeq: number;
  /** Questions this player has seen open (an answer was planned). */
  handled: Set<number>;
  /** Questions with an answer timer not fired yet. */
  pending: Set<number>;
  /** Questions this contestant chose not to answer. */
  skipped: Set<number>;
  /** Questions whose answer the server acknowledged as accepted, with the choice sent. */
  accepted: Record<number, number>;
  /** Questions whose answer was sent, with the choice (acknowledged or not). */
  sent: Record<number, number>;
  lastScore: number;
  /** Set while this contestant is reconnecting (churn or node death). */
  offline: boolean;
  timers: NodeJS.Timeout[];
}

const send = (m: FromWorker) => process.send!(m);
let cfg: WorkerInit;
const players: Player[] = [];
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

const stats: Omit<WorkerReport, 'players' | 'lagP99Ms' | 'lagMaxMs' | 'cpuSeconds'> = {
  joinStart: 0,
  joinEnd: 0,
  joinOk: 0,
  joinFailed: {},
  joinRetries: 0,
  fanoutMs: {},
  fanoutByNode: {},
  ackMs: [],
  answersSent: 0,
  answersAccepted: 0,
  answersRejected: {},
  answersUnacked: 0,
  resultAt: {},
  messages: 0,
  bytes: 0,
  events: {},
  reconnectMs: [],
  reconnectFailed: 0,
  churnDrops: 0,
  acceptedViaResume: 0,
  endedTops: {},
};

const rand = (min: number, max: number) => min + Math.random() * (max - min);
const bump = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1);

const countPacket = (bytes: number) => {
  stats.messages++;
  stats.bytes += bytes;
};

function connect(p: Player): ClientSocket {
  const url = cfg.urls[p.node]!;
  let s: ClientSocket;
  if (cfg.client === 'raw') s = new RawSocket(url, '/play', countPacket);
  else {
    const sio = io(`${url}/play`, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 });
    sio.io.on('open', () => {
      sio.io.engine.on('packet', (pkt: { type: string; data?: unknown }) => {
        if (pkt.type === 'message') countPacket(1 + (typeof pkt.data === 'string' ? Buffer.byteLength(pkt.data) : 0));
      });
    });
    s = sio as unknown as ClientSocket;
  }
  s.on('game:state', (view: PhaseView) => {
    bump(stats.events, 'game:state');
    onState(p, view);
  });
  s.on('game:players', () => bump(stats.events, 'game:players'));
  s.on('player:result', (r: PlayerResult) => {
    bump(stats.events, 'player:result');
    (stats.resultAt[r.questionIndex] ??= []).push(Date.now());
    p.lastScore = r.standing.score;
    // The reveal travels inside the personal result (one message per phone).
    if (r.state) onState(p, r.state);
  });
  s.on('disconnect', (reason: string) => {
    if (reason === 'io client disconnect' || stopping) return;
    // The node went away (or the connection broke): resume on the next node with the token.
    p.offline = true;
    reconnect(p, Date.now(), 1);
  });
  p.socket = s;
  return s;
}

function onState(p: Player, view: PhaseView) {
  if (view.seq <= p.lastSeq) return;
  p.lastSeq = view.seq;
  if (view.phase === 'ended')
    bump(stats.endedTops, createHash('sha1').update(JSON.stringify(view.top)).digest('hex').slice(0, 12));
  if (view.phase !== 'open') return;
  if (view.deadline !== null) {
    const ms = Date.now() - (view.deadline - view.remainingMs);
    (stats.fanoutMs[view.index] ??= []).push(ms);
    (stats.fanoutByNode[p.node] ??= []).push(ms);
  }
  planAnswer(p, view.index, view.remainingMs, view.readyMs ?? 0);
}

/** `readyMs`: the question's "get ready" still to run; answers before it are refused (NOT_OPEN_YET). */
function planAnswer(p: Player, index: number, remainingMs: number, readyMs: number) {
  if (p.handled.has(index)) return;
  p.handled.add(index);
  if (Math.random() < cfg.skipRate) {
    p.skipped.add(index);
    return;
  }
  const think = readyMs + Math.min(rand(cfg.thinkMinMs, cfg.thinkMaxMs), Math.max(0, remainingMs - readyMs - 1500));
  if (Math.random() < cfg.churn) {
    // Drop before answering, come back with the token, then answer.
    const dropAt = rand(0, Math.max(think - 200, 0));
    p.timers.push(
      setTimeout(() => {
        stats.churnDrops++;
        p.offline = true;
        p.socket?.disconnect();
        p.timers.push(setTimeout(() => reconnect(p, Date.now(), 0), rand(300, 1200)));
      }, dropAt),
    );
  }
  schedule(p, index, think);
}

function schedule(p: Player, index: number, delayMs: number) {
  p.pending.add(index);
  p.timers.push(
    setTimeout(() => {
      p.pending.delete(index);
      answer(p, index);
    }, delayMs),
  );
}

function answer(p: Player, index: number) {
  // Offline at thinking time: the resume answers instead (see reconnect).
  if (p.offline || !p.socket?.connected) return;
  const correct = index % 4;
  const choice = Math.random() < cfg.correctRate ? correct : (correct + 1 + Math.floor(Math.random() * 3)) % 4;
  const t0 = Date.now();
  stats.answersSent++;
  p.sent[index] = choice;
  p.socket
    .timeout(10_000)
    .emit('answer:submit', { questionIndex: index, choice }, (err: Error | null, ack: Ack<unknown>) => {
      if (err) return void stats.answersUnacked++;
      stats.ackMs.push(Date.now() - t0);
      if (ack.ok) {
        stats.answersAccepted++;
        p.accepted[index] = choice;
      } else bump(stats.answersRejected, ack.error.code);
    });
}

/** Reconnects (to the next node when `shift` is 1) and resumes with the token. */
function reconnect(p: Player, since: number, shift: number, attempt = 0) {
  if (stopping) return;
  p.socket?.removeAllListeners();
  p.socket?.disconnect();
  p.node = (p.node + shift) % cfg.urls.length;
  const s = connect(p);
  const retry = () => {
    s.removeAllListeners();
    s.disconnect();
    if (Date.now() - since > 30_000) return void stats.reconnectFailed++;
    p.timers.push(setTimeout(() => reconnect(p, since, 1, attempt + 1), rand(100, 400)));
  };
  s.once('connect_error', retry);
  s.once('connect', () => {
    s.timeout(10_000).emit(
      'player:resume',
      { pin: cfg.pin, token: p.token },
      (err: Error | null, ack: Ack<JoinResult>) => {
        if (err || !ack.ok) return retry();
        stats.reconnectMs.push(Date.now() - since);
        p.offline = false;
        const { state, answered } = ack.data;
        p.lastScore = ack.data.me.score;
        if (state.seq > p.lastSeq) p.lastSeq = state.seq;
        if (state.phase === 'open') {
          p.handled.add(state.index);
          // Recorded by the server but the ack was lost with the connection: it counts, with the choice we sent.
          if (answered && p.accepted[state.index] === undefined && p.sent[state.index] !== undefined) {
            p.accepted[state.index] = p.sent[state.index]!;
            stats.acceptedViaResume++;
          }
          // Not recorded, not acknowledged, no answer timer still to fire: answer now (an in-flight answer lost with a node is re-sent).
          if (
            !answered &&
            p.accepted[state.index] === undefined &&
            !p.pending.has(state.index) &&
            !p.skipped.has(state.index) &&
            state.remainingMs > 800
          )
            schedule(p, state.index, rand(100, Math.min(1500, state.remainingMs - 700)));
        }
      },
    );
  });
}

/** Connects and joins; a failed connection is retried like a phone's socket.io-client would (up to 4 times, 1–3 s apart). */
function join(p: Player, attempt = 0): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(p);
    const fail = (code: string) => {
      bump(stats.joinFailed, code);
      resolve();
    };
    s.once('connect_error', (e: Error) => {
      s.removeAllListeners();
      s.disconnect();
      if (attempt >= 4 || stopping) return fail(`connect_error:${e.message}`);
      stats.joinRetries++;
      setTimeout(() => void join(p, attempt + 1).then(resolve), rand(1000, 3000));
    });
    s.once('connect', () => {
      s.timeout(30_000).emit(
        'player:join',
        { pin: cfg.pin, nickname: p.nickname, group: 'nguoi-dan', consent: true },
        (err: Error | null, ack: Ack<JoinResult>) => {
          if (err) return fail('timeout');
          if (!ack.ok) return fail(ack.error.code);
          p.token = ack.data.token;
          p.playerId = ack.data.me.playerId;
          p.lastSeq = Math.max(p.lastSeq, ack.data.state.seq);
          stats.joinOk++;
          stats.joinEnd = Date.now();
          resolve();
        },
      );
    });
  });
}

let stopping = false;

async function joinAll() {
  const n = cfg.to - cfg.from;
  for (let k = 0; k < n; k++) {
    const i = cfg.from + k;
    players.push({
      i,
      nickname: `b${i}`,
      node: i % cfg.urls.length,
      lastSeq: -1,
      handled: new Set(),
      pending: new Set(),
      skipped: new Set(),
      accepted: {},
      sent: {},
      lastScore: 0,
      offline: false,
      timers: [],
    });
  }
  stats.joinStart = Date.now();
  const gapMs = 1000 / cfg.joinRate;
  const pending: Promise<void>[] = [];
  for (let k = 0; k < n; k++) {
    const due = stats.joinStart + k * gapMs;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(join(players[k]!));
  }
  await Promise.all(pending);
  send({ type: 'joined', ok: stats.joinOk, failed: stats.joinFailed });
}

process.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    cfg = m.init;
    void joinAll();
  } else if (m.type === 'report') {
    const report = {
      type: 'report',
      report: {
        ...stats,
        lagP99Ms: lag.percentile(99) / 1e6,
        lagMaxMs: lag.max / 1e6,
        cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
        players: players.map((p) => ({
          i: p.i,
          playerId: p.playerId ?? null,
          accepted: p.accepted,
          lastScore: p.lastScore,
          node: p.node,
        })),
      },
    } as const;
    // Each report covers the event-loop delay since the one before: the last one is the game's alone.
    lag.reset();
    send(report);
  } else if (m.type === 'stop') {
    stopping = true;
    for (const p of players) {
      p.timers.forEach(clearTimeout);
      p.socket?.removeAllListeners();
      p.socket?.disconnect();
    }
    setTimeout(() => process.exit(0), 200);
  }
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0)); // exit normally, so that --cpu-prof writes its profile
