import type {
  AnswerResult,
  Choice,
  ClaimNotice,
  ClockResult,
  JoinPayload,
  JoinResult,
  PhaseView,
  PlayerResult,
  PlayerStanding,
  PlayersUpdate,
} from '../../../protocol';
import { EVENTS } from '../../../protocol/names';
import { estimateOffset, type ClockSample } from './clock';
import { request, type Emitter, type Result } from './socket';

/** What PlaySession needs from a socket.io client socket; tests pass a fake. */
export interface PlaySocketLike extends Emitter {
  on(event: string, handler: (...args: never[]) => void): unknown;
  disconnect(): unknown;
}

/** Where the reconnect token lives; localStorage in the browser. */
export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type PlayStatus = 'idle' | 'joining' | 'playing' | 'reconnecting' | 'kicked';

const tokenKey = (pin: string) => `cds:token:${pin}`;
const LAST_PIN_KEY = 'cds:last-pin';
/** This phone's own random id, kept across games: one device joins a game once. Never removed by `forget`. */
const DEVICE_KEY = 'cds:device';
/** Prize codes this phone won, kept after the game (and its token) is gone: a winner can show them at the desk later. */
const CLAIMS_KEY = 'cds:claims';
/** What this phone answered to a game's question, so the result still says "you chose …" after a reload. */
const choiceKey = (pin: string) => `cds:choice:${pin}`;

/** A prize code kept on this device, with the game it came from. */
export interface StoredClaim extends ClaimNotice {
  pin: string;
  title: string;
}

/** A random device id: 128 bits as hex (crypto.getRandomValues works on plain-http LAN pages too). */
function newDeviceId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Errors after which the answer buttons stay locked (the answer can no longer count). */
const FINAL_ANSWER_ERRORS = new Set(['TOO_LATE', 'ALREADY_ANSWERED', 'WRONG_QUESTION', 'WRONG_PHASE']);
/**
 * A server or network hiccup (a Redis blip, a lost ack on weak 3G): the same answer is sent again by itself, so
 * an elderly contestant is not asked to tap twice. The server keeps a player's first answer only, so a retry
 * never counts twice; ALREADY_ANSWERED after a retry means the first attempt had landed.
 */
const RETRYABLE_ANSWER_ERRORS = new Set(['INTERNAL', 'TIMEOUT']);

/**
 * A contestant's live game: joins or resumes with the stored reconnect token, follows the
 * server's phases (ignoring stale ones by `seq`), submits answers and keeps the clock offset.
 */
export class PlaySession {
  status = $state<PlayStatus>('idle');
  view = $state<PhaseView | null>(null);
  me = $state<PlayerStanding | null>(null);
  /** The open question was answered (and acknowledged) by this player. */
  answered = $state(false);
  /** The buttons are locked: answered, or the answer can no longer count (too late…). */
  locked = $state(false);
  /** What this player chose on the open question, as far as this device knows. */
  myChoice = $state<Choice | null>(null);
  submitting = $state(false);
  /** The last personal result; shown when it matches the revealed question. */
  result = $state<PlayerResult | null>(null);
  players = $state(0);
  /** Prizes won, with the codes to show at the organisers' desk (after the results are locked). */
  claims = $state<ClaimNotice[]>([]);
  /** A claim code just arrived: read out by the final screen's live region. */
  claimJustWon = $state<ClaimNotice | null>(null);
  /** An error code for the last failed action, for the catalogs to translate. */
  error = $state<string | null>(null);
  /** Add to Date.now() to read the server clock. */
  offset = $state(0);
  pin = $state<string | null>(null);
  private token: string | null = null;
  private wired = false;

  constructor(
    private readonly socket: PlaySocketLike,
    private readonly storage: TokenStore,
    private readonly now: () => number = Date.now,
    private readonly retryDelaysMs: readonly number[] = [400, 1200],
  ) {}

  /** The PIN and token of a game this device joined before, if any. */
  storedSession(pin?: string): { pin: string; token: string } | null {
    const p = pin ?? this.storage.getItem(LAST_PIN_KEY);
    if (!p) return null;
    const token = this.storage.getItem(tokenKey(p));
    return token ? { pin: p, token } : null;
  }

  /** Subscribes to the socket. Call once. */
  wire(): void {
    if (this.wired) return;
    this.wired = true;
    const s = this.socket;
    s.on('connect', () => void this.onConnect());
    s.on('disconnect', () => {
      if (this.status === 'playing') this.status = 'reconnecting';
    });
    s.on(EVENTS.gameState, (view: PhaseView) => this.applyView(view));
    s.on(EVENTS.playerResult, (r: PlayerResult) => {
      // The reveal travels with the result: one message, one redraw.
      if (r.state) this.applyView(r.state);
      this.result = r;
      this.me = r.standing;
      this.players = r.players;
    });
    s.on(EVENTS.playerClaim, (c: ClaimNotice) => {
      if (!this.claims.some((x) => x.code === c.code)) this.claims = [...this.claims, c];
      this.keepClaims([c]);
      this.claimJustWon = c;
      // A buzz in the pocket: the code may arrive minutes after the last question. Not every browser allows it.
      try {
        globalThis.navigator?.vibrate?.([300, 150, 300]);
      } catch {
        // Vibration refused (no user gesture yet, or not supported): the screen still shows and announces it.
      }
    });
    s.on(EVENTS.gamePlayers, (u: PlayersUpdate) => {
      this.players = u.count;
    });
    s.on(EVENTS.playerKicked, () => {
      this.status = 'kicked';
      this.forget();
      this.socket.disconnect();
    });
  }

  private async onConnect(): Promise<void> {
    await this.syncClock();
    // A new connection has no identity on the server: resume with the token, never join again.
    if (this.token && this.pin && (this.status === 'reconnecting' || this.status === 'playing')) {
      await this.resume(this.pin, this.token);
    }
  }

  async syncClock(rounds = 3): Promise<void> {
    const samples: ClockSample[] = [];
    for (let i = 0; i < rounds; i++) {
      const sentAt = this.now();
      const res = await request<ClockResult>(this.socket, EVENTS.clockSync, { clientTime: sentAt }, 4000);
      if (!res.ok) break;
      samples.push({ sentAt, serverTime: res.data.serverTime, receivedAt: this.now() });
    }
    if (samples.length) this.offset = estimateOffset(samples);
  }

  /** This device's id, made once and kept in storage. */
  deviceId(): string {
    let id = this.storage.getItem(DEVICE_KEY);
    if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
      id = newDeviceId();
      this.storage.setItem(DEVICE_KEY, id);
    }
    return id;
  }

  async join(payload: JoinPayload): Promise<boolean> {
    this.status = 'joining';
    this.error = null;
    const res = await request<JoinResult>(this.socket, EVENTS.playerJoin, {
      ...payload,
      device: payload.device ?? this.deviceId(),
    });
    return this.accept(res, payload.pin);
  }

  async resume(pin: string, token: string): Promise<boolean> {
    this.pin = pin;
    this.token = token;
    if (this.status !== 'reconnecting') this.status = 'joining';
    const res = await request<JoinResult>(this.socket, EVENTS.playerResume, { pin, token });
    if (!res.ok && (res.error.code === 'TOKEN_INVALID' || res.error.code === 'GAME_NOT_FOUND')) {
      this.forget(pin);
    }
    if (!res.ok && (res.error.code === 'TIMEOUT' || res.error.code === 'NETWORK') && this.status === 'reconnecting') {
      // Still offline: socket.io reconnects and onConnect tries again.
      return false;
    }
    return this.accept(res, pin);
  }

  private accept(res: Result<JoinResult>, pin: string): boolean {
    if (!res.ok) {
      this.error = res.error.code;
      this.status = 'idle';
      return false;
    }
    const r = res.data;
    this.pin = pin;
    this.token = r.token;
    this.storage.setItem(tokenKey(pin), r.token);
    this.storage.setItem(LAST_PIN_KEY, pin);
    this.me = r.me;
    this.claims = r.claims ?? [];
    if (r.serverTime && this.offset === 0) this.offset = r.serverTime - this.now();
    // The resumed state is authoritative even if its seq equals ours.
    this.view = null;
    this.applyView(r.state);
    this.answered = r.answered;
    this.locked = r.answered;
    if (r.lastResult) this.result = r.lastResult;
    this.keepClaims(this.claims);
    // After a reload: what this phone chose on the current question (the server keeps it in the bank's order only).
    const kept = this.storedChoice(pin);
    if (kept && kept.index === r.state.index) this.myChoice = kept.choice;
    this.status = 'playing';
    return true;
  }

  applyView(view: PhaseView): void {
    const prev = this.view;
    if (prev && view.seq <= prev.seq) return;
    if (
      !prev ||
      prev.index !== view.index ||
      (view.phase === 'open' && prev.phase !== 'open' && prev.phase !== 'closed')
    ) {
      this.answered = false;
      this.locked = false;
      this.myChoice = null;
      this.submitting = false;
      this.error = null;
    }
    this.view = view;
    this.players = view.players;
  }

  /** Whether the player may still answer the open question. */
  get canAnswer(): boolean {
    const v = this.view;
    return v?.phase === 'open' && !v.paused && !this.locked && !this.submitting && this.status === 'playing';
  }

  async submit(choice: Choice): Promise<boolean> {
    const v = this.view;
    if (!v || v.phase !== 'open' || !this.canAnswer) return false;
    this.submitting = true;
    this.myChoice = choice;
    this.error = null;
    const send = () => request<AnswerResult>(this.socket, EVENTS.answerSubmit, { questionIndex: v.index, choice });
    let res = await send();
    for (const delay of this.retryDelaysMs) {
      if (res.ok || !RETRYABLE_ANSWER_ERRORS.has(res.error.code)) break;
      await new Promise((r) => setTimeout(r, delay));
      const now = this.view;
      if (now?.phase !== 'open' || now.index !== v.index) break;
      res = await send();
      if (!res.ok && res.error.code === 'ALREADY_ANSWERED')
        res = { ok: true, data: { questionIndex: v.index, elapsedMs: 0 } };
    }
    this.submitting = false;
    if (res.ok) {
      this.answered = true;
      this.locked = true;
      if (this.pin) this.storage.setItem(choiceKey(this.pin), JSON.stringify({ index: v.index, choice }));
      return true;
    }
    this.error = res.error.code;
    if (res.error.code === 'ALREADY_ANSWERED') this.answered = true;
    if (FINAL_ANSWER_ERRORS.has(res.error.code)) this.locked = true;
    else this.myChoice = null;
    return false;
  }

  /**
   * The question shown can no longer be answered: the server closed it, or refused an answer because it had (phones
   * get no `closed` view when the reveal follows at once, so a tap in between learns it here).
   */
  get questionClosed(): boolean {
    const v = this.view;
    if (v?.phase === 'closed') return true;
    return v?.phase === 'open' && (this.error === 'WRONG_PHASE' || this.error === 'TOO_LATE');
  }

  /** The result of the question being revealed, if it arrived. */
  get currentResult(): PlayerResult | null {
    const v = this.view;
    return v && this.result && this.result.questionIndex === v.index ? this.result : null;
  }

  private storedChoice(pin: string): { index: number; choice: Choice } | null {
    try {
      const v = JSON.parse(this.storage.getItem(choiceKey(pin)) ?? 'null') as { index?: unknown; choice?: unknown };
      if (v && typeof v.index === 'number' && (typeof v.choice === 'number' || Array.isArray(v.choice)))
        return { index: v.index, choice: v.choice as Choice };
    } catch {
      // Not ours or damaged: nothing to show.
    }
    return null;
  }

  /** Prize codes kept on this device from every game, newest last. */
  storedClaims(): StoredClaim[] {
    try {
      const list = JSON.parse(this.storage.getItem(CLAIMS_KEY) ?? '[]') as unknown;
      return Array.isArray(list)
        ? list.filter((c): c is StoredClaim => typeof c?.code === 'string' && typeof c?.label === 'string')
        : [];
    } catch {
      return [];
    }
  }

  private keepClaims(claims: ClaimNotice[]): void {
    const known = this.storedClaims();
    const fresh = claims.filter((c) => !known.some((k) => k.code === c.code));
    if (!fresh.length || !this.pin) return;
    const title = this.view?.title ?? '';
    const pin = this.pin;
    this.storage.setItem(
      CLAIMS_KEY,
      JSON.stringify([...known, ...fresh.map((c) => ({ code: c.code, label: c.label, scope: c.scope, pin, title }))]),
    );
  }

  /** Drops the stored token: after a kick, an ended game or an invalid token. */
  forget(pin = this.pin): void {
    if (pin) this.storage.removeItem(tokenKey(pin));
    if (pin) this.storage.removeItem(choiceKey(pin));
    if (pin && this.storage.getItem(LAST_PIN_KEY) === pin) this.storage.removeItem(LAST_PIN_KEY);
    this.token = null;
  }
}
