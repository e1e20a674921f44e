import type {
  AnswersUpdate,
  HostCommand,
  HostReplaced,
  HostSnapshot,
  PhaseView,
  PlayerSummary,
  PlayersUpdate,
} from '../../../protocol';
import { EVENTS } from '../../../protocol/names';
import { request, type Emitter, type Result } from './socket';

export interface HostSocketLike extends Emitter {
  on(event: string, handler: (...args: never[]) => void): unknown;
}

/** The host console's view of a game: phase, players, answered count; commands go through the ack. */
export class HostSession {
  view = $state<PhaseView | null>(null);
  players = $state<PlayerSummary[]>([]);
  playerCount = $state(0);
  answered = $state(0);
  joinUrl = $state('');
  error = $state<string | null>(null);
  busy = $state(false);
  connected = $state(true);
  /** An organiser took the game over from another console: this one's token no longer works. */
  replaced = $state<HostReplaced | null>(null);

  constructor(
    private readonly socket: HostSocketLike,
    readonly pin: string,
    private readonly hostToken: string,
  ) {
    socket.on('connect', () => {
      this.connected = true;
      if (!this.replaced) void this.attach();
    });
    socket.on('disconnect', () => (this.connected = false));
    socket.on(EVENTS.gameState, (v: PhaseView) => this.applyView(v));
    socket.on(EVENTS.hostReplaced, (r: HostReplaced) => {
      if (r.pin === this.pin) this.replaced = r;
    });
    socket.on(EVENTS.gameAnswers, (u: AnswersUpdate) => {
      if (this.view && u.questionIndex === this.view.index) this.answered = u.answered;
      this.playerCount = u.players;
    });
    socket.on(EVENTS.gamePlayers, (u: PlayersUpdate) => {
      this.playerCount = u.count;
      if (u.recent?.length) this.mergePlayers(u.recent);
    });
  }

  async attach(): Promise<boolean> {
    const res = await request<HostSnapshot>(this.socket, EVENTS.hostAttach, {
      pin: this.pin,
      hostToken: this.hostToken,
    });
    if (!res.ok) {
      // Attached before and refused now: the token was replaced while this console was offline.
      if (res.error.code === 'NOT_AUTHORISED' && this.view) this.replaced = { pin: this.pin, at: Date.now() };
      else this.error = res.error.code;
      return false;
    }
    this.error = null;
    this.view = null;
    this.applyView(res.data.state);
    this.players = res.data.players;
    this.playerCount = res.data.state.players;
    this.joinUrl = res.data.joinUrl;
    this.answered = res.data.answered;
    return true;
  }

  applyView(view: PhaseView): void {
    const prev = this.view;
    if (prev && view.seq <= prev.seq) return;
    if (!prev || prev.index !== view.index) this.answered = 0;
    this.view = view;
    this.playerCount = view.players;
  }

  private mergePlayers(recent: PlayerSummary[]): void {
    const known = new Map(this.players.map((p) => [p.playerId, p]));
    for (const p of recent) known.set(p.playerId, p);
    this.players = [...known.values()];
  }

  async command(cmd: HostCommand): Promise<Result<PhaseView>> {
    this.busy = true;
    const res = await request<PhaseView>(this.socket, EVENTS.hostCommand, cmd);
    this.busy = false;
    if (res.ok) {
      this.error = null;
      this.applyView(res.data);
      if (cmd.type === 'kick') this.players = this.players.filter((p) => p.playerId !== cmd.playerId);
    } else if (res.error.code === 'NOT_AUTHORISED' && this.view) this.replaced ??= { pin: this.pin, at: Date.now() };
    else this.error = res.error.code;
    return res;
  }

  async refreshPlayers(query?: string): Promise<void> {
    const res = await request<PlayerSummary[]>(this.socket, EVENTS.hostPlayers, query ? { query } : {});
    if (res.ok) this.players = res.data;
  }

  /** The primary action for the current phase (what "Next" means now). */
  get primary(): HostCommand['type'] | null {
    switch (this.view?.phase) {
      case 'lobby':
        return 'start';
      case 'open':
        return 'close';
      case 'reveal':
      case 'leaderboard':
      case 'podium':
        return 'next';
      default:
        return null;
    }
  }
}
