// Embedded driver of the online store: one process, nothing to install. Each method runs to completion before
// another starts (no await inside), which makes it atomic; values are cloned in and out, as Redis would. One read
// awaits: the ranking's sort runs in slices, and then gives the order as it was when the sort began.
import { sortInSlices } from '../event-loop-slices';
import type { Journaled } from '../store/embedded-db';
import { contestantOfMember, ranksBefore } from './ranking-key';
import { deadlineFor, mayStart, type AttemptRules } from './round-window';
import type {
  AttemptRecord,
  AttemptScore,
  ContestantRecord,
  MyRoundRecord,
  OnlineStore,
  RoundCounters,
  SaveAnswerResult,
  StartAttemptResult,
  SubmitAttemptResult,
} from './store';

interface MyRound extends MyRoundRecord {
  score: number | null;
  countingAt: number | null;
  scored: number;
}
interface MemoryContest {
  contestants: Map<string, ContestantRecord>;
  phones: Map<string, string>;
  tokens: Map<string, string>;
  attempts: Map<string, AttemptRecord>;
  /** `<round>:<contestant>` → the contestant's round. */
  mine: Map<string, MyRound>;
  /** round → member → score. */
  rankings: Map<string, Map<string, number>>;
  counters: Map<string, RoundCounters>;
}

const clone = <T>(v: T): T => structuredClone(v);

/** The methods that write (embedded-db.ts journals them, replaying each with the clock it read). */
export const MEMORY_ONLINE_WRITES = [
  'register',
  'addToken',
  'startAttempt',
  'saveAnswer',
  'submitAttempt',
  'applyScore',
  // Organiser values: the prediction's actual (set once), the board snapshot, origins for the suspicious list,
  // invitations. Leases are a node's claim for the next few seconds, so they are neither journaled nor kept.
  'setOnce',
  'setValue',
  'addOrigin',
  'addInvitations',
  'useInvitation',
  'releaseInvitation',
] as const satisfies readonly (keyof MemoryOnlineStore)[];

export class MemoryOnlineStore implements OnlineStore, Journaled {
  readonly kind = 'memory' as const;
  private contests = new Map<string, MemoryContest>();
  private offsetMs = 0;
  private pinned: number | null = null;
  readonly clock = { now: () => this.time(), pin: (at: number | null) => void (this.pinned = at) };

  snapshot() {
    // Reads create empty contests on the way: only the ones holding something are state.
    const contests = new Map([...this.contests].filter(([, c]) => c.contestants.size > 0 || c.attempts.size > 0));
    const values = new Map([...this.values].filter(([key]) => !key.includes('|lease:')));
    return { contests, values, origins: this.origins, invitations: this.invitations };
  }
  restore(state: unknown) {
    const s = state as ReturnType<MemoryOnlineStore['snapshot']>;
    this.sortedCache.clear();
    this.contests = s.contests;
    this.values = s.values;
    this.origins = s.origins;
    this.invitations = s.invitations;
  }

  private c(contestId: string): MemoryContest {
    let c = this.contests.get(contestId);
    if (!c) {
      c = {
        contestants: new Map(),
        phones: new Map(),
        tokens: new Map(),
        attempts: new Map(),
        mine: new Map(),
        rankings: new Map(),
        counters: new Map(),
      };
      this.contests.set(contestId, c);
    }
    return c;
  }
  private mine(c: MemoryContest, roundId: string, contestantId: string): MyRound {
    const key = `${roundId}:${contestantId}`;
    let m = c.mine.get(key);
    if (!m) {
      m = { starts: [], open: null, counting: null, member: null, score: null, countingAt: null, scored: 0 };
      c.mine.set(key, m);
    }
    return m;
  }
  private time() {
    return this.pinned ?? Date.now() + this.offsetMs;
  }

  async now() {
    return this.time();
  }
  shiftClock(ms: number) {
    this.offsetMs += ms;
  }

  async register(contestId: string, contestant: ContestantRecord, tokenHash: string) {
    const c = this.c(contestId);
    if (c.phones.has(contestant.phone)) return { ok: false as const, code: 'ALREADY_REGISTERED' as const };
    c.phones.set(contestant.phone, contestant.id);
    c.contestants.set(contestant.id, clone(contestant));
    c.tokens.set(tokenHash, contestant.id);
    return { ok: true as const };
  }
  async contestantByPhone(contestId: string, phone: string) {
    const c = this.c(contestId);
    const id = c.phones.get(phone);
    return id ? clone(c.contestants.get(id) ?? null) : null;
  }
  async contestantByToken(contestId: string, tokenHash: string) {
    const c = this.c(contestId);
    const id = c.tokens.get(tokenHash);
    return id ? clone(c.contestants.get(id) ?? null) : null;
  }
  async getContestant(contestId: string, contestantId: string) {
    return clone(this.c(contestId).contestants.get(contestantId) ?? null);
  }
  async addToken(contestId: string, contestantId: string, tokenHash: string) {
    this.c(contestId).tokens.set(tokenHash, contestantId);
  }
  async registrations(contestId: string) {
    return this.c(contestId).contestants.size;
  }

  /** An open attempt past its deadline + grace is over: submitted at its deadline. */
  private expire(a: AttemptRecord, now: number, graceMs: number): boolean {
    if (a.status !== 'open' || now <= a.deadline + graceMs) return false;
    a.status = 'submitted';
    a.submittedAt = a.deadline;
    a.submitReason = 'deadline';
    return true;
  }

  async startAttempt(
    contestId: string,
    draft: { id: string; roundId: string; contestantId: string; questions: AttemptRecord['questions'] },
    rules: AttemptRules,
    graceMs: number,
  ): Promise<StartAttemptResult> {
    const c = this.c(contestId);
    const now = this.time();
    const m = this.mine(c, draft.roundId, draft.contestantId);
    let expired: string | null = null;
    if (m.open) {
      const open = c.attempts.get(m.open)!;
      if (open.status === 'open') {
        if (!this.expire(open, now, graceMs)) return { ok: 'existing', attemptId: open.id };
        expired = open.id;
      }
      m.open = null;
    }
    const allowed = mayStart(rules, m.starts, now);
    if (!allowed.ok) return { ...allowed, expired };
    const attempt: AttemptRecord = {
      ...clone(draft),
      status: 'open',
      startedAt: now,
      deadline: deadlineFor(rules, now),
      answers: {},
      submittedAt: null,
      submitReason: null,
      result: null,
    };
    c.attempts.set(attempt.id, attempt);
    m.starts.push(now);
    m.open = attempt.id;
    return { ok: true, attempt: clone(attempt), expired };
  }
  async getAttempt(contestId: string, attemptId: string) {
    return clone(this.c(contestId).attempts.get(attemptId) ?? null);
  }
  async saveAnswer(
    contestId: string,
    attemptId: string,
    contestantId: string,
    questionId: string,
    choice: number | number[],
    graceMs: number,
  ): Promise<SaveAnswerResult> {
    const a = this.c(contestId).attempts.get(attemptId);
    if (!a || a.contestantId !== contestantId) return { ok: false, code: 'ATTEMPT_NOT_FOUND' };
    const now = this.time();
    if (a.status !== 'open' || now > a.deadline + graceMs) return { ok: false, code: 'ATTEMPT_OVER' };
    if (!a.questions.some((q) => q.id === questionId)) return { ok: false, code: 'QUESTION_NOT_IN_ATTEMPT' };
    a.answers[questionId] = { choice: clone(choice), at: now };
    return { ok: true, remainingMs: Math.max(0, a.deadline - now) };
  }
  async submitAttempt(
    contestId: string,
    attemptId: string,
    contestantId: string | null,
    graceMs: number,
  ): Promise<SubmitAttemptResult> {
    const c = this.c(contestId);
    const a = c.attempts.get(attemptId);
    if (!a || (contestantId !== null && a.contestantId !== contestantId))
      return { ok: false, code: 'ATTEMPT_NOT_FOUND' };
    if (a.status !== 'open') return { ok: true, status: a.status, submittedAt: a.submittedAt!, changed: false };
    const now = this.time();
    if (contestantId === null && now <= a.deadline + graceMs) return { ok: false, code: 'NOT_DUE' };
    a.status = 'submitted';
    a.submittedAt = Math.min(now, a.deadline);
    a.submitReason = contestantId === null ? 'deadline' : 'contestant';
    const m = this.mine(c, a.roundId, a.contestantId);
    if (m.open === a.id) m.open = null;
    return { ok: true, status: 'submitted', submittedAt: a.submittedAt, changed: true };
  }
  async applyScore(contestId: string, s: AttemptScore) {
    const c = this.c(contestId);
    const a = c.attempts.get(s.attemptId);
    if (!a || a.status !== 'submitted') return false;
    a.status = 'scored';
    a.result = clone(s.result);
    const m = this.mine(c, s.roundId, s.contestantId);
    const first = m.scored === 0;
    m.scored++;
    const replace =
      m.counting === null ||
      (s.counts === 'last'
        ? s.result.submittedAt >= (m.countingAt ?? 0)
        : ranksBefore({ score: s.score, member: s.member }, { score: m.score!, member: m.member! }));
    if (replace) {
      let board = c.rankings.get(s.roundId);
      if (!board) c.rankings.set(s.roundId, (board = new Map()));
      if (m.member) board.delete(m.member);
      board.set(s.member, s.score);
      this.sortedCache.delete(`${contestId}|${s.roundId}`);
      Object.assign(m, { counting: s.attemptId, member: s.member, score: s.score, countingAt: s.result.submittedAt });
    }
    let counters = c.counters.get(s.roundId);
    if (!counters) c.counters.set(s.roundId, (counters = { participants: 0, attempts: 0, units: {}, groups: {} }));
    for (const slot of [
      counters,
      (counters.units[s.unit] ??= { participants: 0, attempts: 0 }),
      (counters.groups[s.group] ??= { participants: 0, attempts: 0 }),
    ]) {
      slot.attempts++;
      if (first) slot.participants++;
    }
    return true;
  }

  async myRound(contestId: string, roundId: string, contestantId: string): Promise<MyRoundRecord> {
    const m = this.c(contestId).mine.get(`${roundId}:${contestantId}`);
    return m
      ? { starts: [...m.starts], open: m.open, counting: m.counting, member: m.member }
      : { starts: [], open: null, counting: null, member: null };
  }
  /**
   * The ranking in order, sorted once per change and in slices (200,000 members sorted in one call stalled the
   * event loop): a full read pages through it (800 pages at 200,000).
   */
  private readonly sortedCache = new Map<string, Promise<string[]>>();
  private sorted(contestId: string, roundId: string): Promise<string[]> {
    const key = `${contestId}|${roundId}`;
    const hit = this.sortedCache.get(key);
    if (hit) return hit;
    const board = this.c(contestId).rankings.get(roundId) ?? new Map<string, number>();
    const sorted = sortInSlices(
      [...board.entries()],
      (a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    ).then((entries) => entries.map(([m]) => m));
    this.sortedCache.set(key, sorted);
    return sorted;
  }
  async rankOf(contestId: string, roundId: string, member: string | null) {
    const board = this.c(contestId).rankings.get(roundId);
    const ranked = board?.size ?? 0;
    if (!member || !board?.has(member)) return { rank: null, ranked };
    // O(n): fine for one embedded laptop; Redis answers with ZRANK.
    const score = board.get(member)!;
    let before = 0;
    for (const [m, s] of board) if (s < score || (s === score && m < member)) before++;
    return { rank: before + 1, ranked };
  }
  async ranking(contestId: string, roundId: string, offset: number, limit: number) {
    const c = this.c(contestId);
    return (await this.sorted(contestId, roundId)).slice(offset, offset + limit).map((member) => {
      const contestantId = contestantOfMember(member);
      return { contestantId, attemptId: c.mine.get(`${roundId}:${contestantId}`)!.counting! };
    });
  }
  async countingPage(contestId: string, roundId: string, offset: number, limit: number) {
    const page = await this.ranking(contestId, roundId, offset, limit);
    const c = this.c(contestId);
    return page.map((e) => ({
      attempt: clone(c.attempts.get(e.attemptId) ?? null),
      contestant: clone(c.contestants.get(e.contestantId) ?? null),
    }));
  }
  async counters(contestId: string, roundId: string) {
    return clone(this.c(contestId).counters.get(roundId) ?? { participants: 0, attempts: 0, units: {}, groups: {} });
  }
  private values = new Map<string, { value: string; until: number }>();
  private origins = new Map<string, Set<string>>();
  private invitations = new Map<string, { json: string; use: string | null }>();
  private live(key: string) {
    const v = this.values.get(key);
    return v && v.until > this.time() ? v.value : null;
  }
  async setOnce(contestId: string, name: string, value: string) {
    const key = `${contestId}|${name}`;
    const kept = this.live(key);
    if (kept !== null) return kept;
    this.values.set(key, { value, until: Infinity });
    return value;
  }
  async setValue(contestId: string, name: string, value: string, ttlMs?: number) {
    this.values.set(`${contestId}|${name}`, { value, until: ttlMs ? this.time() + ttlMs : Infinity });
  }
  async getValue(contestId: string, name: string) {
    return this.live(`${contestId}|${name}`);
  }
  async lease(contestId: string, name: string, holder: string, ttlMs: number) {
    const key = `${contestId}|lease:${name}`;
    const held = this.live(key);
    if (held !== null && held !== holder) return false;
    this.values.set(key, { value: holder, until: this.time() + ttlMs });
    return true;
  }
  async addOrigin(contestId: string, origin: string, contestantId: string) {
    const key = `${contestId}|${origin}`;
    let set = this.origins.get(key);
    if (!set) this.origins.set(key, (set = new Set()));
    set.add(contestantId);
  }
  async crowdedOrigins(contestId: string, min: number, limit: number) {
    const out: { origin: string; contestantIds: string[] }[] = [];
    for (const [key, ids] of this.origins)
      if (key.startsWith(`${contestId}|`) && ids.size >= min)
        out.push({ origin: key.slice(contestId.length + 1), contestantIds: [...ids] });
    return out.sort((a, b) => b.contestantIds.length - a.contestantIds.length).slice(0, limit);
  }
  async addInvitations(contestId: string, invitations: { code: string; json: string }[]) {
    for (const i of invitations)
      if (!this.invitations.has(`${contestId}|${i.code}`))
        this.invitations.set(`${contestId}|${i.code}`, { json: i.json, use: null });
  }
  async getInvitation(contestId: string, code: string) {
    return this.invitations.get(`${contestId}|${code}`)?.json ?? null;
  }
  async useInvitation(contestId: string, code: string, use: string) {
    const inv = this.invitations.get(`${contestId}|${code}`);
    if (!inv) return { ok: false as const, usedBy: '' };
    if (inv.use !== null && inv.use !== use) return { ok: false as const, usedBy: inv.use };
    inv.use = use;
    return { ok: true as const };
  }
  async releaseInvitation(contestId: string, code: string, use: string) {
    const inv = this.invitations.get(`${contestId}|${code}`);
    if (inv?.use === use) inv.use = null;
  }
  async close() {}
}
