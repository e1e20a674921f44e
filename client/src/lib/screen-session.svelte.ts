import type {
  AnswersUpdate,
  LeaderRow,
  PhaseView,
  PlayerSummary,
  PlayersUpdate,
  ScreenSnapshot,
} from '../../../protocol';
import { EVENTS } from '../../../protocol/names';
import { request, type Emitter } from './socket';

export interface ScreenSocketLike extends Emitter {
  on(event: string, handler: (...args: never[]) => void): unknown;
}

/** The projector's read-only view: phase, answered count, recent joiners and rank changes. */
export class ScreenSession {
  view = $state<PhaseView | null>(null);
  answered = $state(0);
  players = $state(0);
  recent = $state<PlayerSummary[]>([]);
  error = $state<string | null>(null);
  /** The server's public join link (PUBLIC_URL or its LAN address), for the QR code; empty until attached. */
  joinUrl = $state('');
  /** Ranks at the previous leaderboard (playerId → rank), for the up/down arrows. */
  previousRanks = $state<Map<string, number> | null>(null);
  private lastRanks: Map<string, number> | null = null;

  constructor(
    private readonly socket: ScreenSocketLike,
    readonly pin: string,
  ) {
    socket.on('connect', () => void this.attach());
    socket.on(EVENTS.gameState, (v: PhaseView) => this.applyView(v));
    socket.on(EVENTS.gameAnswers, (u: AnswersUpdate) => {
      if (this.view && u.questionIndex === this.view.index) this.answered = u.answered;
      this.players = u.players;
    });
    socket.on(EVENTS.gamePlayers, (u: PlayersUpdate) => {
      this.players = u.count;
      // Each update names only who joined since the last one (per node): the projector keeps the latest 12.
      if (u.recent?.length) {
        const fresh = new Set(u.recent.map((p) => p.playerId));
        this.recent = [...this.recent.filter((p) => !fresh.has(p.playerId)), ...u.recent].slice(-12);
      }
    });
  }

  async attach(): Promise<void> {
    const res = await request<ScreenSnapshot>(this.socket, EVENTS.screenAttach, { pin: this.pin });
    if (!res.ok) {
      this.error = res.error.code;
      return;
    }
    this.error = null;
    this.joinUrl = res.data.joinUrl;
    this.view = null;
    this.applyView(res.data.state);
    this.answered = res.data.answered;
  }

  applyView(view: PhaseView): void {
    const prev = this.view;
    if (prev && view.seq <= prev.seq) return;
    if (!prev || prev.index !== view.index) this.answered = 0;
    if (view.phase === 'reveal') this.answered = view.reveal.answered;
    if (view.phase === 'leaderboard' && prev?.phase !== 'leaderboard') {
      this.previousRanks = this.lastRanks;
      this.lastRanks = ranks(view.top);
    }
    this.view = view;
    this.players = view.players;
  }
}

function ranks(rows: LeaderRow[]): Map<string, number> {
  return new Map(rows.map((r) => [r.playerId, r.rank]));
}
