// Embedded driver of the practice store: each method runs to completion before another starts (no await inside),
// which makes it atomic; values are cloned in and out, as Redis would.
import type { Journaled } from '../store/embedded-db';
import type {
  PracticeAnswerRecord,
  PracticeAnswerResult,
  PracticeCounters,
  PracticeSessionRecord,
  PracticeStore,
} from './store';

interface MemoryContest {
  /** In creation order, so expired ones are swept from the front. */
  sessions: Map<string, PracticeSessionRecord>;
  counters: PracticeCounters;
  learners: Map<string, number>;
  /** subject → badge id → awarded at. */
  badges: Map<string, Map<string, number>>;
  holders: Map<string, number>;
}

const clone = <T>(v: T): T => structuredClone(v);

/** The methods that write (embedded-db.ts journals them, replaying each with the clock it read). */
export const MEMORY_PRACTICE_WRITES = [
  'createPracticeSession',
  'answerPractice',
  'awardBadges',
] as const satisfies readonly (keyof MemoryPracticeStore)[];

export class MemoryPracticeStore implements PracticeStore, Journaled {
  readonly kind = 'memory' as const;
  private contests = new Map<string, MemoryContest>();
  private offsetMs = 0;
  private pinned: number | null = null;
  readonly clock = { now: () => this.time(), pin: (at: number | null) => void (this.pinned = at) };

  snapshot() {
    // Reads create empty contests on the way: only the ones holding something are state.
    return { contests: new Map([...this.contests].filter(([, c]) => c.counters.started > 0 || c.badges.size > 0)) };
  }
  restore(state: unknown) {
    this.contests = (state as ReturnType<MemoryPracticeStore['snapshot']>).contests;
  }

  private time() {
    return this.pinned ?? Date.now() + this.offsetMs;
  }
  private c(contestId: string): MemoryContest {
    let c = this.contests.get(contestId);
    if (!c) {
      c = {
        sessions: new Map(),
        counters: { started: 0, completed: 0, areas: {} },
        learners: new Map(),
        badges: new Map(),
        holders: new Map(),
      };
      this.contests.set(contestId, c);
    }
    return c;
  }
  private live(c: MemoryContest, sessionId: string): PracticeSessionRecord | null {
    const s = c.sessions.get(sessionId);
    return s && s.expiresAt > this.time() ? s : null;
  }

  async now() {
    return this.time();
  }
  shiftClock(ms: number) {
    this.offsetMs += ms;
  }

  async createPracticeSession(contestId: string, session: PracticeSessionRecord) {
    const c = this.c(contestId);
    const now = this.time();
    // Sessions expire in creation order (one TTL for all): sweep from the oldest while they have expired.
    for (const [id, s] of c.sessions) {
      if (s.expiresAt > now) break;
      c.sessions.delete(id);
    }
    c.sessions.set(session.id, clone({ ...session, answers: {} }));
    c.counters.started++;
  }

  async getPracticeSession(contestId: string, sessionId: string) {
    return clone(this.live(this.c(contestId), sessionId));
  }

  async answerPractice(
    contestId: string,
    sessionId: string,
    questionId: string,
    answer: PracticeAnswerRecord,
  ): Promise<PracticeAnswerResult> {
    const c = this.c(contestId);
    const s = this.live(c, sessionId);
    if (!s) return { ok: false, code: 'NOT_FOUND' };
    const q = s.questions.find((x) => x.id === questionId);
    if (!q) return { ok: false, code: 'QUESTION_NOT_IN_ATTEMPT' };
    if (s.answers[questionId]) return { ok: false, code: 'ALREADY_ANSWERED' };
    s.answers[questionId] = clone(answer);
    const area = (c.counters.areas[q.area] ??= { answered: 0, correct: 0 });
    area.answered++;
    if (answer.correct) area.correct++;
    const complete = Object.keys(s.answers).length === s.questions.length;
    if (complete) {
      c.counters.completed++;
      for (const l of s.learners) c.learners.set(l, (c.learners.get(l) ?? 0) + 1);
    }
    return { ok: true, complete };
  }

  async practiceSessions(contestId: string, learner: string) {
    return this.c(contestId).learners.get(learner) ?? 0;
  }
  async practiceCounters(contestId: string) {
    return clone(this.c(contestId).counters);
  }

  async awardBadges(contestId: string, subject: string, badgeIds: string[], at: number) {
    const c = this.c(contestId);
    let held = c.badges.get(subject);
    if (!held) c.badges.set(subject, (held = new Map()));
    const awarded: string[] = [];
    for (const id of new Set(badgeIds)) {
      if (held.has(id)) continue;
      held.set(id, at);
      c.holders.set(id, (c.holders.get(id) ?? 0) + 1);
      awarded.push(id);
    }
    return awarded;
  }
  async badgesOf(contestId: string, subject: string) {
    return [...(this.c(contestId).badges.get(subject) ?? [])].map(([id, at]) => ({ id, at }));
  }
  async badgeHolders(contestId: string) {
    return Object.fromEntries(this.c(contestId).holders);
  }
  async close() {}
}
