import type { ScoringMode } from '../../../protocol/contest';
import type { ResultRow } from '../../../protocol/http';
import type { AuditEntry, Claim, IndexedGame, Playoff, QuestionStat } from '../../../protocol/organiser';
import type { Journaled } from './embedded-db';

/** A locked result set as stored: the frozen JSON, its hash, who locked it and the games it covers. */
export interface StoredLock {
  scopeKey: string;
  /** The result set (with `lock: null`) exactly as hashed. */
  json: string;
  sha256: string;
  at: number;
  by: string;
  pins: string[];
}

/** A contest an organiser uploaded as a spreadsheet (bundled contests live in CONTESTS_DIR instead). */
export interface StoredContest {
  /** Validated when it was uploaded; parsed again with the schema when read back. */
  contest: unknown;
  uploadedAt: number;
  uploadedBy: string;
}

/**
 * A game's results kept after its live keys expire (Store.expireGame): what result sets need of it — its rows
 * (contestants not kicked, ranked) and its question statistics. Per-answer rows and kicked players go with the keys.
 */
export interface GameArchive {
  pin: string;
  contestId: string;
  roundId: string;
  roundTitle: string;
  scoring: ScoringMode;
  createdAt: number;
  /** When the game ended (or, for a game never ended, when it was given up). */
  endedAt: number;
  rows: (ResultRow & { contestantId?: string })[];
  questions: QuestionStat[];
}

/**
 * What the organisers' tools keep beside the live game state: the append-only audit log, the games index
 * (which games belong to which contest and round) and locked result sets. Two drivers, one contract suite
 * (`records.contract.test.ts`); reached through `Store.organiser`.
 */
export interface OrganiserRecords {
  /** Appends an entry; returns it with its `seq` (its 1-based position). Entries are never changed. */
  appendAudit(entry: Omit<AuditEntry, 'seq'>): Promise<AuditEntry>;
  /** Entries with seq > after, oldest first (from the oldest kept one when older ones were trimmed). */
  listAudit(after: number, limit: number): Promise<AuditEntry[]>;
  /** Drops the oldest entries so at most `keep` remain; seqs of the rest do not change. Returns how many went. */
  trimAudit(keep: number): Promise<number>;

  indexGame(game: IndexedGame): Promise<void>;
  /** Whether the index holds a game with this PIN (live or long expired): such a PIN is never issued again. */
  isIndexed(pin: string): Promise<boolean>;
  /** Games of one contest (or all), oldest first. */
  listGames(contestId?: string): Promise<IndexedGame[]>;
  /** Marks an indexed game as practice or not; false when the game is not in the index. */
  setPractice(pin: string, practice: boolean): Promise<boolean>;

  /** Stores a lock once per scope: false (nothing written) when the scope is already locked. */
  lock(lock: StoredLock): Promise<boolean>;
  getLock(scopeKey: string): Promise<StoredLock | null>;
  /** Whether any locked result set includes this game. */
  isGameLocked(pin: string): Promise<boolean>;

  /** Stores newly issued claims (unclaimed); a code already stored is left as it is. */
  addClaims(claims: Claim[]): Promise<void>;
  getClaim(code: string): Promise<Claim | null>;
  /** Claims of one scope (or all), in issuing order. */
  listClaims(scopeKey?: string): Promise<Claim[]>;
  claimsOf(pin: string, playerId: string): Promise<Claim[]>;
  /** Records the desk's entry once: false when the claim is unknown or already claimed. */
  completeClaim(code: string, claimed: NonNullable<Claim['claimed']>): Promise<boolean>;
  /** Replaces a claim's personal data with an erasure marker (deletion on request). */
  eraseClaim(code: string, erased: { at: number; by: string; erased: true }): Promise<void>;

  /** Keeps a game's results beyond its live keys; replaces an earlier archive of the same game. */
  archiveGame(archive: GameArchive): Promise<void>;
  getArchive(pin: string): Promise<GameArchive | null>;
  /** Replaces one contestant's nickname in a game's archive (deletion on request): false when not in it. */
  eraseArchivedName(pin: string, playerId: string, replacement: string): Promise<boolean>;
  /** Records a sudden-death playoff (append-only: a later one for the same tie applies after it). */
  addPlayoff(playoff: Playoff): Promise<void>;
  /** A contest's playoffs, in the order they were recorded. */
  listPlayoffs(contestId: string): Promise<Playoff[]>;

  /** Marks a game's personal data as purged by the retention sweep: false when it already was. */
  markPurged(pin: string): Promise<boolean>;
  isPurged(pin: string): Promise<boolean>;

  /** Saves (or replaces) an uploaded contest by id and bumps the contests version; returns the new version. */
  saveContest(id: string, entry: StoredContest): Promise<number>;
  listContests(): Promise<StoredContest[]>;
  /** Removes an uploaded contest and bumps the version; false when there was none with this id. */
  deleteContest(id: string): Promise<boolean>;
  /** Changes whenever a contest is saved: a node re-reads the contests only when it moved. */
  contestsVersion(): Promise<number>;
}

const byCreation = (a: IndexedGame, b: IndexedGame) => a.createdAt - b.createdAt || (a.pin < b.pin ? -1 : 1);
/**
 * A copy of a lock that shares its JSON: strings are immutable, and structuredClone copied the ~100 MB of a whole
 * online round's set in one call, stalling the event loop for a second.
 */
const copyLock = (lock: StoredLock): StoredLock => ({ ...lock, pins: [...lock.pins] });

/** Claims in issuing order: by lock, then rank, then code. */
const byIssue = (a: Claim, b: Claim) => a.issuedAt - b.issuedAt || a.rank - b.rank || (a.code < b.code ? -1 : 1);

/** The methods that write (embedded-db.ts journals them); none of them awaits, so each is atomic. */
export const MEMORY_RECORDS_WRITES = [
  'appendAudit',
  'trimAudit',
  'indexGame',
  'setPractice',
  'lock',
  'addClaims',
  'completeClaim',
  'eraseClaim',
  'markPurged',
  'archiveGame',
  'eraseArchivedName',
  'addPlayoff',
  'saveContest',
  'deleteContest',
] as const satisfies readonly (keyof MemoryOrganiserRecords)[];

/** Embedded driver; made durable by embedded-db.ts, as MemoryStore is. */
export class MemoryOrganiserRecords implements OrganiserRecords, Journaled {
  private audit: AuditEntry[] = [];
  /** Entries trimmed off the front: seq = auditDropped + index + 1. */
  private auditDropped = 0;
  private games = new Map<string, IndexedGame>();
  private locks = new Map<string, StoredLock>();
  private lockedPins = new Set<string>();
  private claims = new Map<string, Claim>();
  private purged = new Set<string>();
  private archives = new Map<string, GameArchive>();
  private playoffs: Playoff[] = [];
  private contests = new Map<string, StoredContest>();
  private version = 0;

  snapshot() {
    const { audit, auditDropped, games, locks, lockedPins, claims, purged, archives, playoffs, contests, version } =
      this;
    return { audit, auditDropped, games, locks, lockedPins, claims, purged, archives, playoffs, contests, version };
  }
  restore(state: unknown) {
    Object.assign(this, state as ReturnType<MemoryOrganiserRecords['snapshot']>);
  }

  async saveContest(id: string, entry: StoredContest) {
    this.contests.set(id, structuredClone(entry));
    return ++this.version;
  }
  async listContests() {
    return structuredClone([...this.contests.values()]);
  }
  async deleteContest(id: string) {
    if (!this.contests.delete(id)) return false;
    this.version++;
    return true;
  }
  async contestsVersion() {
    return this.version;
  }

  async isPurged(pin: string) {
    return this.purged.has(pin);
  }
  async addPlayoff(playoff: Playoff) {
    this.playoffs.push(structuredClone(playoff));
  }
  async listPlayoffs(contestId: string) {
    return structuredClone(this.playoffs.filter((p) => p.contestId === contestId));
  }
  async markPurged(pin: string) {
    if (this.purged.has(pin)) return false;
    this.purged.add(pin);
    return true;
  }

  async archiveGame(archive: GameArchive) {
    this.archives.set(archive.pin, structuredClone(archive));
  }
  async getArchive(pin: string) {
    return structuredClone(this.archives.get(pin) ?? null);
  }
  async eraseArchivedName(pin: string, playerId: string, replacement: string) {
    const row = this.archives.get(pin)?.rows.find((r) => r.playerId === playerId);
    if (!row) return false;
    row.nickname = replacement;
    return true;
  }

  async appendAudit(entry: Omit<AuditEntry, 'seq'>) {
    const stored: AuditEntry = { seq: this.auditDropped + this.audit.length + 1, ...structuredClone(entry) };
    this.audit.push(stored);
    return structuredClone(stored);
  }
  async listAudit(after: number, limit: number) {
    const start = Math.max(0, after - this.auditDropped);
    return structuredClone(this.audit.slice(start, start + limit));
  }
  async trimAudit(keep: number) {
    const n = Math.max(0, this.audit.length - keep);
    this.audit.splice(0, n);
    this.auditDropped += n;
    return n;
  }
  async indexGame(game: IndexedGame) {
    this.games.set(game.pin, { ...game });
  }
  async isIndexed(pin: string) {
    return this.games.has(pin);
  }
  async listGames(contestId?: string) {
    return [...this.games.values()]
      .filter((g) => !contestId || g.contestId === contestId)
      .sort(byCreation)
      .map((g) => ({ ...g }));
  }
  async setPractice(pin: string, practice: boolean) {
    const g = this.games.get(pin);
    if (!g) return false;
    g.practice = practice;
    return true;
  }
  async lock(lock: StoredLock) {
    if (this.locks.has(lock.scopeKey)) return false;
    this.locks.set(lock.scopeKey, copyLock(lock));
    for (const pin of lock.pins) this.lockedPins.add(pin);
    return true;
  }
  async getLock(scopeKey: string) {
    const lock = this.locks.get(scopeKey);
    return lock ? copyLock(lock) : null;
  }
  async isGameLocked(pin: string) {
    return this.lockedPins.has(pin);
  }
  async addClaims(claims: Claim[]) {
    for (const c of claims) if (!this.claims.has(c.code)) this.claims.set(c.code, structuredClone(c));
  }
  async getClaim(code: string) {
    return structuredClone(this.claims.get(code) ?? null);
  }
  async listClaims(scopeKey?: string) {
    return structuredClone([...this.claims.values()].filter((c) => !scopeKey || c.scopeKey === scopeKey).sort(byIssue));
  }
  async claimsOf(pin: string, playerId: string) {
    return structuredClone(
      [...this.claims.values()].filter((c) => c.pin === pin && c.playerId === playerId).sort(byIssue),
    );
  }
  async completeClaim(code: string, claimed: NonNullable<Claim['claimed']>) {
    const c = this.claims.get(code);
    if (!c || c.claimed) return false;
    c.claimed = structuredClone(claimed);
    return true;
  }
  async eraseClaim(code: string, erased: { at: number; by: string; erased: true }) {
    const c = this.claims.get(code);
    if (c) c.claimed = { ...erased };
  }
}

export { byCreation, byIssue };
