// Embedded mode's durability: the memory drivers stay the live state, and every write they accept is first
// appended to a write-ahead journal in LMDB (DATA_DIR) — the caller's promise resolves only once the LMDB
// transaction holding it is committed and synced. At start the last snapshot is restored and the journal after it
// replayed, with each write's clock, so the drivers end up exactly as they were. Erasures (and a long journal)
// are followed by a fresh snapshot that drops the journal before it, so erased personal data leaves the journal.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import v8 from 'node:v8';
import { open, type Database, type RootDatabase } from 'lmdb';
import { yieldToLoop } from '../event-loop-slices';

/** A memory driver whose writes are journaled: its whole state in and out, and a clock replay can pin. */
export interface Journaled {
  snapshot(): unknown;
  restore(state: unknown): void;
  /** The driver's clock (when it reads one): stored with each write, and pinned while the write runs again. */
  clock?: { now(): number; pin(at: number | null): void };
}

/** One driver and the names of its methods that write. Those methods must never await: each runs to completion at once. */
export interface JournalTarget {
  driver: Journaled;
  writes: readonly string[];
  /** Writes that erase personal data: a snapshot follows them (within a second) and drops them from the journal. */
  erasures?: readonly string[];
  /**
   * Writes that come from many callers at once (phones answering, joining): their commit collects more writes for
   * up to GROUP_WAIT_MS. The others commit at once (sharing a commit only with the writes that arrive while the one
   * before is written), so a caller awaiting each write in turn is never slowed.
   */
  grouped?: readonly string[];
}

/** A queued in-process job, kept until it has run (jobs/inline.ts). */
export interface StoredJob {
  id: string;
  name: string;
  data: unknown;
  runAt: number;
}

type Entry = [target: string, method: string, args: unknown[], at: number | null];
type Method = (...args: unknown[]) => Promise<unknown>;

/** A snapshot replaces the journal before it once this many writes have been journaled since the last one. */
const SNAPSHOT_EVERY = 50_000;
const ERASURE_SNAPSHOT_DELAY_MS = 1000;
/**
 * How long a commit that holds a `grouped` write collects more before it is written: a synced LMDB commit costs
 * ~0.3 ms of CPU, and 400 phones answering a question made one commit per answer.
 */
const GROUP_WAIT_MS = 25;
/**
 * Writes of one commit acked per event-loop turn. The callers of a commit's writes resume when it is synced; at
 * 5,000 phones a commit held ~1,000 answers, whose acks (each a socket write) held the loop ~100 ms in one turn.
 */
const ACKS_PER_TURN = 100;

/** A promise and its settlers: the writes of one slice of a commit wait on one of these. */
interface Slice {
  done: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}
function slice(): Slice {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => ([resolve, reject] = [res, rej]));
  return { done, resolve, reject };
}

/** A refused write (`false`, or `{ ok: false }` with nothing expired on the way) changed nothing: not journaled. */
const changedNothing = (r: unknown) =>
  r === false ||
  (typeof r === 'object' &&
    r !== null &&
    (r as { ok?: unknown }).ok === false &&
    !(r as { expired?: unknown }).expired);

export class EmbeddedDb {
  private seq = 0;
  private sinceSnapshot = 0;
  private targets = new Map<string, Journaled>();
  private tail: Promise<void> = Promise.resolve();
  /**
   * Writes accepted since the commit being written, the promise of the commit that will hold them, and the
   * slices (ACKS_PER_TURN writes each) in which their writers are told once it is synced.
   */
  private group: { entries: [key: number, entry: Buffer][]; committed: Promise<void>; slices: Slice[] } | null = null;
  /** The commit being written: one at a time, so the writes that arrive meanwhile share the next one. */
  private writing: Promise<void> = Promise.resolve();
  private queuedSnapshot: Promise<void> | null = null;
  private erasureTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly dir: string,
    private readonly root: RootDatabase,
    private readonly journal: Database<Buffer, number>,
    private readonly meta: Database<Buffer, string>,
    private readonly jobsDb: Database<Buffer, string>,
  ) {}

  /** Creates the folder if needed and opens the database; a clear error when the folder cannot be written. */
  static open(dir: string): EmbeddedDb {
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (err) {
      throw new Error(
        `DATA_DIR ${dir} is not a writable folder (${(err as Error).message}): set DATA_DIR to one this user can write`,
      );
    }
    claimFolder(dir);
    // overlappingSync off: a write's promise resolves after the commit is synced to disk, not only written.
    const root = open({ path: path.join(dir, 'embedded.lmdb'), overlappingSync: false });
    return new EmbeddedDb(
      dir,
      root,
      root.openDB<Buffer, number>({ name: 'journal', keyEncoding: 'uint32', encoding: 'binary' }),
      root.openDB<Buffer, string>({ name: 'meta', encoding: 'binary' }),
      root.openDB<Buffer, string>({ name: 'jobs', encoding: 'binary' }),
    );
  }

  /**
   * Restores the drivers from the snapshot and the journal after it, then journals their writes from now on.
   * Returns how many journaled writes were replayed.
   */
  async recover(targets: Record<string, JournalTarget>): Promise<number> {
    for (const [name, t] of Object.entries(targets)) this.targets.set(name, t.driver);
    const snap = this.meta.get('snapshot');
    if (snap) {
      const { seq, state } = v8.deserialize(snap) as { seq: number; state: Record<string, unknown> };
      this.seq = seq;
      for (const [name, s] of Object.entries(state)) this.targets.get(name)?.restore(s);
    }
    let replayed = 0;
    for (const { key, value } of this.journal.getRange({ start: this.seq + 1 })) {
      const [name, method, args, at] = v8.deserialize(value) as Entry;
      const driver = this.targets.get(name);
      if (!driver) throw new Error(`journal entry ${key} names an unknown store "${name}"`);
      driver.clock?.pin(at);
      try {
        await (driver as unknown as Record<string, Method>)[method]!(...args);
      } finally {
        driver.clock?.pin(null);
      }
      this.seq = key;
      replayed++;
    }
    this.sinceSnapshot = replayed;
    for (const [name, t] of Object.entries(targets)) this.journalWrites(name, t);
    return replayed;
  }

  /** Wraps each write method of a driver: run it at once (clock pinned), then resolve only once it is journaled. */
  private journalWrites(name: string, { driver, writes, erasures = [], grouped = [] }: JournalTarget) {
    const methods = driver as unknown as Record<string, Method>;
    for (const method of writes) {
      const write = methods[method]!.bind(driver);
      const waitMs = grouped.includes(method) ? GROUP_WAIT_MS : 0;
      methods[method] = (...args: unknown[]) => {
        const at = driver.clock?.now() ?? null;
        // Serialised now, before anyone can change the arguments.
        const entry = v8.serialize([name, method, args, at] satisfies Entry);
        driver.clock?.pin(at);
        let pending: Promise<unknown>;
        try {
          pending = write(...args);
        } finally {
          driver.clock?.pin(null);
        }
        // The write already ran (no await inside), so these callbacks are queued in the order the writes ran.
        return pending.then(async (result) => {
          if (changedNothing(result)) return result;
          await this.append(entry, waitMs);
          if (erasures.includes(method)) this.snapshotAfterErasures();
          return result;
        });
      };
    }
  }

  /**
   * Group commit: while one LMDB transaction is being written and synced, the writes that arrive wait and go
   * together into the next; a group opened by a `grouped` write (an answer) also collects for `waitMs` (answers
   * arrive one per event-loop turn, and LMDB alone made one synced commit each). A write is acked when the commit
   * holding it is durable, ACKS_PER_TURN writers per event-loop turn. Keys are taken in the order the writes ran.
   */
  private append(entry: Buffer, waitMs: number): Promise<void> {
    if (!this.group) {
      const entries: [number, Buffer][] = [];
      const slices: Slice[] = [];
      const waitUntil = Date.now() + waitMs;
      const committed = this.writing
        .then(() => (waitUntil > Date.now() ? delay(waitUntil - Date.now()) : undefined))
        .then(() => {
          this.group = null;
          return this.commit(entries);
        });
      this.writing = committed.catch(() => {});
      void committed.then(
        () => releaseInTurns(slices),
        (err: unknown) => slices.forEach((s) => s.reject(err)),
      );
      this.group = { entries, committed, slices };
    }
    const { entries, slices } = this.group;
    if (entries.length % ACKS_PER_TURN === 0) slices.push(slice());
    entries.push([++this.seq, entry]);
    // A failed snapshot loses nothing: the journal still holds every write.
    if (++this.sinceSnapshot >= SNAPSHOT_EVERY) void this.snapshotSoon().catch(() => {});
    return slices.at(-1)!.done;
  }

  /** Puts of one event-loop turn: LMDB commits them in one transaction. */
  private async commit(entries: [number, Buffer][]) {
    await Promise.all(entries.map(([key, entry]) => this.journal.put(key, entry)));
  }

  /** Settles once every write accepted so far is committed (or failed). */
  private committed(): Promise<void> {
    return this.group ? this.group.committed.catch(() => {}) : this.writing;
  }

  /**
   * Erasures come in runs (the retention sweep erases a whole game, one player after another): one snapshot a
   * second after the last of them drops every erased value from the journal.
   */
  private snapshotAfterErasures() {
    clearTimeout(this.erasureTimer);
    this.erasureTimer = setTimeout(() => void this.snapshotSoon().catch(() => {}), ERASURE_SNAPSHOT_DELAY_MS);
    this.erasureTimer.unref();
  }

  /** One snapshot for every request made before it starts: taken at once, then written after earlier writes. */
  snapshotSoon(): Promise<void> {
    if (!this.queuedSnapshot) {
      this.queuedSnapshot = this.tail.then(() => {
        this.queuedSnapshot = null;
        return this.writeSnapshot();
      });
      this.tail = this.queuedSnapshot.catch(() => {});
    }
    return this.queuedSnapshot;
  }

  private async writeSnapshot() {
    const seq = this.seq;
    const state: Record<string, unknown> = {};
    for (const [name, driver] of this.targets) state[name] = driver.snapshot();
    this.sinceSnapshot = 0;
    // Writes up to `seq` still waiting for their commit would land after the removal below and keep (erased) data.
    const journaled = this.committed();
    await this.meta.put('snapshot', v8.serialize({ seq, state }));
    await journaled;
    // Replay starts after the snapshot's seq anyway: removing the older entries only frees their space.
    await this.journal.transaction(() => {
      for (const key of this.journal.getKeys({ end: seq + 1 })) void this.journal.remove(key);
    });
  }

  /** Queued jobs (jobs/inline.ts), kept until they have run. */
  readonly jobs = {
    save: (job: StoredJob) => this.jobsDb.put(job.id, v8.serialize(job)).then(() => {}),
    remove: (id: string) => this.jobsDb.remove(id).then(() => {}),
    all: (): StoredJob[] => [...this.jobsDb.getRange()].map(({ value }) => v8.deserialize(value) as StoredJob),
  };

  async close() {
    if (this.erasureTimer) {
      clearTimeout(this.erasureTimer);
      void this.snapshotSoon().catch(() => {});
    }
    await this.tail;
    await this.committed();
    await this.root.close();
    fs.rmSync(path.join(this.dir, 'server.pid'), { force: true });
  }
}

/** Tells a synced commit's writers, one slice per event-loop turn: other sockets and timers run in between. */
async function releaseInTurns(slices: Slice[]) {
  for (let i = 0; i < slices.length; i++) {
    if (i) await yieldToLoop();
    slices[i]!.resolve();
  }
}

/**
 * One server per data folder: a second process replaying and appending to the same journal would corrupt the
 * game. `server.pid` names the owner; a pid that no longer runs (the crash we recover from) is taken over.
 */
function claimFolder(dir: string) {
  const file = path.join(dir, 'server.pid');
  const owner = Number(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : 0);
  if (owner && owner !== process.pid && isRunning(owner))
    throw new Error(
      `DATA_DIR ${dir} is in use by another server (pid ${owner}): stop it, or give this one another DATA_DIR (no other server running? delete ${file})`,
    );
  fs.writeFileSync(file, String(process.pid));
}

function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
