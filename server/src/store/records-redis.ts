import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { Redis } from 'ioredis';
import type { AuditEntry, Claim, IndexedGame, Playoff } from '../../../protocol/organiser';
import {
  byCreation,
  byIssue,
  type GameArchive,
  type OrganiserRecords,
  type StoredContest,
  type StoredLock,
} from './records';

const LOCK = `
--[[
  Sets a scope's lock once and marks its games locked, in one step. The result set's JSON was written beforehand,
  in pieces, under a key of its own: it is moved into place (or dropped when the scope is already locked).

    Input:
      KEYS[1] {org}:lock:<scope>             (the lock without the set: who, when, hash, games)
      KEYS[2] {org}:locked                   (set of locked PINs)
      KEYS[3] {org}:lock-json:<scope>        (the result set's JSON, exactly as hashed)
      KEYS[4] {org}:lock-json-writing:<id>   (that JSON as written, piece by piece; it expires unless moved, so a
                                              writer that died half-way leaves nothing behind for long)

      ARGV[1]    the lock's JSON, without the set
      ARGV[2..n] the PINs of its games

    Output:
      1 - locked
      0 - the scope was already locked
]]
local lockKey = KEYS[1]
local lockedKey = KEYS[2]
local jsonKey = KEYS[3]
local writingKey = KEYS[4]

if redis.call('SET', lockKey, ARGV[1], 'NX') then
  redis.call('RENAME', writingKey, jsonKey)
  redis.call('PERSIST', jsonKey)
  for i = 2, #ARGV do redis.call('SADD', lockedKey, ARGV[i]) end
  return 1
end
redis.call('DEL', writingKey)
return 0`;

/** How long a lock's JSON being written may take before Redis drops it (a writer that died half-way). */
const WRITING_TTL_MS = 3_600_000;

/** A locked set's JSON goes to and from Redis in pieces of this size (characters out, bytes back). */
const JSON_PIECE = 1 << 20;

/** `text` in pieces of at most `size` UTF-16 units, never splitting a surrogate pair (it would encode as U+FFFD). */
function* utf16Pieces(text: string, size: number) {
  for (let from = 0; from < text.length;) {
    let to = Math.min(text.length, from + size);
    const last = text.charCodeAt(to - 1);
    if (to < text.length && last >= 0xd800 && last <= 0xdbff) to--;
    yield text.slice(from, to);
    from = to;
  }
}

const COMPLETE_CLAIM = `
--[[
  Completes a claim: replaces the stored claim only if its "claimed" part is still empty (compare-and-set).

    Input:
      KEYS[1] {org}:claims   (hash code -> claim JSON)

      ARGV[1] claim code
      ARGV[2] the completed claim JSON

    Output:
      1 - completed
      0 - no such claim, or it was completed already
]]
local claimsKey = KEYS[1]
local code = ARGV[1]
local completedJson = ARGV[2]

local raw = redis.call('HGET', claimsKey, code)
if not raw then return 0 end
local claim = cjson.decode(raw)
if claim.claimed ~= cjson.null and claim.claimed ~= nil then return 0 end
redis.call('HSET', claimsKey, code, completedJson)
return 1`;

/** Appends an audit entry; its seq is the list's length plus the entries trimmed off the front. */
const APPEND_AUDIT = `
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
return n + tonumber(redis.call('GET', KEYS[2]) or '0')`;

/** A page of audit entries after seq ARGV[1]: { seq of the first, entries }. */
const LIST_AUDIT = `
local dropped = tonumber(redis.call('GET', KEYS[2]) or '0')
local start = math.max(0, tonumber(ARGV[1]) - dropped)
return { dropped + start + 1, redis.call('LRANGE', KEYS[1], start, start + tonumber(ARGV[2]) - 1) }`;

/** Keeps the newest ARGV[1] audit entries and counts the dropped ones. */
const TRIM_AUDIT = `
local n = redis.call('LLEN', KEYS[1]) - tonumber(ARGV[1])
if n <= 0 then return 0 end
redis.call('LTRIM', KEYS[1], n, -1)
redis.call('INCRBY', KEYS[2], n)
return n`;

/**
 * Redis driver. Keys `<prefix>{org}:audit` (a list, paged by LRANGE; an entry's seq is its position plus
 * `{org}:audit:dropped`, the count trimmed off the front),
 * `{org}:games` (hash pin → game), `{org}:lock:<scope>` (string, SET NX) with the
 * set's JSON in `{org}:lock-json:<scope>`, `{org}:locked` (set of PINs),
 * `{org}:claims` (hash code → claim; the claim JSON is replaced whole by the completing script),
 * `{org}:purged` (set of PINs whose personal data the retention sweep removed), `{org}:archive` (hash pin → the
 * results of a game whose live keys expired), `{org}:playoffs:<contest>` (list of playoff JSON, in recording
 * order), `{org}:contests` (hash id →
 * uploaded contest) with its version counter `{org}:contests:v`.
 * The `{org}` hash tag keeps them on one Cluster slot so the lock script may touch two of them.
 */
export class RedisOrganiserRecords implements OrganiserRecords {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('cdsLockResults', { lua: LOCK, numberOfKeys: 4 });
    redis.defineCommand('cdsCompleteClaim', { lua: COMPLETE_CLAIM, numberOfKeys: 1 });
    redis.defineCommand('cdsAppendAudit', { lua: APPEND_AUDIT, numberOfKeys: 2 });
    redis.defineCommand('cdsListAudit', { lua: LIST_AUDIT, numberOfKeys: 2 });
    redis.defineCommand('cdsTrimAudit', { lua: TRIM_AUDIT, numberOfKeys: 2 });
  }
  /** The audit scripts defined above, as ioredis adds them. */
  private get scripts() {
    return this.redis as unknown as Record<
      'cdsAppendAudit' | 'cdsListAudit' | 'cdsTrimAudit',
      (...args: (string | number)[]) => Promise<unknown>
    >;
  }
  private k(...parts: string[]) {
    return [`${this.prefix}{org}`, ...parts].join(':');
  }

  async appendAudit(entry: Omit<AuditEntry, 'seq'>): Promise<AuditEntry> {
    const seq = (await this.scripts.cdsAppendAudit(
      this.k('audit'),
      this.k('audit', 'dropped'),
      JSON.stringify(entry),
    )) as number;
    return { seq, ...entry };
  }
  async listAudit(after: number, limit: number) {
    const [first, raw] = (await this.scripts.cdsListAudit(
      this.k('audit'),
      this.k('audit', 'dropped'),
      after,
      limit,
    )) as [number, string[]];
    return raw.map((s, i) => ({ seq: first + i, ...(JSON.parse(s) as Omit<AuditEntry, 'seq'>) }));
  }
  async trimAudit(keep: number) {
    return (await this.scripts.cdsTrimAudit(this.k('audit'), this.k('audit', 'dropped'), keep)) as number;
  }
  async indexGame(game: IndexedGame) {
    await this.redis.hset(this.k('games'), game.pin, JSON.stringify(game));
  }
  async isIndexed(pin: string) {
    return (await this.redis.hexists(this.k('games'), pin)) === 1;
  }
  async listGames(contestId?: string) {
    const all = (await this.redis.hvals(this.k('games'))).map((s) => JSON.parse(s) as IndexedGame);
    return all.filter((g) => !contestId || g.contestId === contestId).sort(byCreation);
  }
  async setPractice(pin: string, practice: boolean) {
    // Written once at creation and only changed here, by an organiser: read-modify-write is safe enough.
    const raw = await this.redis.hget(this.k('games'), pin);
    if (!raw) return false;
    await this.redis.hset(this.k('games'), pin, JSON.stringify({ ...(JSON.parse(raw) as IndexedGame), practice }));
    return true;
  }
  async lock(lock: StoredLock) {
    const run = (this.redis as unknown as { cdsLockResults(...a: string[]): Promise<number> }).cdsLockResults;
    // The set's JSON (~100 MB for a whole online round) is written in pieces, one request each: wrapped in the
    // lock's own JSON, or sent as one argument, it was encoded in one call, a stalled event loop for seconds.
    const { json, ...meta } = lock;
    const writing = this.k('lock-json-writing', randomUUID());
    await this.redis.set(writing, '', 'PX', WRITING_TTL_MS);
    for (const piece of utf16Pieces(json, JSON_PIECE)) await this.redis.append(writing, piece);
    const done = await run.call(
      this.redis,
      this.k('lock', lock.scopeKey),
      this.k('locked'),
      this.k('lock-json', lock.scopeKey),
      writing,
      JSON.stringify(meta),
      ...lock.pins,
    );
    return done === 1;
  }
  async getLock(scopeKey: string) {
    const raw = await this.redis.get(this.k('lock', scopeKey));
    if (!raw) return null;
    const meta = JSON.parse(raw) as StoredLock | Omit<StoredLock, 'json'>;
    // A lock written before the set had a key of its own carries it inside.
    if ('json' in meta) return meta;
    // Read back in ranges of bytes, decoded piece by piece (a character may straddle two ranges).
    const key = this.k('lock-json', scopeKey);
    const decoder = new StringDecoder('utf8');
    const pieces: string[] = [];
    for (let from = 0; ; from += JSON_PIECE) {
      const bytes = await this.redis.getrangeBuffer(key, from, from + JSON_PIECE - 1);
      pieces.push(decoder.write(bytes));
      if (bytes.length < JSON_PIECE) break;
    }
    pieces.push(decoder.end());
    return { ...meta, json: pieces.join('') };
  }
  async addPlayoff(playoff: Playoff) {
    await this.redis.rpush(this.k('playoffs', playoff.contestId), JSON.stringify(playoff));
  }
  async listPlayoffs(contestId: string) {
    return (await this.redis.lrange(this.k('playoffs', contestId), 0, -1)).map((j) => JSON.parse(j) as Playoff);
  }
  async isPurged(pin: string) {
    return (await this.redis.sismember(this.k('purged'), pin)) === 1;
  }
  async markPurged(pin: string) {
    return (await this.redis.sadd(this.k('purged'), pin)) === 1;
  }
  async archiveGame(archive: GameArchive) {
    await this.redis.hset(this.k('archive'), archive.pin, JSON.stringify(archive));
  }
  async getArchive(pin: string) {
    const raw = await this.redis.hget(this.k('archive'), pin);
    return raw ? (JSON.parse(raw) as GameArchive) : null;
  }
  async eraseArchivedName(pin: string, playerId: string, replacement: string) {
    // Archives are written once, by the expiry sweep, before the live keys go: read-modify-write is safe enough.
    const archive = await this.getArchive(pin);
    const row = archive?.rows.find((r) => r.playerId === playerId);
    if (!archive || !row) return false;
    row.nickname = replacement;
    await this.archiveGame(archive);
    return true;
  }
  async saveContest(id: string, entry: StoredContest) {
    const replies = await this.redis
      .multi()
      .hset(this.k('contests'), id, JSON.stringify(entry))
      .incr(this.k('contests', 'v'))
      .exec();
    return Number(replies?.[1]?.[1] ?? 0);
  }
  async listContests() {
    return (await this.redis.hvals(this.k('contests'))).map((s) => JSON.parse(s) as StoredContest);
  }
  async deleteContest(id: string) {
    const replies = await this.redis.multi().hdel(this.k('contests'), id).incr(this.k('contests', 'v')).exec();
    return Number(replies?.[0]?.[1] ?? 0) === 1;
  }
  async contestsVersion() {
    return Number((await this.redis.get(this.k('contests', 'v'))) ?? 0);
  }
  async isGameLocked(pin: string) {
    return (await this.redis.sismember(this.k('locked'), pin)) === 1;
  }
  async addClaims(claims: Claim[]) {
    if (claims.length)
      await Promise.all(claims.map((c) => this.redis.hsetnx(this.k('claims'), c.code, JSON.stringify(c))));
  }
  async getClaim(code: string) {
    const raw = await this.redis.hget(this.k('claims'), code);
    return raw ? (JSON.parse(raw) as Claim) : null;
  }
  private async allClaims() {
    return (await this.redis.hvals(this.k('claims'))).map((s) => JSON.parse(s) as Claim).sort(byIssue);
  }
  async listClaims(scopeKey?: string) {
    return (await this.allClaims()).filter((c) => !scopeKey || c.scopeKey === scopeKey);
  }
  async claimsOf(pin: string, playerId: string) {
    return (await this.allClaims()).filter((c) => c.pin === pin && c.playerId === playerId);
  }
  async completeClaim(code: string, claimed: NonNullable<Claim['claimed']>) {
    const claim = await this.getClaim(code);
    if (!claim || claim.claimed) return false;
    const run = (this.redis as unknown as { cdsCompleteClaim(k: string, code: string, json: string): Promise<number> })
      .cdsCompleteClaim;
    return (await run.call(this.redis, this.k('claims'), code, JSON.stringify({ ...claim, claimed }))) === 1;
  }
  async eraseClaim(code: string, erased: { at: number; by: string; erased: true }) {
    const claim = await this.getClaim(code);
    if (claim) await this.redis.hset(this.k('claims'), code, JSON.stringify({ ...claim, claimed: erased }));
  }
}
