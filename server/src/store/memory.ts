import type { Reveal } from '../../../protocol/events';
import { boardRanks } from '../game/ranking';
import {
  deadlineOf,
  type AnswerRecord,
  type GameRecord,
  type GameState,
  type PlayerRecord,
  type QuestionOutcome,
  type Tally,
} from '../game/state';
import type { Journaled } from './embedded-db';
import { MemoryOrganiserRecords } from './records';
import {
  deepFreeze,
  type AddPlayerResult,
  type Board,
  type BoardEntry,
  type RecordAnswerResult,
  type ScoredQuestion,
  type Store,
  type UnitTotals,
} from './store';

interface MemoryGame {
  game: GameRecord;
  state: GameState;
  players: Map<string, PlayerRecord>;
  kicked: Set<string>;
  nicknames: Set<string>;
  /** Device keys of every player who joined, kicked ones too; absent in journals written before it (built on use). */
  devices?: Set<string>;
  tokens: Map<string, string>;
  answers: Map<number, Map<string, AnswerRecord>>;
  tallies: Map<string, Tally>;
  boards: Map<string, Map<string, number>>;
  unitCounts: Map<string, number>;
  unitSums: Map<string, number>;
  outcomes: Map<number, Map<string, QuestionOutcome>>;
  reveals: Map<number, Reveal>;
  /** When the game's live data goes (expireGame), on the store's clock; unset: kept. */
  expiresAt?: number;
}

const clone = <T>(v: T): T => structuredClone(v);
/**
 * A copy of a record of primitives only (a player, a tally, an outcome; the type refuses anything nested, which a
 * spread would share): what structuredClone gives, at a fraction of its cost. Scoring and the reveal copy several per
 * player (5,000 players: ~17 ms of structuredClone in one turn, ~1.5 ms of spreads).
 */
const copyFlat = <T extends { [K in keyof T]: string | number | boolean | null | undefined }>(
  v: T | null | undefined,
): T | null => (v ? { ...v } : null);
/** An answer's only nested value is a multiple choice's list. */
const copyAnswer = (a: AnswerRecord): AnswerRecord => ({
  ...a,
  choice: Array.isArray(a.choice) ? [...a.choice] : a.choice,
});
/** Same order as Redis ZREVRANGE: value desc, then member desc. */
/** A board's order on a row's parts: higher value first, then the larger id (as Redis' ZREVRANGE). */
const rowOrder = (aValue: number, aId: string, bValue: number, bId: string) =>
  bValue - aValue || (aId < bId ? 1 : aId > bId ? -1 : 0);
const boardOrder = (a: BoardEntry, b: BoardEntry) => rowOrder(a.value, a.playerId, b.value, b.playerId);
/** Boards' top rows up to this many are selected in one pass; longer ones sorted. */
const TOP_BY_SELECTION = 50;
const boardKey = (b: Board) => (b.kind === 'game' ? 'game' : b.kind === 'group' ? `g:${b.group}` : `u:${b.unit}`);

/** The methods that write (embedded-db.ts journals them); none of them awaits, so each is atomic. */
export const MEMORY_STORE_WRITES = [
  'createGame',
  'saveState',
  'addPlayer',
  'anonymisePlayer',
  'freezeScores',
  'kickPlayer',
  'recordAnswer',
  'applyScores',
  'createSession',
  'deleteSession',
  'expireGame',
  'removeExpiredGames',
] as const satisfies readonly (keyof MemoryStore)[];

/** Writes many phones make at once: their journal commits are grouped (embedded-db.ts, `grouped`). */
export const MEMORY_STORE_GROUPED = [
  'recordAnswer',
  'addPlayer',
] as const satisfies readonly (typeof MEMORY_STORE_WRITES)[number][];

/**
 * Embedded driver: one process, nothing to install. Values are cloned in and out, as Redis would. Made durable
 * by embedded-db.ts (a journal of the writes above, replayed at start with the clock each one read).
 */
export class MemoryStore implements Store, Journaled {
  readonly kind = 'memory' as const;
  readonly organiser = new MemoryOrganiserRecords();
  private games = new Map<string, MemoryGame>();
  /** Games whose results are being locked (freezeScores). */
  private frozen = new Set<string>();
  private sessions = new Map<string, number>();
  private pinned: number | null = null;
  readonly clock = { now: () => this.pinned ?? Date.now(), pin: (at: number | null) => void (this.pinned = at) };

  snapshot() {
    return { games: this.games, frozen: this.frozen, sessions: this.sessions };
  }
  restore(state: unknown) {
    ({
      games: this.games,
      frozen: this.frozen,
      sessions: this.sessions,
    } = state as ReturnType<MemoryStore['snapshot']>);
  }

  async now() {
    return Date.now();
  }
  clockEstimate() {
    return Date.now();
  }

  /** A game whose live data has not expired (Redis' TTL, here checked on the store's clock). */
  private live(pin: string): MemoryGame | undefined {
    const g = this.games.get(pin);
    return g && (g.expiresAt === undefined || g.expiresAt > this.clock.now()) ? g : undefined;
  }

  async createGame(game: GameRecord, state: GameState) {
    if (this.live(game.pin)) return false;
    // Not through removeExpiredGames: a journaled write must not call another (nor await).
    this.dropExpired();
    this.games.set(game.pin, {
      game: deepFreeze(clone(game)),
      state: clone(state),
      players: new Map(),
      kicked: new Set(),
      nicknames: new Set(),
      devices: new Set(),
      tokens: new Map(),
      answers: new Map(),
      tallies: new Map(),
      boards: new Map(),
      unitCounts: new Map(),
      unitSums: new Map(),
      outcomes: new Map(),
      reveals: new Map(),
    });
    return true;
  }
  async getGame(pin: string) {
    // Read for every answer: the frozen record itself, never a copy (a copy cost 6 % of a game's CPU).
    return this.live(pin)?.game ?? null;
  }
  async getState(pin: string) {
    const g = this.live(pin);
    return g ? clone(g.state) : null;
  }
  async saveState(pin: string, expectedSeq: number, next: GameState) {
    const g = this.live(pin);
    if (!g || g.state.seq !== expectedSeq) return false;
    g.state = clone(next);
    return true;
  }

  async addPlayer(pin: string, player: PlayerRecord, nicknameKey: string, tokenHash: string): Promise<AddPlayerResult> {
    const g = this.live(pin);
    if (!g) return { ok: false, code: 'GAME_NOT_FOUND' };
    if (g.state.phase === 'ended') return { ok: false, code: 'WRONG_PHASE' };
    if (g.state.locked) return { ok: false, code: 'LOBBY_LOCKED' };
    const devices = (g.devices ??= new Set([...g.players.values()].flatMap((p) => (p.device ? [p.device] : []))));
    if (player.device && devices.has(player.device)) return { ok: false, code: 'DEVICE_ALREADY_JOINED' };
    if (g.nicknames.has(nicknameKey)) return { ok: false, code: 'NICKNAME_TAKEN' };
    g.nicknames.add(nicknameKey);
    if (player.device) devices.add(player.device);
    g.players.set(player.id, copyFlat(player)!);
    g.tokens.set(tokenHash, player.id);
    if (player.unit) g.unitCounts.set(player.unit, (g.unitCounts.get(player.unit) ?? 0) + 1);
    return { ok: true, players: g.players.size - g.kicked.size };
  }
  async findPlayerByToken(pin: string, tokenHash: string) {
    const g = this.live(pin);
    const id = g?.tokens.get(tokenHash);
    if (!g || !id || g.kicked.has(id)) return null;
    return copyFlat(g.players.get(id));
  }
  async getPlayer(pin: string, playerId: string) {
    const g = this.live(pin);
    const p = g?.players.get(playerId);
    return p && !g!.kicked.has(playerId) ? copyFlat(p) : null;
  }
  async getPlayers(pin: string) {
    const g = this.live(pin);
    const out: PlayerRecord[] = [];
    if (g) for (const p of g.players.values()) if (!g.kicked.has(p.id)) out.push(copyFlat(p)!);
    return out;
  }
  async playerCount(pin: string) {
    const g = this.live(pin);
    return g ? g.players.size - g.kicked.size : 0;
  }
  async anonymisePlayer(pin: string, playerId: string, replacement: string, nicknameKey: string) {
    const p = this.live(pin)?.players.get(playerId);
    if (!p) return false;
    p.nickname = replacement;
    this.live(pin)!.nicknames.delete(nicknameKey);
    return true;
  }
  async freezeScores(pin: string) {
    if (this.live(pin)) this.frozen.add(pin);
  }
  async removeExpiredGames() {
    return this.dropExpired();
  }
  /** Inside writes only, so a replay removes the same games at the same (pinned) time; their freeze goes with them. */
  private dropExpired() {
    let removed = false;
    for (const [pin, g] of this.games)
      if (g.expiresAt !== undefined && g.expiresAt <= this.clock.now()) {
        this.games.delete(pin);
        this.frozen.delete(pin);
        removed = true;
      }
    return removed;
  }
  async expireGame(pin: string, at: number) {
    const g = this.live(pin);
    if (!g) return false;
    g.expiresAt = at;
    return true;
  }
  async getKickedPlayers(pin: string) {
    const g = this.live(pin);
    return g ? [...g.kicked].map((id) => copyFlat(g.players.get(id))!) : [];
  }
  async scoresFrozen(pin: string) {
    return !!this.live(pin) && this.frozen.has(pin);
  }
  async kickPlayer(pin: string, playerId: string) {
    const g = this.live(pin);
    const p = g?.players.get(playerId);
    if (!g || !p || g.kicked.has(playerId) || this.frozen.has(pin)) return false;
    g.kicked.add(playerId);
    for (const [hash, id] of g.tokens) if (id === playerId) g.tokens.delete(hash);
    for (const board of g.boards.values()) board.delete(playerId);
    if (p.unit) {
      g.unitCounts.set(p.unit, (g.unitCounts.get(p.unit) ?? 1) - 1);
      g.unitSums.set(p.unit, (g.unitSums.get(p.unit) ?? 0) - (g.tallies.get(playerId)?.score ?? 0));
    }
    return true;
  }

  async recordAnswer(
    pin: string,
    index: number,
    playerId: string,
    choice: number | number[],
    graceMs: number,
  ): Promise<RecordAnswerResult> {
    const g = this.live(pin);
    if (!g) return { ok: false, code: 'GAME_NOT_FOUND' };
    const s = g.state;
    if (s.phase !== 'open') return { ok: false, code: 'WRONG_PHASE' };
    if (s.index !== index) return { ok: false, code: 'WRONG_QUESTION' };
    if (s.pausedAt !== null) return { ok: false, code: 'PAUSED' };
    const now = this.clock.now();
    if (now < s.openedAt) return { ok: false, code: 'NOT_OPEN_YET' };
    if (now > deadlineOf(s)! + graceMs) return { ok: false, code: 'TOO_LATE' };
    let answers = g.answers.get(index);
    if (!answers) g.answers.set(index, (answers = new Map()));
    if (answers.has(playerId)) return { ok: false, code: 'ALREADY_ANSWERED' };
    const elapsedMs = Math.max(0, now - s.openedAt - s.pausedMs);
    answers.set(playerId, { choice: clone(choice), elapsedMs, at: now });
    return { ok: true, elapsedMs, answered: answers.size, players: g.players.size - g.kicked.size };
  }
  async answeredCount(pin: string, index: number) {
    return this.live(pin)?.answers.get(index)?.size ?? 0;
  }
  async hasAnswered(pin: string, index: number, playerId: string) {
    return this.live(pin)?.answers.get(index)?.has(playerId) ?? false;
  }
  async getAnswers(pin: string, index: number) {
    const out = new Map<string, AnswerRecord>();
    for (const [id, a] of this.live(pin)?.answers.get(index) ?? []) out.set(id, copyAnswer(a));
    return out;
  }

  async getTallies(pin: string) {
    const out = new Map<string, Tally>();
    for (const [id, t] of this.live(pin)?.tallies ?? []) out.set(id, copyFlat(t)!);
    return out;
  }
  async getTalliesFor(pin: string, playerIds: string[]) {
    const t = this.live(pin)?.tallies;
    return playerIds.map((id) => copyFlat(t?.get(id)));
  }
  async applyScores(pin: string, scored: ScoredQuestion) {
    const g = this.live(pin);
    if (!g || g.outcomes.has(scored.index) || this.frozen.has(pin)) return false;
    const outcomes = new Map<string, QuestionOutcome>();
    const board = (key: string) => g.boards.get(key) ?? g.boards.set(key, new Map()).get(key)!;
    for (const p of scored.players) {
      if (g.kicked.has(p.playerId)) continue;
      outcomes.set(p.playerId, copyFlat(p.outcome)!);
      g.tallies.set(p.playerId, copyFlat(p.tally)!);
      board('game').set(p.playerId, p.boardScore);
      board(`g:${p.group}`).set(p.playerId, p.boardScore);
      if (p.unit) {
        board(`u:${p.unit}`).set(p.playerId, p.boardScore);
        g.unitSums.set(p.unit, (g.unitSums.get(p.unit) ?? 0) + p.scoreDelta);
      }
    }
    g.outcomes.set(scored.index, outcomes);
    g.reveals.set(scored.index, clone(scored.reveal));
    return true;
  }
  async isScored(pin: string, index: number) {
    return this.live(pin)?.outcomes.has(index) ?? false;
  }
  async getReveal(pin: string, index: number) {
    return clone(this.live(pin)?.reveals.get(index) ?? null);
  }
  async getOutcomes(pin: string, index: number, playerIds: string[]) {
    const o = this.live(pin)?.outcomes.get(index);
    return playerIds.map((id) => copyFlat(o?.get(id)));
  }
  private board(pin: string, board: Board): Map<string, number> {
    return this.live(pin)?.boards.get(boardKey(board)) ?? new Map<string, number>();
  }
  private sortedBoard(pin: string, board: Board): BoardEntry[] {
    return [...this.board(pin, board)].map(([playerId, value]) => ({ playerId, value })).sort(boardOrder);
  }
  async topOfBoard(pin: string, board: Board, limit: number) {
    if (limit > TOP_BY_SELECTION) return this.sortedBoard(pin, board).slice(0, limit);
    // The few rows a view shows, without sorting (and copying) the whole board: views of the podium read five boards.
    const top: BoardEntry[] = [];
    for (const [playerId, value] of this.board(pin, board)) {
      const last = top.length === limit ? top.at(-1)! : null;
      // Not ahead of the last row: tested on the parts, before making an entry (most of a board's players).
      if (last && rowOrder(value, playerId, last.value, last.playerId) >= 0) continue;
      top.push({ playerId, value });
      top.sort(boardOrder);
      if (top.length > limit) top.pop();
    }
    return top;
  }
  async ranks(pin: string) {
    return boardRanks(this.sortedBoard(pin, { kind: 'game' }));
  }
  async rankOf(pin: string, playerId: string) {
    const board = this.board(pin, { kind: 'game' });
    const value = board.get(playerId);
    if (value === undefined) return null;
    // Equal values share a rank (boardRanks): one more than the players ahead. No sort for one phone's resume.
    let ahead = 0;
    for (const v of board.values()) if (v > value) ahead++;
    return ahead + 1;
  }
  async unitTotals(pin: string): Promise<UnitTotals[]> {
    const g = this.live(pin);
    if (!g) return [];
    return [...g.unitCounts]
      .filter(([, n]) => n > 0)
      .map(([unit, players]) => ({ unit, players, totalScore: g.unitSums.get(unit) ?? 0 }));
  }

  async createSession(tokenHash: string, ttlMs: number) {
    this.sessions.set(tokenHash, this.clock.now() + ttlMs);
  }
  async hasSession(tokenHash: string) {
    const until = this.sessions.get(tokenHash);
    return until !== undefined && until > Date.now();
  }
  async deleteSession(tokenHash: string) {
    this.sessions.delete(tokenHash);
  }
  async ping() {}
  async close() {}
}
