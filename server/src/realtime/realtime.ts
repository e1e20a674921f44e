import type { Namespace, Server, Socket } from 'socket.io';

import {
  AnswerPayload, ClockPayload, EVENTS, HostAttachPayload, HostCommand, HostPlayersPayload, JoinPayload, NAMESPACES, ResumePayload, ScreenAttachPayload,
  type ClaimNotice, type PhaseView, type PlayerResult, type PlayerSummary,
} from '../../../protocol/events';
import { hashToken } from '../auth';
import type { PlayerRecord } from '../game/state';
import { GameError } from '../errors';
import type { Broadcaster, LiveGames } from '../live/games';
import type { Views } from '../live/views';
import { socketAddress, type AuditEvent } from '../organiser/audit';
import type { Store } from '../store/store';
import { on, refuseUnknownEvents, type HandlerDeps } from './handler';

const room = (pin: string) => `g:${pin}`;
const playerRoom = (pin: string, id: string) => `p:${pin}:${id}`;
/** Between nodes: a question was scored; carries the phones' reveal view, which each node sends with its players' results. */
const REVEALED = 'cds:revealed';

export interface RealtimeDeps extends HandlerDeps {
  games: LiveGames;
  store: Store;
  /** Redis mode: other nodes must hear "question scored" too. */
  clustered: boolean;
  /** How often host and screen get answer counts (ms). */
  answersEveryMs?: number;
  playersEveryMs?: number;
  /** Every host action is written to the audit log. */
  audit?: { record(e: AuditEvent): Promise<unknown> };
  /** Which peers may tell the client's address in X-Forwarded-For (config TRUST_PROXY). */
  trustProxy?: (address: string, hop: number) => boolean;
  /** Prizes a resuming player won (claim codes). */
  claims?: { noticesFor(pin: string, playerId: string): Promise<ClaimNotice[]> };
}

interface PlayerData {
  pin?: string;
  player?: PlayerRecord;
}

/** socket.io namespaces /play, /host, /screen over the game service; also the service's broadcaster. */
export function attachRealtime(io: Server, deps: RealtimeDeps) {
  const { games, store, metrics, log } = deps;
  const play = io.of(NAMESPACES.play);
  const host = io.of(NAMESPACES.host);
  const screen = io.of(NAMESPACES.screen);
  /** This node's contestants by game: personal results go to them directly, never one by one through Redis. */
  const local = new Map<string, Map<string, { socket: Socket; player: PlayerRecord }>>();
  const answersDirty = new Map<string, number>();
  const playersDirty = new Map<string, PlayerSummary[]>();

  const clockSync = (socket: Socket) =>
    on(socket, EVENTS.clockSync, ClockPayload, 'other', deps, async (p) => ({ serverTime: store.clockEstimate(), ...(p ? { clientTime: p.clientTime } : {}) }));

  const countSockets = (nsp: Namespace, name: string) => metrics.sockets.set({ namespace: name }, nsp.sockets.size);

  // ------------------------------------------------------------ contestants
  play.on('connection', (socket) => {
    countSockets(play, 'play');
    const data = socket.data as PlayerData;
    refuseUnknownEvents(socket, [EVENTS.playerJoin, EVENTS.playerResume, EVENTS.answerSubmit, EVENTS.clockSync], deps);
    clockSync(socket);

    const enter = (pin: string, player: PlayerRecord) => {
      if (data.pin && data.player) leave();
      data.pin = pin;
      data.player = player;
      void socket.join([room(pin), playerRoom(pin, player.id)]);
      let players = local.get(pin);
      if (!players) local.set(pin, (players = new Map()));
      players.set(player.id, { socket, player });
      metrics.liveGames.set(local.size);
    };
    const leave = () => {
      const players = data.pin ? local.get(data.pin) : undefined;
      if (players && data.player && players.get(data.player.id)?.socket === socket) players.delete(data.player.id);
      if (players?.size === 0) local.delete(data.pin!);
      metrics.liveGames.set(local.size);
    };

    on(socket, EVENTS.playerJoin, JoinPayload, 'join', deps, async (payload) => {
      if (data.player) throw new GameError('BAD_REQUEST', 'this connection already joined; resume instead');
      try {
        const { result, player } = await games.join(payload);
        enter(payload.pin, player);
        metrics.joins.inc({ kind: 'join', outcome: 'ok' });
        return result;
      } catch (err) {
        metrics.joins.inc({ kind: 'join', outcome: err instanceof GameError ? err.code : 'INTERNAL' });
        throw err;
      }
    });
    on(socket, EVENTS.playerResume, ResumePayload, 'join', deps, async ({ pin, token }) => {
      try {
        const { result, player } = await games.resume(pin, token);
        const claims = await deps.claims?.noticesFor(pin, player.id);
        if (claims?.length) result.claims = claims;
        enter(pin, player);
        metrics.joins.inc({ kind: 'resume', outcome: 'ok' });
        return result;
      } catch (err) {
        metrics.joins.inc({ kind: 'resume', outcome: err instanceof GameError ? err.code : 'INTERNAL' });
        throw err;
      }
    });
    on(socket, EVENTS.answerSubmit, AnswerPayload, 'answer', deps, async (payload) => {
      if (!data.pin || !data.player) throw new GameError('NOT_JOINED', 'join or resume first');
      try {
        const r = await games.submitAnswer(data.pin, data.player.id, payload);
        metrics.answers.inc({ outcome: 'accepted' });
        return r;
      } catch (err) {
        metrics.answers.inc({ outcome: err instanceof GameError ? err.code : 'INTERNAL' });
        throw err;
      }
    });
    socket.on('disconnect', () => {
      leave();
      countSockets(play, 'play');
    });
  });

  // ------------------------------------------------------------ host
  host.on('connection', (socket) => {
    countSockets(host, 'host');
    const data = socket.data as { pin?: string; tokenHash?: string };
    refuseUnknownEvents(socket, [EVENTS.hostAttach, EVENTS.hostCommand, EVENTS.hostPlayers, EVENTS.clockSync], deps);
    clockSync(socket);
    const ip = socketAddress(socket.handshake, deps.trustProxy);
    /** Runs a host action and writes its audit line, whether it succeeded or was refused. */
    const audited = async <T>(pin: string, action: 'host.attach' | 'host.command' | 'host.kick', detail: AuditEvent['detail'], run: () => Promise<T>) => {
      try {
        const result = await run();
        await deps.audit?.record({ actor: `host:${pin}`, action, ip, pin, detail });
        return result;
      } catch (err) {
        await deps.audit?.record({ actor: `host:${pin}`, action, ip, pin, detail, outcome: err instanceof GameError ? err.code : 'INTERNAL' });
        throw err;
      }
    };
    on(socket, EVENTS.hostAttach, HostAttachPayload, 'join', deps, async ({ pin, hostToken }) => {
      const snapshot = await audited(pin, 'host.attach', undefined, () => games.attachHost(pin, hostToken));
      if (data.pin && data.pin !== pin) void socket.leave(room(data.pin));
      data.pin = pin;
      data.tokenHash = hashToken(hostToken);
      void socket.join(room(pin));
      return snapshot;
    });
    const requireHost = async () => {
      if (!data.pin || !data.tokenHash) throw new GameError('NOT_AUTHORISED', 'attach with the host token first');
      // The token is checked again on every command: a game's token could differ from the one attached with.
      const { game } = await games.gameInfo(data.pin);
      if (game.hostTokenHash !== data.tokenHash) throw new GameError('NOT_AUTHORISED', 'wrong host token');
      return data.pin;
    };
    on(socket, EVENTS.hostCommand, HostCommand, 'host', deps, async (cmd) => {
      const pin = await requireHost();
      return audited(pin, cmd.type === 'kick' ? 'host.kick' : 'host.command', { ...cmd }, () => games.command(pin, cmd));
    });
    on(socket, EVENTS.hostPlayers, HostPlayersPayload, 'other', deps, async (p) => games.listPlayers(await requireHost(), p?.query));
    socket.on('disconnect', () => countSockets(host, 'host'));
  });

  // ------------------------------------------------------------ projector screen (read-only)
  screen.on('connection', (socket) => {
    countSockets(screen, 'screen');
    const data = socket.data as { pin?: string };
    refuseUnknownEvents(socket, [EVENTS.screenAttach, EVENTS.clockSync], deps);
    clockSync(socket);
    on(socket, EVENTS.screenAttach, ScreenAttachPayload, 'join', deps, async ({ pin }) => {
      const snapshot = await games.attachScreen(pin);
      if (data.pin && data.pin !== pin) void socket.leave(room(data.pin));
      data.pin = pin;
      void socket.join(room(pin));
      return snapshot;
    });
    socket.on('disconnect', () => countSockets(screen, 'screen'));
  });

  // ------------------------------------------------------------ fan-out
  /**
   * Sends each of this node's contestants in a game one message: the reveal with their personal result (read in a
   * few bulk calls). One write per phone instead of a reveal broadcast followed by a result, and the phone draws
   * its result screen once. A phone without a result (joined after scoring) or a failed read still gets the reveal.
   */
  const sendReveal = async (pin: string, index: number, reveal: PhaseView) => {
    const players = local.get(pin);
    if (!players?.size) return;
    const entries = [...players.values()];
    let results: (PlayerResult | null)[] = [];
    try {
      results = await games.personalResults(pin, index, entries.map((e) => e.player));
    } catch (err) {
      log.error({ err, pin, index }, 'personal results failed: phones get the reveal without them');
    }
    entries.forEach((e, i) => {
      const r = results[i];
      if (r) e.socket.emit(EVENTS.playerResult, { ...r, state: reveal });
      else e.socket.emit(EVENTS.gameState, reveal);
    });
  };
  if (deps.clustered) play.on(REVEALED, (pin: string, index: number, reveal: PhaseView) => void sendReveal(pin, index, reveal).catch((err) => log.error({ err }, 'reveal failed')));

  const broadcaster: Broadcaster = {
    state(pin: string, views: Views) {
      play.to(room(pin)).emit(EVENTS.gameState, views.play);
      host.to(room(pin)).emit(EVENTS.gameState, views.viewers);
      screen.to(room(pin)).emit(EVENTS.gameState, views.viewers);
    },
    revealed(pin, index, views) {
      host.to(room(pin)).emit(EVENTS.gameState, views.viewers);
      screen.to(room(pin)).emit(EVENTS.gameState, views.viewers);
      if (deps.clustered) play.serverSideEmit(REVEALED, pin, index, views.play);
      void sendReveal(pin, index, views.play).catch((err) => log.error({ err }, 'reveal failed'));
    },
    kicked(pin, playerId) {
      play.to(playerRoom(pin, playerId)).emit(EVENTS.playerKicked);
      play.in(playerRoom(pin, playerId)).disconnectSockets(true);
    },
    answersChanged(pin, index) {
      answersDirty.set(pin, index);
    },
    playersChanged(pin, joined) {
      const recent = playersDirty.get(pin) ?? [];
      playersDirty.set(pin, joined ? [...recent, joined].slice(-20) : recent);
    },
  };
  games.setBroadcaster(broadcaster);

  // Throttled counts: a few updates a second per game, never one broadcast per answer.
  const answersTimer = setInterval(() => {
    for (const [pin, index] of answersDirty) {
      answersDirty.delete(pin);
      void Promise.all([store.answeredCount(pin, index), store.playerCount(pin)])
        .then(([answered, players]) => {
          const update = { questionIndex: index, answered, players };
          host.to(room(pin)).emit(EVENTS.gameAnswers, update);
          screen.to(room(pin)).emit(EVENTS.gameAnswers, update);
        })
        .catch((err) => log.error({ err }, 'answer count failed'));
    }
  }, deps.answersEveryMs ?? 250);
  const playersTimer = setInterval(() => {
    for (const [pin, recent] of playersDirty) {
      playersDirty.delete(pin);
      void store
        .playerCount(pin)
        .then((count) => {
          play.to(room(pin)).emit(EVENTS.gamePlayers, { count });
          host.to(room(pin)).emit(EVENTS.gamePlayers, { count, recent });
          screen.to(room(pin)).emit(EVENTS.gamePlayers, { count, recent });
        })
        .catch((err) => log.error({ err }, 'player count failed'));
    }
  }, deps.playersEveryMs ?? 1000);

  return {
    /** Tells a winner's phone its claim code, through the adapter to whichever node holds it. */
    claim(pin: string, playerId: string, notice: ClaimNotice) {
      play.to(playerRoom(pin, playerId)).emit(EVENTS.playerClaim, notice);
    },
    close() {
      clearInterval(answersTimer);
      clearInterval(playersTimer);
    },
  };
}


