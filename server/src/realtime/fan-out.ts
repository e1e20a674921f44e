// How the game service reaches connected clients (the Broadcaster of live/games.ts): phase views to every
// audience's room, the reveal with each phone's personal result, kicks, claim codes, and the answer and player
// counts a few times a second. Keeps this node's contestants, to whom the reveal goes one by one.
//
// Phones are written to in chunks, one chunk per event-loop turn: a socket.io room broadcast writes every socket
// in one synchronous loop (~25 µs each: 10,000 phones held the loop for a quarter of a second, and every other
// game, answer and host command on the node waited). Each node writes its own phones, in order per game.
//
// Phones get fewer messages than host and screen (each message to a phone is a frame, a write and a wake-up on
// both ends): no leaderboard view (the reveal they get carries the board, see views.ts), and the `closed` view
// only when the reveal has not followed it within CLOSED_WAIT_MS (a question closed early by the host, a slow or
// refused scoring): normally the reveal comes first and replaces it.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Namespace, Server, Socket } from 'socket.io';

import {
  EVENTS,
  NAMESPACES,
  type ClaimNotice,
  type HostReplaced,
  type PhaseView,
  type PlayerResult,
  type PlayerSummary,
} from '../../../protocol/events';
import type { PlayerRecord } from '../game/state';
import type { Broadcaster, LiveGames } from '../live/games';
import type { Views } from '../live/views';
import type { Metrics } from '../metrics';
import type { Store } from '../store/store';
import { hostRoom, playerRoom, room } from './rooms';

/** Between nodes: a question was scored; carries the phones' reveal view, which each node sends with its players' results. */
const REVEALED = 'cds:revealed';
/** Between nodes: an event for every phone of a game; each node writes it to its own phones, in chunks. */
const TO_PHONES = 'cds:phones';
/** Phones written per event-loop turn (about 10 ms of writes on a small machine). */
const PHONES_PER_TURN = 400;
/** How long a `closed` view waits for the reveal before it goes to the phones anyway. */
const CLOSED_WAIT_MS = 1000;

/**
 * Waits until the event loop has been round once (its timers, then its sockets), before a write's second chunk. A
 * write starts in a socket's callback (the journal's or Redis' reply, a host's command), and an immediate queued
 * there runs in the same round, before any timer or socket: the first two chunks held the loop as one turn (the
 * reveal's at 5,000 phones: 74 ms, 25 of them the second chunk's, measured). From an immediate, one more is a round.
 */
const nextRound = () => nextTurn().then(() => nextTurn());
/** Waits before a later chunk of phones (the first goes at once): the second a round later, the others a turn. */
const beforeChunk = (from: number) => (from === PHONES_PER_TURN ? nextRound() : nextTurn());

export interface FanOutDeps {
  store: Store;
  metrics: Metrics;
  log: { error(obj: object, msg: string): void };
  /** Redis mode: other nodes must hear "question scored" too. */
  clustered: boolean;
  /** Each phone's result of a scored question (LiveGames.personalResults), a chunk of phones at a time. */
  personalResults: LiveGames['personalResults'];
  /** How often host and screen get answer counts (ms). */
  answersEveryMs?: number;
  playersEveryMs?: number;
  /** How long phones' `closed` view waits for the reveal (ms; default CLOSED_WAIT_MS). */
  closedWaitMs?: number;
}

/** socket.io's own path from an encoded packet to the socket (what its adapter uses for every broadcast). */
interface EngineWriter {
  writeToEngine(packets: string[], opts: { preEncoded?: boolean; wsPreEncodedFrame?: Buffer[] }): void;
}

/**
 * One message for phones, encoded once: the socket.io packet (`2<namespace>,[event,payload]`) for transports that
 * take text, and the whole WebSocket frame for the rest. The frame is one buffer: the adapter's pre-encoded frame is
 * two (header, payload), which ws writes corked, through the stream's buffered writev path; one buffer is one plain
 * write, a few µs less per phone (10,000 phones: each µs is 10 ms of the question's fan-out).
 */
interface Encoded {
  packet: string;
  frame: Buffer[];
}

function encodeFor(nsp: string, event: string, json: string): Encoded {
  const packet = `2${nsp},[${JSON.stringify(event)},${json}]`;
  return { packet, frame: [wsTextFrame([`4${packet}`])] };
}

/** An unmasked, final WebSocket text frame (RFC 6455 §5.2) of the parts in turn, as a server sends it. */
export function wsTextFrame(parts: (string | Buffer)[]): Buffer {
  let length = 0;
  for (const p of parts) length += typeof p === 'string' ? Buffer.byteLength(p) : p.length;
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  let at = header;
  for (const p of parts) at += typeof p === 'string' ? frame.write(p, at, 'utf8') : p.copy(frame, at);
  return frame;
}

/**
 * Writes an encoded message as socket.io's adapter writes a broadcast (engine.io sends the frame as it is over a
 * WebSocket without compression, and the packet otherwise). A socket.io without that path gets a plain emit.
 */
function sendEncoded(socket: Socket, event: string, json: string, encoded: Encoded) {
  const client = socket.client as unknown as Partial<EngineWriter>;
  if (typeof client.writeToEngine !== 'function') return void socket.emit(event, JSON.parse(json));
  client.writeToEngine([encoded.packet], { preEncoded: true, wsPreEncodedFrame: encoded.frame });
}

export class FanOut implements Broadcaster {
  private readonly play: Namespace;
  private readonly host: Namespace;
  private readonly screen: Namespace;
  /** This node's contestants by game: personal results go to them directly, never one by one through Redis. */
  private readonly local = new Map<string, Map<string, { socket: Socket; player: PlayerRecord }>>();
  private readonly answersDirty = new Map<string, number>();
  private readonly playersDirty = new Map<string, PlayerSummary[]>();
  private readonly timers: NodeJS.Timeout[];
  /** Per game, the tail of its writes to phones: a message never overtakes the one before it on a phone. */
  private readonly phoneQueues = new Map<string, Promise<void>>();
  /**
   * Per game, how many phase views were queued for its phones. A view still being written when a newer one is
   * queued stops there: the phones it has not reached get the newer one sooner (a phone's view carries `seq`,
   * and it draws whichever it has; the `closed` screen is skipped by phones the reveal reaches first).
   */
  private readonly views = new Map<string, number>();
  /** Per game, a `closed` view waiting for the reveal (writePhones): any newer view or the reveal cancels it. */
  private readonly closedWaiting = new Map<string, NodeJS.Timeout>();

  constructor(
    io: Server,
    private readonly deps: FanOutDeps,
  ) {
    this.play = io.of(NAMESPACES.play);
    this.host = io.of(NAMESPACES.host);
    this.screen = io.of(NAMESPACES.screen);
    if (deps.clustered) {
      this.play.on(REVEALED, (pin: string, index: number, reveal: PhaseView) => this.sendReveal(pin, index, reveal));
      this.play.on(TO_PHONES, (pin: string, event: string, payload: unknown) => this.writePhones(pin, event, payload));
    }
    // Throttled counts: a few updates a second per game, never one broadcast per answer.
    this.timers = [
      setInterval(() => this.sendAnswerCounts(), deps.answersEveryMs ?? 250),
      setInterval(() => this.sendPlayerCounts(), deps.playersEveryMs ?? 1000),
    ];
  }

  /** A contestant joined or resumed on this node: the reveal comes to this socket. */
  addContestant(pin: string, player: PlayerRecord, socket: Socket) {
    let players = this.local.get(pin);
    if (!players) this.local.set(pin, (players = new Map()));
    players.set(player.id, { socket, player });
    this.deps.metrics.liveGames.set(this.local.size);
  }

  /** The socket left (or joined another game); a newer socket of the same contestant stays. */
  removeContestant(pin: string, playerId: string, socket: Socket) {
    const players = this.local.get(pin);
    if (players?.get(playerId)?.socket === socket) players.delete(playerId);
    if (players?.size === 0) this.local.delete(pin);
    this.deps.metrics.liveGames.set(this.local.size);
  }

  state(pin: string, views: Views) {
    // The board reached the phones inside the reveal; a resume in this phase still gets the leaderboard view.
    if (views.play.phase !== 'leaderboard') this.toPhones(pin, EVENTS.gameState, views.play);
    this.host.to(room(pin)).emit(EVENTS.gameState, views.viewers);
    this.screen.to(room(pin)).emit(EVENTS.gameState, views.viewers);
  }

  revealed(pin: string, index: number, views: Views) {
    this.host.to(room(pin)).emit(EVENTS.gameState, views.viewers);
    this.screen.to(room(pin)).emit(EVENTS.gameState, views.viewers);
    if (this.deps.clustered) this.play.serverSideEmit(REVEALED, pin, index, views.play);
    this.sendReveal(pin, index, views.play);
  }

  kicked(pin: string, playerId: string) {
    this.play.to(playerRoom(pin, playerId)).emit(EVENTS.playerKicked);
    this.play.in(playerRoom(pin, playerId)).disconnectSockets(true);
  }

  answersChanged(pin: string, index: number) {
    this.answersDirty.set(pin, index);
  }

  playersChanged(pin: string, joined?: PlayerSummary) {
    const recent = this.playersDirty.get(pin) ?? [];
    this.playersDirty.set(pin, joined ? [...recent, joined].slice(-20) : recent);
  }

  /** Tells a winner's phone its claim code, through the adapter to whichever node holds it. */
  claim(pin: string, playerId: string, notice: ClaimNotice) {
    this.play.to(playerRoom(pin, playerId)).emit(EVENTS.playerClaim, notice);
  }

  /** Through the adapter to every node: the consoles holding the old host token are told, and stop getting the game. */
  hostReplaced(pin: string, oldTokenHash: string, notice: HostReplaced) {
    this.host.to(hostRoom(pin, oldTokenHash)).emit(EVENTS.hostReplaced, notice);
    this.host.in(hostRoom(pin, oldTokenHash)).socketsLeave([room(pin), hostRoom(pin, oldTokenHash)]);
  }

  close() {
    this.timers.forEach(clearInterval);
    this.closedWaiting.forEach(clearTimeout);
    this.closedWaiting.clear();
  }

  /** Every phone of a game, on every node: each node writes its own (writePhones). */
  private toPhones(pin: string, event: string, payload: unknown) {
    if (this.deps.clustered) this.play.serverSideEmit(TO_PHONES, pin, event, payload);
    this.writePhones(pin, event, payload);
  }

  /** A new phase view for a game's phones: returns a check that says whether it is still the newest. */
  private newView(pin: string): () => boolean {
    const n = (this.views.get(pin) ?? 0) + 1;
    this.views.set(pin, n);
    return () => this.views.get(pin) === n;
  }

  /** Runs `task` after the game's earlier writes to phones: each phone gets a game's messages in the order sent. */
  private inOrder(pin: string, what: string, task: () => Promise<void>) {
    const next = (this.phoneQueues.get(pin) ?? Promise.resolve())
      .then(task)
      .catch((err: unknown) => this.deps.log.error({ err, pin }, `${what} failed`))
      .finally(() => {
        if (this.phoneQueues.get(pin) !== next) return;
        this.phoneQueues.delete(pin);
        this.views.delete(pin);
      });
    this.phoneQueues.set(pin, next);
  }

  /**
   * One event to this node's phones in a game's room, PHONES_PER_TURN sockets per event-loop turn (encoded once per
   * chunk). A `closed` view waits CLOSED_WAIT_MS first, and is dropped if a newer view or the reveal comes meanwhile.
   */
  private writePhones(pin: string, event: string, payload: unknown) {
    if (event !== EVENTS.gameState) return this.writeNow(pin, event, payload);
    this.stopClosedWait(pin);
    if ((payload as PhaseView).phase !== 'closed') return this.writeNow(pin, event, payload);
    const wait = setTimeout(() => {
      this.closedWaiting.delete(pin);
      this.writeNow(pin, event, payload);
    }, this.deps.closedWaitMs ?? CLOSED_WAIT_MS);
    this.closedWaiting.set(pin, wait);
  }

  private stopClosedWait(pin: string) {
    clearTimeout(this.closedWaiting.get(pin));
    this.closedWaiting.delete(pin);
  }

  private writeNow(pin: string, event: string, payload: unknown) {
    const newest = event === EVENTS.gameState ? this.newView(pin) : () => true;
    this.inOrder(pin, event, async () => {
      const ids = [...(this.play.adapter.rooms.get(room(pin)) ?? [])];
      const json = JSON.stringify(payload);
      const encoded = encodeFor(this.play.name, event, json);
      for (let i = 0; i < ids.length && newest(); i += PHONES_PER_TURN) {
        if (i) await beforeChunk(i);
        if (!newest()) break;
        for (const id of ids.slice(i, i + PHONES_PER_TURN)) {
          const socket = this.play.sockets.get(id);
          if (socket) sendEncoded(socket, event, json, encoded);
        }
      }
    });
  }

  /**
   * Sends each of this node's contestants in a game one message: the reveal with their personal result. One write
   * per phone instead of a reveal broadcast followed by a result, and the phone draws its result screen once. A phone
   * without a result (joined after scoring) or whose result could not be read still gets the reveal. Written
   * PHONES_PER_TURN phones per event-loop turn, after the game's earlier messages.
   *
   * The results are read a chunk at a time, the next chunk's while this one is written (in Redis mode its round trip
   * is behind the writes), and the board's ranks once for all chunks. Reading all 5,000 at once made the reveal's
   * first turn the longest of a game: every result built and held before the first phone was written.
   */
  private sendReveal(pin: string, index: number, reveal: PhaseView) {
    this.stopClosedWait(pin);
    this.newView(pin);
    this.inOrder(pin, 'reveal', async () => {
      const players = this.local.get(pin);
      if (!players?.size) return;
      const entries = [...players.values()];
      let failed = false;
      const readFailed = (err: unknown) => {
        if (!failed)
          this.deps.log.error({ err, pin, index }, 'personal results failed: phones get the reveal without them');
        failed = true;
        return null;
      };
      // One chunk: personalResults reads the ranks itself (for a few phones, one rank each).
      const ranks = entries.length > PHONES_PER_TURN ? await this.deps.store.ranks(pin).catch(readFailed) : undefined;
      const read = async (from: number): Promise<(PlayerResult | null)[]> => {
        if (ranks === null) return [];
        const chunk = entries.slice(from, from + PHONES_PER_TURN).map((e) => e.player);
        try {
          return await this.deps.personalResults(pin, index, chunk, ranks);
        } catch (err) {
          readFailed(err);
          return [];
        }
      };
      // The reveal (a few KB: question, options, explanation) is encoded once, in JSON and in UTF-8, not per phone.
      const revealJson = JSON.stringify(reveal);
      const revealBytes = Buffer.from(revealJson);
      const nsp = this.play.name;
      const packetHead = `2${nsp},[${JSON.stringify(EVENTS.playerResult)},`;
      const frameHead = `4${packetHead}`;
      const withoutResult = encodeFor(nsp, EVENTS.gameState, revealJson);
      let next = read(0);
      for (let from = 0; from < entries.length; from += PHONES_PER_TURN) {
        if (from) await beforeChunk(from);
        const results = await next;
        const to = Math.min(from + PHONES_PER_TURN, entries.length);
        if (to < entries.length) next = read(to);
        for (let i = from; i < to; i++) {
          const { socket } = entries[i]!;
          const r = results[i - from];
          if (!r) {
            sendEncoded(socket, EVENTS.gameState, revealJson, withoutResult);
            continue;
          }
          const result = `${JSON.stringify(r).slice(0, -1)},"state":`;
          const json = `${result}${revealJson}}`;
          const frame = wsTextFrame([frameHead, result, revealBytes, '}]']);
          sendEncoded(socket, EVENTS.playerResult, json, { packet: `${packetHead}${json}]`, frame: [frame] });
        }
      }
    });
  }

  private sendAnswerCounts() {
    for (const [pin, index] of this.answersDirty) {
      this.answersDirty.delete(pin);
      void Promise.all([this.deps.store.answeredCount(pin, index), this.deps.store.playerCount(pin)])
        .then(([answered, players]) => {
          const update = { questionIndex: index, answered, players };
          this.host.to(room(pin)).emit(EVENTS.gameAnswers, update);
          this.screen.to(room(pin)).emit(EVENTS.gameAnswers, update);
        })
        .catch((err) => this.deps.log.error({ err }, 'answer count failed'));
    }
  }

  private sendPlayerCounts() {
    for (const [pin, recent] of this.playersDirty) {
      this.playersDirty.delete(pin);
      void this.deps.store
        .playerCount(pin)
        .then((count) => {
          this.toPhones(pin, EVENTS.gamePlayers, { count });
          this.host.to(room(pin)).emit(EVENTS.gamePlayers, { count, recent });
          this.screen.to(room(pin)).emit(EVENTS.gamePlayers, { count, recent });
        })
        .catch((err) => this.deps.log.error({ err }, 'player count failed'));
    }
  }
}
