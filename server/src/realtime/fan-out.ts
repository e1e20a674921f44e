// How the game service reaches connected clients (the Broadcaster of live/games.ts): phase views to every
// audience's room, the reveal with each phone's personal result, kicks, claim codes, and the answer and player
// counts a few times a second. Keeps this node's contestants, to whom the reveal goes one by one.
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

export interface FanOutDeps {
  store: Store;
  metrics: Metrics;
  log: { error(obj: object, msg: string): void };
  /** Redis mode: other nodes must hear "question scored" too. */
  clustered: boolean;
  /** Each phone's result of a scored question (LiveGames.personalResults). */
  personalResults: LiveGames['personalResults'];
  /** How often host and screen get answer counts (ms). */
  answersEveryMs?: number;
  playersEveryMs?: number;
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

  constructor(
    io: Server,
    private readonly deps: FanOutDeps,
  ) {
    this.play = io.of(NAMESPACES.play);
    this.host = io.of(NAMESPACES.host);
    this.screen = io.of(NAMESPACES.screen);
    if (deps.clustered)
      this.play.on(
        REVEALED,
        (pin: string, index: number, reveal: PhaseView) =>
          void this.sendReveal(pin, index, reveal).catch((err) => deps.log.error({ err }, 'reveal failed')),
      );
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
    this.play.to(room(pin)).emit(EVENTS.gameState, views.play);
    this.host.to(room(pin)).emit(EVENTS.gameState, views.viewers);
    this.screen.to(room(pin)).emit(EVENTS.gameState, views.viewers);
  }

  revealed(pin: string, index: number, views: Views) {
    this.host.to(room(pin)).emit(EVENTS.gameState, views.viewers);
    this.screen.to(room(pin)).emit(EVENTS.gameState, views.viewers);
    if (this.deps.clustered) this.play.serverSideEmit(REVEALED, pin, index, views.play);
    void this.sendReveal(pin, index, views.play).catch((err) => this.deps.log.error({ err }, 'reveal failed'));
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
  }

  /**
   * Sends each of this node's contestants in a game one message: the reveal with their personal result (read in a
   * few bulk calls). One write per phone instead of a reveal broadcast followed by a result, and the phone draws
   * its result screen once. A phone without a result (joined after scoring) or a failed read still gets the reveal.
   */
  private async sendReveal(pin: string, index: number, reveal: PhaseView) {
    const players = this.local.get(pin);
    if (!players?.size) return;
    const entries = [...players.values()];
    let results: (PlayerResult | null)[] = [];
    try {
      results = await this.deps.personalResults(
        pin,
        index,
        entries.map((e) => e.player),
      );
    } catch (err) {
      this.deps.log.error({ err, pin, index }, 'personal results failed: phones get the reveal without them');
    }
    entries.forEach((e, i) => {
      const r = results[i];
      if (r) e.socket.emit(EVENTS.playerResult, { ...r, state: reveal });
      else e.socket.emit(EVENTS.gameState, reveal);
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
          this.play.to(room(pin)).emit(EVENTS.gamePlayers, { count });
          this.host.to(room(pin)).emit(EVENTS.gamePlayers, { count, recent });
          this.screen.to(room(pin)).emit(EVENTS.gamePlayers, { count, recent });
        })
        .catch((err) => this.deps.log.error({ err }, 'player count failed'));
    }
  }
}
