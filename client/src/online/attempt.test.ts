import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Choice } from '../../../protocol/events';
import type { AttemptResult, AttemptView } from '../../../protocol/online';
import type { HttpResult } from '../lib/http';
import type { ClientErrorCode } from '../lib/i18n/vi';
import type { OnlineApi } from './api';
import { AttemptSession } from './attempt.svelte';

const questions: AttemptView['questions'] = [
  { id: 'du-doan', type: 'numeric', text: 'Dự đoán', min: 0, max: 100, prediction: true },
  { id: 'q1', type: 'single', text: 'Một', options: ['A', 'B', 'C'] },
  { id: 'q2', type: 'multiple', text: 'Hai', options: ['A', 'B', 'C'] },
  { id: 'q3', type: 'numeric', text: 'Ba', min: 1, max: 5 },
];
const result: AttemptResult = {
  correct: 2,
  total: 3,
  answered: 3,
  timeMs: 90_000,
  submittedAt: 5,
  predictionGuess: null,
};

function view(over: Partial<AttemptView> = {}): AttemptView {
  return {
    id: 'attempt-0123456789abcdef',
    roundId: 'so-khao',
    status: 'open',
    startedAt: 0,
    deadline: 600_000,
    remainingMs: 600_000,
    serverTime: 0,
    questions,
    answers: {},
    ...over,
  };
}

const fail = (code: ClientErrorCode, status: number) =>
  ({ ok: false, error: { code, message: code, status, body: null } }) as const;
const ok = <T>(data: T): HttpResult<T> => ({ ok: true, data });

/** An OnlineApi that records each call and answers from a script (by default: success). */
function fakeApi() {
  const saves: { questionId: string; choice: Choice }[] = [];
  const script = {
    save: [] as HttpResult<{ questionId: string; remainingMs: number }>[],
    result: [] as HttpResult<{ status: 'pending' | 'scored'; result?: AttemptResult }>[],
    submit: [] as HttpResult<{ id: string; status: 'submitted'; submittedAt: number }>[],
  };
  let submits = 0;
  const api: OnlineApi = {
    info: vi.fn(),
    register: vi.fn(),
    resume: vi.fn(),
    me: vi.fn(),
    start: vi.fn(),
    attempt: async () => ok(view({ status: 'scored', result, review: [] })),
    save: async (_t, _id, questionId, choice) => {
      saves.push({ questionId, choice });
      return script.save.shift() ?? ok({ questionId, remainingMs: 500_000 });
    },
    submit: async () => {
      submits++;
      return script.submit.shift() ?? ok({ id: 'x', status: 'submitted', submittedAt: 1 });
    },
    result: async () => script.result.shift() ?? ok({ status: 'scored', result }),
  };
  return { api, saves, script, submits: () => submits };
}

/** A monotonic clock the test moves by hand. */
function manualClock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe(AttemptSession.name, () => {
  it('resumes an attempt: saved answers kept, the first unanswered question shown, the prediction last', () => {
    const { api } = fakeApi();
    const s = new AttemptSession(api, 'tok', view({ answers: { q1: 2 }, remainingMs: 123_000 }));
    expect(s.questions.map((q) => q.id)).toEqual(['q1', 'q2', 'q3', 'du-doan']);
    expect(s.question.id).toBe('q2');
    expect(s.answers).toEqual({ q1: 2 });
    expect(s.saves.q1?.state).toBe('saved');
    expect(s.unanswered).toBe(3);
    expect(s.remainingMs).toBe(123_000);
  });

  it("counts down from the server's remainingMs on the monotonic clock, whatever the phone's wall clock says", () => {
    const { api } = fakeApi();
    const clock = manualClock();
    vi.setSystemTime(new Date('1999-01-01T00:00:00Z')); // a phone with a wrong date changes nothing
    const s = new AttemptSession(api, 'tok', view({ remainingMs: 65_000 }), { now: clock.now });
    clock.advance(4_000);
    s.tick();
    expect(s.remainingMs).toBe(61_000);
    expect(s.milestone).toBeNull();
    clock.advance(2_000);
    s.tick();
    expect(s.milestone).toBe('oneMinute');
    vi.setSystemTime(new Date('2099-01-01T00:00:00Z'));
    s.tick();
    expect(s.remainingMs).toBe(59_000);
  });

  it("resynchronises the countdown from each save's remainingMs", async () => {
    const { api } = fakeApi();
    const clock = manualClock();
    const s = new AttemptSession(api, 'tok', view({ remainingMs: 600_000 }), { now: clock.now });
    s.choose('q1', 1);
    await vi.advanceTimersByTimeAsync(0);
    s.tick();
    expect(s.remainingMs).toBe(500_000); // what the fake server said is left
  });

  it('saves each answer as given and shows it saved', async () => {
    const { api, saves } = fakeApi();
    const s = new AttemptSession(api, 'tok', view());
    s.choose('q1', 2);
    expect(s.saves.q1?.state).toBe('saving');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.saves.q1?.state).toBe('saved');
    expect(saves).toEqual([{ questionId: 'q1', choice: 2 }]);
  });

  it('retries a save while the network is down and never drops it', async () => {
    const { api, saves, script } = fakeApi();
    script.save.push(fail('NETWORK', 0), fail('INTERNAL', 503));
    const s = new AttemptSession(api, 'tok', view(), { backoff: () => 1000 });
    s.choose('q3', 4);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.saves.q3).toEqual({ state: 'retrying', error: 'NETWORK' });
    expect(s.unsaved).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.saves.q3?.state).toBe('retrying');
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.saves.q3?.state).toBe('saved');
    expect(s.unsaved).toBe(0);
    expect(saves.map((x) => x.choice)).toEqual([4, 4, 4]);
  });

  it('shows a save the server refuses as failed, with its code', async () => {
    const { api, script } = fakeApi();
    script.save.push(fail('INVALID_CHOICE', 400));
    const s = new AttemptSession(api, 'tok', view());
    s.choose('q1', 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.saves.q1).toEqual({ state: 'failed', error: 'INVALID_CHOICE' });
    expect(s.answers.q1).toBe(1);
  });

  it('sends the newest answer after the one on the wire comes back', async () => {
    const { api, saves } = fakeApi();
    const s = new AttemptSession(api, 'tok', view());
    s.choose('q1', 0);
    s.choose('q1', 2);
    await vi.advanceTimersByTimeAsync(0);
    expect(saves.map((x) => x.choice)).toEqual([0, 2]);
    expect(s.saves.q1?.state).toBe('saved');
  });

  it('multiple choice: ticks and unticks, but keeps at least one option', async () => {
    const { api, saves } = fakeApi();
    const s = new AttemptSession(api, 'tok', view());
    expect(s.toggle('q2', 2)).toBe(true);
    expect(s.toggle('q2', 0)).toBe(true);
    expect(s.answers.q2).toEqual([0, 2]);
    expect(s.toggle('q2', 2)).toBe(true);
    expect(s.toggle('q2', 0)).toBe(false);
    expect(s.answers.q2).toEqual([0]);
    await vi.advanceTimersByTimeAsync(0);
    expect(saves.at(-1)).toEqual({ questionId: 'q2', choice: [0] });
  });

  it('submits, waits through a pending result, then shows the score and the review', async () => {
    const { api, script, submits } = fakeApi();
    script.result.push(ok({ status: 'pending' }));
    const s = new AttemptSession(api, 'tok', view());
    const done = s.submit();
    expect(s.phase).toBe('submitting');
    await vi.advanceTimersByTimeAsync(0);
    await done;
    expect(submits()).toBe(1);
    expect(s.phase).toBe('done');
    expect(s.result).toEqual(result);
    expect(s.review).toEqual([]);
    s.choose('q1', 1);
    expect(s.answers.q1).toBeUndefined(); // no answer after submitting
  });

  it('retries the submission while the network is down', async () => {
    const { api, script, submits } = fakeApi();
    script.submit.push(fail('NETWORK', 0));
    const s = new AttemptSession(api, 'tok', view(), { backoff: () => 2000 });
    const done = s.submit();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.problem).toBe('NETWORK');
    expect(s.phase).toBe('submitting');
    await vi.advanceTimersByTimeAsync(2000);
    await done;
    expect(submits()).toBe(2);
    expect(s.phase).toBe('done');
  });

  it('sends an answer still waiting for the network before the submission goes out', async () => {
    const { api, script, saves, submits } = fakeApi();
    script.save.push(fail('NETWORK', 0));
    script.submit.push(fail('NETWORK', 0));
    const s = new AttemptSession(api, 'tok', view(), { backoff: () => 60_000 });
    s.choose('q1', 2);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.saves.q1?.state).toBe('retrying');
    const done = s.submit();
    await vi.advanceTimersByTimeAsync(0);
    expect(saves).toHaveLength(2); // resent at once, not after the save's own back-off
    expect(s.saves.q1?.state).toBe('saved');
    await vi.advanceTimersByTimeAsync(60_000);
    await done;
    expect(submits()).toBe(2);
  });

  it('submits by itself when the time is up, even if the server already did (ATTEMPT_OVER)', async () => {
    const { api, script, submits } = fakeApi();
    script.submit.push(fail('ATTEMPT_OVER', 409));
    const clock = manualClock();
    const s = new AttemptSession(api, 'tok', view({ remainingMs: 11_000 }), { now: clock.now });
    s.start();
    clock.advance(1_500);
    await vi.advanceTimersByTimeAsync(250);
    expect(s.milestone).toBe('tenSeconds');
    clock.advance(10_000);
    await vi.advanceTimersByTimeAsync(250);
    expect(s.milestone).toBe('timeUp');
    await vi.advanceTimersByTimeAsync(0);
    expect(submits()).toBe(1);
    expect(s.phase).toBe('done');
    expect(s.result).toEqual(result);
    s.dispose();
  });

  it('an attempt reopened after submission goes straight to its result', async () => {
    const { api } = fakeApi();
    const s = new AttemptSession(api, 'tok', view({ status: 'submitted', remainingMs: 0 }));
    expect(s.phase).toBe('scoring');
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.phase).toBe('done');
    expect(s.result).toEqual(result);
  });
});
