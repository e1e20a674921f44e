// One attempt of an online round on the phone: the questions, the answers as saved on the server, the countdown,
// submission and the result. Time comes from the server's `remainingMs` plus a monotonic clock, never the phone's
// wall clock; an answer is saved the moment it is given, retried while the network is down, and a save that cannot
// succeed is shown, never dropped.
import type { Choice } from '../../../protocol/events';
import type { AttemptQuestion, AttemptResult, AttemptView, ReviewItem } from '../../../protocol/online';
import type { ClientErrorCode } from '../lib/i18n/vi';
import type { OnlineApi } from './api';

export type SaveState = 'saving' | 'saved' | 'retrying' | 'failed';
export type Phase = 'answering' | 'submitting' | 'scoring' | 'done';
export type Milestone = 'fiveMinutes' | 'oneMinute' | 'tenSeconds' | 'timeUp';

/** Failures worth trying again: the request never got an answer, or the server was busy. */
function isRetryable(code: ClientErrorCode, status: number): boolean {
  return (
    code === 'NETWORK' ||
    code === 'TIMEOUT' ||
    code === 'RATE_LIMITED' ||
    code === 'INTERNAL' ||
    status === 0 ||
    status >= 500
  );
}

const MILESTONES: [number, Milestone][] = [
  [300_000, 'fiveMinutes'],
  [60_000, 'oneMinute'],
  [10_000, 'tenSeconds'],
];

/** Questions as asked: the prediction question always last. */
function ordered(questions: AttemptQuestion[]): AttemptQuestion[] {
  return [...questions.filter((q) => !q.prediction), ...questions.filter((q) => q.prediction)];
}

export interface AttemptOptions {
  /** Monotonic milliseconds (performance.now in the browser). */
  now?: () => number;
  /** Delay before the n-th retry of a save or a submission (n from 0). */
  backoff?: (n: number) => number;
}

export class AttemptSession {
  readonly id: string;
  readonly questions: AttemptQuestion[];
  answers = $state<Record<string, Choice>>({});
  saves = $state<Record<string, { state: SaveState; error?: ClientErrorCode }>>({});
  index = $state(0);
  remainingMs = $state(0);
  phase = $state<Phase>('answering');
  /** The last time milestone crossed while this page was open, for the aria-live region. */
  milestone = $state<Milestone | null>(null);
  /** Why the submission or the result is held up (shown; retried on its own). */
  problem = $state<ClientErrorCode | null>(null);
  result = $state<AttemptResult | null>(null);
  review = $state<ReviewItem[] | null>(null);

  private deadline: number;
  private readonly now: () => number;
  private readonly backoff: (n: number) => number;
  /** Saves on the wire, by question: the choice sent and the request. */
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly retries = new Map<string, { n: number; timer: ReturnType<typeof setTimeout> }>();
  private clock: ReturnType<typeof setInterval> | null = null;
  private disposed = false;

  constructor(
    private readonly api: OnlineApi,
    private readonly token: string,
    view: AttemptView,
    options: AttemptOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.backoff = options.backoff ?? ((n) => Math.min(15_000, 1000 * 2 ** n));
    this.id = view.id;
    this.questions = ordered(view.questions);
    this.answers = { ...view.answers };
    for (const id of Object.keys(view.answers)) this.saves[id] = { state: 'saved' };
    this.deadline = this.now() + view.remainingMs;
    this.remainingMs = view.remainingMs;
    // Resuming: carry on at the first question not answered yet.
    const firstOpen = this.questions.findIndex((q) => view.answers[q.id] === undefined);
    this.index = firstOpen === -1 ? 0 : firstOpen;
    if (view.status !== 'open') {
      this.phase = 'scoring';
      if (view.result) this.result = view.result;
      if (view.review) this.review = view.review;
      if (view.result) this.phase = 'done';
    }
  }

  get question(): AttemptQuestion {
    return this.questions[this.index]!;
  }
  get unanswered(): number {
    return this.questions.filter((q) => this.answers[q.id] === undefined).length;
  }
  /** Answers given but not (yet) on the server. */
  get unsaved(): number {
    return Object.values(this.saves).filter((s) => s.state !== 'saved').length;
  }

  /** Starts the countdown (and, for an attempt already submitted, fetching its result). */
  start(): void {
    if (this.phase === 'scoring') void this.awaitResult();
    if (this.phase !== 'answering' || this.clock) return;
    this.tick();
    this.clock = setInterval(() => this.tick(), 250);
    globalThis.addEventListener?.('online', this.retryAll);
  }

  dispose(): void {
    this.disposed = true;
    if (this.clock) clearInterval(this.clock);
    this.clock = null;
    for (const r of this.retries.values()) clearTimeout(r.timer);
    this.retries.clear();
    globalThis.removeEventListener?.('online', this.retryAll);
  }

  /** Recomputes the time left; at zero the attempt is submitted as it stands. */
  tick(): void {
    const before = this.remainingMs;
    this.remainingMs = Math.max(0, this.deadline - this.now());
    for (const [at, name] of MILESTONES) if (before > at && this.remainingMs <= at) this.milestone = name;
    if (this.remainingMs === 0 && this.phase === 'answering') {
      this.milestone = 'timeUp';
      void this.submit();
    }
  }

  go(index: number): void {
    this.index = Math.max(0, Math.min(this.questions.length - 1, index));
  }

  /** Gives (or changes) an answer and saves it at once. */
  choose(questionId: string, choice: Choice): void {
    if (this.phase !== 'answering') return;
    this.answers[questionId] = choice;
    this.send(questionId);
  }

  /** Multiple choice: ticks or unticks one option. The last ticked option stays (the server keeps a non-empty answer). */
  toggle(questionId: string, option: number): boolean {
    const current = this.answers[questionId];
    const set = new Set(Array.isArray(current) ? current : []);
    if (set.has(option)) {
      if (set.size === 1) return false;
      set.delete(option);
    } else set.add(option);
    this.choose(
      questionId,
      [...set].sort((a, b) => a - b),
    );
    return true;
  }

  private send(questionId: string): void {
    const choice = this.answers[questionId];
    if (choice === undefined) return;
    const pending = this.retries.get(questionId);
    if (pending) clearTimeout(pending.timer);
    if (this.inflight.has(questionId)) {
      // The newer answer goes out when the one on the wire comes back.
      this.saves[questionId] = { state: 'saving' };
      return;
    }
    this.saves[questionId] = { state: this.retries.has(questionId) ? 'retrying' : 'saving' };
    const request = this.api.save(this.token, this.id, questionId, choice).then((res) => {
      this.inflight.delete(questionId);
      if (this.disposed) return;
      const latest = this.answers[questionId];
      if (res.ok) {
        this.deadline = this.now() + res.data.remainingMs; // the server's clock is the one that counts
        this.retries.delete(questionId);
        if (JSON.stringify(latest) !== JSON.stringify(choice)) return this.send(questionId);
        this.saves[questionId] = { state: 'saved' };
        return;
      }
      const { code, status } = res.error;
      if (isRetryable(code, status)) {
        const n = this.retries.get(questionId)?.n ?? 0;
        const timer = setTimeout(() => this.send(questionId), this.backoff(n));
        this.retries.set(questionId, { n: n + 1, timer });
        this.saves[questionId] = { state: 'retrying', error: code };
        return;
      }
      this.retries.delete(questionId);
      this.saves[questionId] = { state: 'failed', error: code };
      if (code === 'ATTEMPT_OVER' && this.phase === 'answering') void this.submit();
    });
    this.inflight.set(questionId, request);
  }

  /** Resolves once no save is on the wire (a newer answer sent on return is waited for too). */
  private async settled(): Promise<void> {
    while (this.inflight.size && !this.disposed) await Promise.all(this.inflight.values());
  }

  /** Tries every unsaved answer again now (the network came back, or the contestant asked). */
  readonly retryAll = (): void => {
    for (const [id, s] of Object.entries(this.saves)) if (s.state !== 'saved' && !this.inflight.has(id)) this.send(id);
  };

  /** Ends the attempt: idempotent on the server; retried while the network is down; then waits for the score. */
  async submit(): Promise<void> {
    if (this.phase !== 'answering') return;
    this.phase = 'submitting';
    if (this.clock) clearInterval(this.clock);
    this.clock = null;
    for (let n = 0; !this.disposed; n++) {
      // Answers not on the server yet get their chance before the attempt closes, on every try.
      this.retryAll();
      await this.settled();
      const res = await this.api.submit(this.token, this.id);
      if (res.ok || res.error.code === 'ATTEMPT_OVER') break;
      this.problem = res.error.code;
      if (!isRetryable(res.error.code, res.error.status)) return;
      await this.sleep(this.backoff(n));
    }
    this.problem = null;
    this.phase = 'scoring';
    await this.awaitResult();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Asks for the result until it is scored (the server holds each ask a few seconds), then reads the review. */
  private async awaitResult(): Promise<void> {
    for (let n = 0; !this.disposed && !this.result;) {
      const res = await this.api.result(this.token, this.id);
      if (res.ok && res.data.status === 'scored' && res.data.result) {
        this.result = res.data.result;
        break;
      }
      if (!res.ok) {
        this.problem = res.error.code;
        if (!isRetryable(res.error.code, res.error.status)) return;
        await this.sleep(this.backoff(n++));
      } else if (res.data.status !== 'pending') await this.sleep(1000);
    }
    this.problem = null;
    if (!this.review && !this.disposed) {
      const view = await this.api.attempt(this.token, this.id);
      if (view.ok && view.data.review) this.review = view.data.review;
    }
    this.phase = 'done';
  }
}
