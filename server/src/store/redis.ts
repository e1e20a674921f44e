import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import type { Reveal } from '../../../protocol/events';
import { boardRanks } from '../game/ranking';
import type { AnswerRecord, GameRecord, GameState, PlayerRecord, QuestionOutcome, Tally } from '../game/state';
import { RedisOrganiserRecords } from './records-redis';
import { TARGET_GROUPS } from '../../../protocol/contest';
import {
  ADD_PLAYER,
  APPLY_SCORES,
  APPLY_STAGED,
  CREATE_GAME,
  EXPIRE_GAME,
  FREEZE_SCORES,
  KICK_PLAYER,
  RECORD_ANSWER,
  SAVE_STATE,
  STAGE_SCORES,
} from './redis-scripts';
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

type Reply = [string, ...number[]];

interface Scripts {
  cdsCreateGame(k1: string, k2: string, game: string, state: string): Promise<number>;
  cdsSaveState(k: string, seq: number, next: string): Promise<number>;
  cdsAddPlayer(...args: string[]): Promise<Reply>;
  cdsRecordAnswer(
    k1: string,
    k2: string,
    k3: string,
    index: number,
    id: string,
    choice: string,
    grace: number,
  ): Promise<Reply>;
  cdsApplyScores(...args: (string | number)[]): Promise<number>;
  cdsStageScores(...args: (string | number)[]): Promise<number>;
  cdsApplyStaged(...args: (string | number)[]): Promise<number>;
  cdsKickPlayer(...args: string[]): Promise<number>;
  cdsFreezeScores(game: string, frozen: string, prefix: string, questions: number): Promise<number>;
  cdsExpireGame(...args: (string | number)[]): Promise<number>;
}

/**
 * Players per part of a scored question: a question of more players is staged in Redis, then applied a part per
 * call, so no call holds Redis (and every other game on it) for long — one call for 10,000 players took ~150 ms.
 */
const SCORE_PART_PLAYERS = 500;

/**
 * The commands a node sends close together leave in one write: the socket is corked until `flush` runs — the end of
 * the event-loop turn (setImmediate: every socket event of one poll phase, e.g. a burst of answers) or of the tick
 * (process.nextTick, when ioredis' auto-pipelining flushed). This replaces auto-pipelining, which built a Pipeline
 * object per tick: with answers arriving one per tick, that was most of the client's CPU per command.
 */
export function coalesceWrites(redis: Redis, flush: (f: () => void) => void = setImmediate) {
  redis.on('connect', () => {
    const stream = (redis as unknown as { stream: Socket }).stream;
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    let corked = false;
    stream.write = ((...args: unknown[]) => {
      if (!corked) {
        corked = true;
        stream.cork();
        flush(() => {
          corked = false;
          stream.uncork();
        });
      }
      return write(...args);
    }) as Socket['write'];
  });
}

/** How often a node checks whether a cached game record has been given its expiry (or is gone). */
const GAME_RECHECK_MS = 5000;

const json = <T>(s: string | null | undefined): T | null => (s == null ? null : (JSON.parse(s) as T));

/**
 * Redis driver: all live state in Redis so any node serves any player. Keys are
 * `<prefix>g:{<pin>}:…` (the hash tag keeps a game on one Redis Cluster slot).
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly organiser: RedisOrganiserRecords;
  private readonly redis: Redis & Scripts;
  /**
   * Games are immutable once created: each node caches them, and re-reads every few seconds only when the record
   * goes (its expiry, see expireGame), so a node never serves an expired game for longer than that.
   */
  private readonly gameCache = new Map<string, { game: GameRecord; checkedAt: number; expiresAt: number | null }>();
  private clockOffset = 0;
  private clockTimer: NodeJS.Timeout;

  constructor(
    url: string,
    private readonly prefix = 'cds:',
    /** Players per part of a large scored question (tests use small parts). */
    private readonly scorePartPlayers = SCORE_PART_PLAYERS,
    /** Parts (or the reveal) sent per staging call: 20 parts of 500 players are ~2 MB, a few ms of Redis. */
    private readonly partsPerStagingCall = 20,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3 }) as Redis & Scripts;
    coalesceWrites(this.redis);
    this.redis.on('error', () => {}); // reconnects on its own; /readyz reports it
    this.organiser = new RedisOrganiserRecords(this.redis, prefix);
    const define = (name: keyof Scripts, lua: string, numberOfKeys: number) =>
      this.redis.defineCommand(name, { lua, numberOfKeys });
    define('cdsCreateGame', CREATE_GAME, 2);
    define('cdsSaveState', SAVE_STATE, 1);
    define('cdsAddPlayer', ADD_PLAYER, 7);
    define('cdsRecordAnswer', RECORD_ANSWER, 3);
    define('cdsApplyScores', APPLY_SCORES, 8);
    define('cdsStageScores', STAGE_SCORES, 4);
    define('cdsApplyStaged', APPLY_STAGED, 7);
    define('cdsKickPlayer', KICK_PLAYER, 9);
    define('cdsFreezeScores', FREEZE_SCORES, 2);
    define('cdsExpireGame', EXPIRE_GAME, 1);
    this.clockTimer = setInterval(() => void this.syncClock().catch(() => {}), 10_000);
    this.clockTimer.unref();
    void this.syncClock().catch(() => {});
  }

  private k(pin: string, ...parts: (string | number)[]) {
    return [`${this.prefix}g:{${pin}}`, ...parts].join(':');
  }
  private boardPrefix(pin: string) {
    return `${this.k(pin)}:`;
  }

  private async syncClock() {
    const before = Date.now();
    const now = await this.now();
    this.clockOffset = now - (before + Date.now()) / 2;
  }
  async now() {
    const [s, us] = await this.redis.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000);
  }
  clockEstimate() {
    return Math.round(Date.now() + this.clockOffset);
  }

  async createGame(game: GameRecord, state: GameState) {
    const created = await this.redis.cdsCreateGame(
      this.k(game.pin, 'game'),
      this.k(game.pin, 'state'),
      JSON.stringify(game),
      JSON.stringify(state),
    );
    if (created === 1)
      this.gameCache.set(game.pin, { game: deepFreeze(structuredClone(game)), checkedAt: Date.now(), expiresAt: null });
    return created === 1;
  }
  async getGame(pin: string) {
    const hit = this.gameCache.get(pin);
    if (hit && Date.now() - hit.checkedAt > GAME_RECHECK_MS) {
      // -2: gone; -1: no expiry yet; else when it goes.
      const at = await this.redis.pexpiretime(this.k(pin, 'game'));
      if (at === -2) this.gameCache.delete(pin);
      else Object.assign(hit, { checkedAt: Date.now(), expiresAt: at > 0 ? at : null });
    }
    const cached = this.gameCache.get(pin);
    if (cached && (cached.expiresAt === null || cached.expiresAt > this.clockEstimate())) return cached.game; // the frozen record itself: read for every answer
    this.gameCache.delete(pin);
    const [raw, at] = await Promise.all([
      this.redis.get(this.k(pin, 'game')),
      this.redis.pexpiretime(this.k(pin, 'game')),
    ]);
    const game = json<GameRecord>(raw);
    if (game) this.gameCache.set(pin, { game: deepFreeze(game), checkedAt: Date.now(), expiresAt: at > 0 ? at : null });
    return game;
  }
  async getState(pin: string) {
    return json<GameState>(await this.redis.get(this.k(pin, 'state')));
  }
  async saveState(pin: string, expectedSeq: number, next: GameState) {
    return (await this.redis.cdsSaveState(this.k(pin, 'state'), expectedSeq, JSON.stringify(next))) === 1;
  }

  async addPlayer(pin: string, player: PlayerRecord, nicknameKey: string, tokenHash: string): Promise<AddPlayerResult> {
    const k = (p: string) => this.k(pin, p);
    const [code, players] = await this.redis.cdsAddPlayer(
      k('state'),
      k('players'),
      k('nicks'),
      k('tokens'),
      k('count'),
      k('unitcount'),
      k('devices'),
      player.id,
      JSON.stringify(player),
      nicknameKey,
      tokenHash,
      player.unit ?? '',
      player.device ?? '',
    );
    return code === 'OK'
      ? { ok: true, players: players! }
      : { ok: false, code: code as Exclude<AddPlayerResult, { ok: true }>['code'] };
  }
  async findPlayerByToken(pin: string, tokenHash: string) {
    const id = await this.redis.hget(this.k(pin, 'tokens'), tokenHash);
    return id ? this.getPlayer(pin, id) : null;
  }
  async getPlayer(pin: string, playerId: string) {
    const [player, kicked] = await Promise.all([
      this.redis.hget(this.k(pin, 'players'), playerId),
      this.redis.sismember(this.k(pin, 'kicked'), playerId),
    ]);
    return kicked ? null : json<PlayerRecord>(player);
  }
  async getPlayers(pin: string) {
    const [all, kicked] = await Promise.all([
      this.redis.hvals(this.k(pin, 'players')),
      this.redis.smembers(this.k(pin, 'kicked')),
    ]);
    const out = new Set(kicked);
    return all
      .map((s) => JSON.parse(s) as PlayerRecord)
      .filter((p) => !out.has(p.id))
      .sort((a, b) => a.joinedAt - b.joinedAt || (a.id < b.id ? -1 : 1));
  }
  async removeExpiredGames() {
    return false; // Redis drops expired keys itself
  }
  async getKickedPlayers(pin: string) {
    const ids = await this.redis.smembers(this.k(pin, 'kicked'));
    if (!ids.length) return [];
    const raw = await this.redis.hmget(this.k(pin, 'players'), ...ids);
    return raw.flatMap((s) => (s ? [JSON.parse(s) as PlayerRecord] : []));
  }
  async playerCount(pin: string) {
    return Number((await this.redis.get(this.k(pin, 'count'))) ?? 0);
  }
  async anonymisePlayer(pin: string, playerId: string, replacement: string, nicknameKey: string) {
    // The players hash is written only at join, so read-modify-write cannot lose a concurrent change.
    const raw = await this.redis.hget(this.k(pin, 'players'), playerId);
    if (!raw) return false;
    await this.redis.hset(
      this.k(pin, 'players'),
      playerId,
      JSON.stringify({ ...(JSON.parse(raw) as PlayerRecord), nickname: replacement }),
    );
    if ((await this.redis.hget(this.k(pin, 'nicks'), nicknameKey)) === playerId)
      await this.redis.hdel(this.k(pin, 'nicks'), nicknameKey);
    return true;
  }
  async freezeScores(pin: string) {
    const questions = (await this.getGame(pin))?.questions.length ?? 0;
    await this.redis.cdsFreezeScores(this.k(pin, 'game'), this.k(pin, 'frozen'), this.boardPrefix(pin), questions);
  }
  async expireGame(pin: string, at: number) {
    const game = await this.getGame(pin);
    if (!game) return false;
    const done = await this.redis.cdsExpireGame(
      this.k(pin, 'game'),
      Math.ceil(at),
      this.boardPrefix(pin),
      game.questions.length,
      ...TARGET_GROUPS,
    );
    // The cached record would outlive the keys: a later game on this PIN must be read afresh.
    this.gameCache.delete(pin);
    return done === 1;
  }
  async scoresFrozen(pin: string) {
    return (await this.redis.exists(this.k(pin, 'frozen'))) === 1;
  }
  async kickPlayer(pin: string, playerId: string) {
    const k = (p: string) => this.k(pin, p);
    const done = await this.redis.cdsKickPlayer(
      k('players'),
      k('kicked'),
      k('tokens'),
      k('count'),
      k('lb'),
      k('tally'),
      k('unitcount'),
      k('unitsum'),
      k('frozen'),
      playerId,
      this.boardPrefix(pin),
    );
    return done === 1;
  }

  async recordAnswer(
    pin: string,
    index: number,
    playerId: string,
    choice: number | number[],
    graceMs: number,
  ): Promise<RecordAnswerResult> {
    const [code, elapsedMs, answered, players] = await this.redis.cdsRecordAnswer(
      this.k(pin, 'state'),
      this.k(pin, 'q', index, 'ans'),
      this.k(pin, 'count'),
      index,
      playerId,
      JSON.stringify(choice),
      graceMs,
    );
    if (code === 'OK') return { ok: true, elapsedMs: elapsedMs!, answered: answered!, players: players! };
    return { ok: false, code: code as Exclude<RecordAnswerResult, { ok: true }>['code'] };
  }
  async answeredCount(pin: string, index: number) {
    return this.redis.hlen(this.k(pin, 'q', index, 'ans'));
  }
  async hasAnswered(pin: string, index: number, playerId: string) {
    return (await this.redis.hexists(this.k(pin, 'q', index, 'ans'), playerId)) === 1;
  }
  async getAnswers(pin: string, index: number) {
    const raw = await this.redis.hgetall(this.k(pin, 'q', index, 'ans'));
    const answers = new Map<string, AnswerRecord>();
    for (const [id, value] of Object.entries(raw)) {
      const first = value.indexOf('|');
      const second = value.indexOf('|', first + 1);
      answers.set(id, {
        elapsedMs: Number(value.slice(0, first)),
        at: Number(value.slice(first + 1, second)),
        choice: JSON.parse(value.slice(second + 1)) as number | number[],
      });
    }
    return answers;
  }

  async getTallies(pin: string) {
    const raw = await this.redis.hgetall(this.k(pin, 'tally'));
    return new Map(Object.entries(raw).map(([id, t]) => [id, JSON.parse(t) as Tally]));
  }
  async getTalliesFor(pin: string, playerIds: string[]) {
    if (!playerIds.length) return [];
    return (await this.redis.hmget(this.k(pin, 'tally'), ...playerIds)).map((t) => json<Tally>(t));
  }
  async applyScores(pin: string, scored: ScoredQuestion) {
    const k = (...p: (string | number)[]) => this.k(pin, ...p);
    // Each part's players travel as one JSON argument: thousands of separate arguments overflow ioredis' call stack
    // inside an auto-pipeline (found by the 10,000-player bench).
    const parts: string[] = [];
    for (let i = 0; i < scored.players.length || i === 0; i += this.scorePartPlayers) {
      const flat: string[] = [];
      for (const p of scored.players.slice(i, i + this.scorePartPlayers))
        flat.push(
          p.playerId,
          p.group,
          p.unit ?? '',
          JSON.stringify(p.outcome),
          JSON.stringify(p.tally),
          String(p.boardScore),
          String(p.scoreDelta),
        );
      parts.push(JSON.stringify(flat));
    }
    const reveal = JSON.stringify(scored.reveal);
    if (parts.length === 1) {
      const applied = await this.redis.cdsApplyScores(
        k('scored'),
        k('q', scored.index, 'res'),
        k('q', scored.index, 'reveal'),
        k('tally'),
        k('lb'),
        k('unitsum'),
        k('kicked'),
        k('frozen'),
        scored.index,
        reveal,
        this.boardPrefix(pin),
        parts[0]!,
      );
      return applied === 1;
    }
    // Staged a few parts per call, then applied a part per call: other clients' commands run between the calls.
    const pending = k('q', scored.index, 'pending');
    const staging = k('q', scored.index, 'staging', randomBytes(6).toString('hex'));
    const items = [reveal, ...parts];
    for (let i = 0; i < items.length; i += this.partsPerStagingCall) {
      const last = i + this.partsPerStagingCall >= items.length ? 1 : 0;
      const batch = items.slice(i, i + this.partsPerStagingCall);
      if (
        (await this.redis.cdsStageScores(k('scored'), k('frozen'), staging, pending, scored.index, last, ...batch)) !==
        1
      )
        return false;
    }
    for (;;) {
      const step = await this.redis.cdsApplyStaged(
        k('scored'),
        k('q', scored.index, 'res'),
        k('tally'),
        k('lb'),
        k('unitsum'),
        k('kicked'),
        pending,
        scored.index,
        this.boardPrefix(pin),
      );
      if (step !== 2) return step === 1;
    }
  }
  async isScored(pin: string, index: number) {
    return (await this.redis.sismember(this.k(pin, 'scored'), String(index))) === 1;
  }
  async getReveal(pin: string, index: number) {
    return json<Reveal>(await this.redis.get(this.k(pin, 'q', index, 'reveal')));
  }
  async getOutcomes(pin: string, index: number, playerIds: string[]) {
    if (!playerIds.length) return [];
    return (await this.redis.hmget(this.k(pin, 'q', index, 'res'), ...playerIds)).map((o) => json<QuestionOutcome>(o));
  }
  private boardKey(pin: string, board: Board) {
    return board.kind === 'game'
      ? this.k(pin, 'lb')
      : board.kind === 'group'
        ? this.k(pin, 'lb', 'g', board.group)
        : this.k(pin, 'lb', 'u', board.unit);
  }
  async topOfBoard(pin: string, board: Board, limit: number): Promise<BoardEntry[]> {
    const flat = await this.redis.zrevrange(this.boardKey(pin, board), 0, limit - 1, 'WITHSCORES');
    const out: BoardEntry[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ playerId: flat[i]!, value: Number(flat[i + 1]) });
    return out;
  }
  async ranks(pin: string) {
    // One O(N) read per node per question beats N ZREVRANK round trips.
    const flat = await this.redis.zrevrange(this.k(pin, 'lb'), 0, -1, 'WITHSCORES');
    const entries: BoardEntry[] = [];
    for (let i = 0; i < flat.length; i += 2) entries.push({ playerId: flat[i]!, value: Number(flat[i + 1]) });
    return boardRanks(entries);
  }
  async rankOf(pin: string, playerId: string) {
    // Equal values share a rank: 1 + how many are strictly ahead.
    const value = await this.redis.zscore(this.k(pin, 'lb'), playerId);
    if (value === null) return null;
    return 1 + (await this.redis.zcount(this.k(pin, 'lb'), `(${value}`, '+inf'));
  }
  async unitTotals(pin: string): Promise<UnitTotals[]> {
    const [counts, sums] = await Promise.all([
      this.redis.hgetall(this.k(pin, 'unitcount')),
      this.redis.zrange(this.k(pin, 'unitsum'), 0, -1, 'WITHSCORES'),
    ]);
    const total = new Map<string, number>();
    for (let i = 0; i < sums.length; i += 2) total.set(sums[i]!, Number(sums[i + 1]));
    return Object.entries(counts)
      .map(([unit, n]) => ({ unit, players: Number(n), totalScore: total.get(unit) ?? 0 }))
      .filter((u) => u.players > 0);
  }

  async createSession(tokenHash: string, ttlMs: number) {
    await this.redis.set(`${this.prefix}session:${tokenHash}`, '1', 'PX', ttlMs);
  }
  async hasSession(tokenHash: string) {
    return (await this.redis.exists(`${this.prefix}session:${tokenHash}`)) === 1;
  }
  async deleteSession(tokenHash: string) {
    await this.redis.del(`${this.prefix}session:${tokenHash}`);
  }

  async ping() {
    await this.redis.ping();
  }
  /** The keys a game has now (tests: SCAN, never on a request path). */
  async keysOfGame(pin: string) {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', `${this.k(pin)}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    return keys.sort();
  }
  /** When a key goes, ms (tests). */
  expiryOf(key: string) {
    return this.redis.pexpiretime(key);
  }
  /** Deletes every key under this store's prefix (tests). Uses SCAN, never FLUSHALL. */
  async deleteAllKeys() {
    await deleteKeysWithPrefix(this.redis, this.prefix);
  }
  async close() {
    clearInterval(this.clockTimer);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Deletes exactly the keys under `prefix` on a Redis others may share (tests, bench): SCAN + UNLINK, never FLUSHALL. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}
