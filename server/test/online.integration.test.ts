import { describe, expect, it } from 'vitest';
import type {
  AttemptResultReply,
  AttemptView,
  Me,
  OnlineContestInfo,
  Registered,
  Resumed,
  SavedAnswer,
  Submitted,
} from '../../protocol/online';
import { testServers, type Mode } from './servers';

const server = testServers('online', 'server/test/online-contests');
const MIN = 60_000;

type Reply<T> = {
  status: number;
  body: { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
};

/** A small client of the online routes, as a phone page would use them. */
function client(url: string) {
  const call = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<Reply<T>> => {
    const res = await fetch(`${url}/api/online/thi-thu${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Reply<T>['body'] };
  };
  const ok = async <T>(method: string, path: string, token?: string, body?: unknown) => {
    const r = await call<T>(method, path, token, body);
    if (!r.body.ok) throw new Error(`${method} ${path}: ${r.status} ${r.body.error.code} ${r.body.error.message}`);
    return r.body.data;
  };
  const refused = async (
    method: string,
    path: string,
    token: string | undefined,
    body: unknown,
    status: number,
    code: string,
  ) => {
    const r = await call(method, path, token, body);
    expect({ status: r.status, code: r.body.ok ? 'ok' : r.body.error.code }).toEqual({ status, code });
  };
  return { call, ok, refused };
}

let phoneSeq = 1000;
const person = (over: Record<string, unknown> = {}) => ({
  fullName: 'Nguyễn Văn An',
  phone: `0912 34${phoneSeq++}`,
  group: 'nguoi-dan',
  unit: 'don-vi-a',
  birthYear: 1990,
  consent: true,
  ...over,
});

/** The shown index of the option with this text. */
const shown = (a: AttemptView, questionId: string, text: string) =>
  a.questions.find((q) => q.id === questionId)!.options!.indexOf(text);

describe.each<Mode>(['memory', 'redis'])('online rounds over HTTP (%s store)', (mode) => {
  it('register → start → save → resume on another device → submit → scored once → result, with every hostile case refused', async () => {
    const s = await server(mode);
    const api = client(s.url);

    const info = await api.ok<OnlineContestInfo>('GET', '');
    expect(info.rounds.map((r) => [r.id, r.status])).toEqual([
      ['mo', 'open'],
      ['chua-mo', 'upcoming'],
      ['da-dong', 'closed'],
      ['ngan', 'open'],
    ]);
    expect(info.rounds[0]).toMatchObject({
      questionCount: 4,
      attempts: 2,
      timeLimitMin: 20,
      counts: 'best',
      revealAnswers: 'after-round',
    });
    expect(info.privacyNotice).toContain('xoá');
    // The public page states the prize rules from the contest's own settings (here: the defaults, no prize round).
    expect(info.prizeRules).toEqual({
      rounds: [],
      eligibility: { minCorrect: 1, minScore: 0, minEntrantsPerGroup: 1 },
      onePerPerson: true,
      tieBreak: ['correct', 'time', 'prediction', 'submitted'],
    });
    await api.refused('GET', '/../nope', undefined, undefined, 404, 'CONTEST_NOT_FOUND');

    // Registration: bad phone, no consent, unknown unit, then one contestant per number (any writing of it).
    await api.refused('POST', '/register', undefined, person({ phone: '0212345678' }), 400, 'PHONE_INVALID');
    await api.refused('POST', '/register', undefined, person({ consent: false }), 400, 'CONSENT_REQUIRED');
    await api.refused('POST', '/register', undefined, { ...person(), consent: undefined }, 400, 'CONSENT_REQUIRED');
    await api.refused('POST', '/register', undefined, person({ unit: 'khong-co' }), 400, 'UNIT_UNKNOWN');
    await api.refused('POST', '/register', undefined, person({ group: 'ai-do' }), 400, 'BAD_REQUEST');
    await api.refused('POST', '/register', undefined, '{not json', 400, 'BAD_REQUEST');
    const reg = await api.call<Registered>('POST', '/register', undefined, person({ phone: '0987 654 321' }));
    expect(reg.status).toBe(201);
    if (!reg.body.ok) throw new Error('not registered');
    const { token, code, contestant } = reg.body.data;
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(contestant).toMatchObject({
      fullName: 'Nguyễn Văn An',
      phoneMasked: '098****321',
      group: 'nguoi-dan',
      unit: 'don-vi-a',
      birthYear: 1990,
    });
    await api.refused('POST', '/register', undefined, person({ phone: '+84 987.654.321' }), 409, 'ALREADY_REGISTERED');
    await api.refused('POST', '/resume', undefined, { phone: '0987654321', code: 'ZZZZZZ' }, 403, 'BAD_CODE');
    await api.refused('POST', '/resume', undefined, { phone: '0911111111', code }, 403, 'BAD_CODE');
    const resumed = await api.ok<Resumed>('POST', '/resume', undefined, {
      phone: '84987654321',
      code: code.toLowerCase(),
    });
    expect(resumed.contestant.id).toBe(contestant.id);
    const token2 = resumed.token;

    // Starting: only with a token, only inside the window.
    await api.refused('POST', '/rounds/mo/attempts', undefined, undefined, 401, 'NOT_REGISTERED');
    await api.refused('POST', '/rounds/mo/attempts', 'x'.repeat(32), undefined, 401, 'NOT_REGISTERED');
    await api.refused('POST', '/rounds/chua-mo/attempts', token, undefined, 403, 'ROUND_NOT_OPEN');
    await api.refused('POST', '/rounds/da-dong/attempts', token, undefined, 403, 'ROUND_CLOSED');
    await api.refused('POST', '/rounds/truc-tiep/attempts', token, undefined, 404, 'CONTEST_NOT_FOUND');
    const started = await api.call<AttemptView>('POST', '/rounds/mo/attempts', token);
    expect(started.status).toBe(201);
    if (!started.body.ok) throw new Error('not started');
    const attempt = started.body.data;
    expect(
      attempt.questions
        .map((q) => q.id)
        .slice(0, 3)
        .sort(),
    ).toEqual(['q-multiple', 'q-single', 'q-tf']);
    expect(attempt.questions.at(-1)).toMatchObject({ id: 'q-du-doan', prediction: true, min: 0, max: 100000 });
    expect(attempt.questions.find((q) => q.id === 'q-tf')!.options).toEqual(['Đúng', 'Sai']);
    expect(attempt.deadline - attempt.startedAt).toBe(20 * MIN);
    expect(attempt.remainingMs).toBeGreaterThan(19 * MIN);
    // No correct answer, no explanation before the end.
    expect(JSON.stringify(attempt)).not.toMatch(/correct|GIAI-THICH|explanation/);
    // Starting again continues the same attempt.
    const again = await api.call<AttemptView>('POST', '/rounds/mo/attempts', token2);
    expect(again.status).toBe(200);
    expect(again.body.ok && again.body.data.id).toBe(attempt.id);

    // Answers in the shown order, changeable; a client timestamp is ignored (stripped by the schema).
    const single = shown(attempt, 'q-single', 'C');
    await api.ok<SavedAnswer>('PUT', `/attempts/${attempt.id}/answers`, token, {
      questionId: 'q-single',
      choice: (single + 1) % 4,
      at: 0,
      elapsedMs: 1,
    });
    const saved = await api.ok<SavedAnswer>('PUT', `/attempts/${attempt.id}/answers`, token, {
      questionId: 'q-single',
      choice: single,
      at: 0,
    });
    expect(saved.remainingMs).toBeGreaterThan(19 * MIN);
    const multiple = [shown(attempt, 'q-multiple', 'A'), shown(attempt, 'q-multiple', 'C')];
    await api.ok('PUT', `/attempts/${attempt.id}/answers`, token2, { questionId: 'q-multiple', choice: multiple });
    await api.ok('PUT', `/attempts/${attempt.id}/answers`, token, { questionId: 'q-tf', choice: 0 }); // "Đúng": wrong
    await api.ok('PUT', `/attempts/${attempt.id}/answers`, token, { questionId: 'q-du-doan', choice: 4321 });

    // Hostile answers change nothing.
    const other = await api.ok<Registered>('POST', '/register', undefined, person());
    await api.refused(
      'PUT',
      `/attempts/${attempt.id}/answers`,
      token,
      { questionId: 'q-live', choice: 0 },
      400,
      'QUESTION_NOT_IN_ATTEMPT',
    );
    await api.refused(
      'PUT',
      `/attempts/${attempt.id}/answers`,
      other.token,
      { questionId: 'q-single', choice: 0 },
      404,
      'ATTEMPT_NOT_FOUND',
    );
    await api.refused(
      'PUT',
      `/attempts/${'A'.repeat(24)}/answers`,
      token,
      { questionId: 'q-single', choice: 0 },
      404,
      'ATTEMPT_NOT_FOUND',
    );
    await api.refused(
      'PUT',
      `/attempts/bad!id/answers`,
      token,
      { questionId: 'q-single', choice: 0 },
      400,
      'BAD_REQUEST',
    );
    await api.refused(
      'PUT',
      `/attempts/${attempt.id}/answers`,
      token,
      { questionId: 'q-single', choice: 9 },
      400,
      'INVALID_CHOICE',
    );
    await api.refused('PUT', `/attempts/${attempt.id}/answers`, token, { questionId: 'q-single' }, 400, 'BAD_REQUEST');
    await api.refused('GET', `/attempts/${attempt.id}`, other.token, undefined, 404, 'ATTEMPT_NOT_FOUND');
    await api.refused('POST', `/attempts/${attempt.id}/submit`, other.token, undefined, 404, 'ATTEMPT_NOT_FOUND');

    // Reload on the other device: same attempt, same answers in the shown order, remaining time from the server.
    const reloaded = await api.ok<AttemptView>('GET', `/attempts/${attempt.id}`, token2);
    expect(reloaded.questions).toEqual(attempt.questions);
    expect(reloaded.answers).toEqual({
      'q-single': single,
      'q-multiple': [...multiple].sort(),
      'q-tf': 0,
      'q-du-doan': 4321,
    });
    expect(reloaded.remainingMs).toBeLessThanOrEqual(attempt.remainingMs);
    // Stored in the bank's order, whatever the shuffle.
    const stored = await s.app.onlineStore.getAttempt('thi-thu', attempt.id);
    expect(stored?.answers['q-single']?.choice).toBe(2);
    expect(stored?.answers['q-multiple']?.choice).toEqual([0, 2]);

    // Submit (twice: the same answer), then nothing more is saved.
    const submitted = await api.ok<Submitted>('POST', `/attempts/${attempt.id}/submit`, token);
    expect(submitted.status).toMatch(/submitted|scored/);
    const twice = await api.ok<Submitted>('POST', `/attempts/${attempt.id}/submit`, token2);
    expect(twice.submittedAt).toBe(submitted.submittedAt);
    await api.refused(
      'PUT',
      `/attempts/${attempt.id}/answers`,
      token,
      { questionId: 'q-tf', choice: 1 },
      409,
      'ATTEMPT_OVER',
    );

    const result = await api.ok<AttemptResultReply>('GET', `/attempts/${attempt.id}/result`, token);
    expect(result.status).toBe('scored');
    expect(result.result).toMatchObject({
      correct: 2,
      total: 3,
      answered: 3,
      predictionGuess: 4321,
      submittedAt: submitted.submittedAt,
    });
    expect(result.result!.timeMs).toBe(submitted.submittedAt - attempt.startedAt);
    // After-round reveal: the round is still open, so no review yet.
    expect((await api.ok<AttemptView>('GET', `/attempts/${attempt.id}`, token)).review).toBeUndefined();

    // Scored once, even when the job runs again.
    await s.app.online.scoreAttempt('thi-thu', attempt.id);
    expect(await s.app.onlineStore.counters('thi-thu', 'mo')).toMatchObject({
      participants: 1,
      attempts: 1,
      units: { 'don-vi-a': { participants: 1, attempts: 1 } },
    });

    const me = await api.ok<Me>('GET', '/me', token);
    expect(me.rounds.find((r) => r.roundId === 'mo')).toMatchObject({
      attemptsUsed: 1,
      attemptsLeft: 1,
      rank: 1,
      ranked: 1,
      openAttempt: null,
      counting: { attemptId: attempt.id, correct: 2 },
    });

    // Second attempt, nothing answered: the first (better) one still counts; a third is refused.
    const second = await api.ok<AttemptView>('POST', '/rounds/mo/attempts', token);
    expect(second.id).not.toBe(attempt.id);
    await api.ok('POST', `/attempts/${second.id}/submit`, token);
    expect((await api.ok<AttemptResultReply>('GET', `/attempts/${second.id}/result`, token)).result?.correct).toBe(0);
    await api.refused('POST', '/rounds/mo/attempts', token, undefined, 403, 'NO_ATTEMPTS_LEFT');
    const after = await api.ok<Me>('GET', '/me', token);
    expect(after.rounds.find((r) => r.roundId === 'mo')).toMatchObject({
      attemptsUsed: 2,
      attemptsLeft: 0,
      counting: { attemptId: attempt.id },
    });

    // The other contestant answers late (clock moved past the deadline): refused, and reading the attempt ends it.
    const late = await api.ok<AttemptView>('POST', '/rounds/mo/attempts', other.token);
    s.app.onlineStore.shiftClock(21 * MIN);
    try {
      await api.refused(
        'PUT',
        `/attempts/${late.id}/answers`,
        other.token,
        { questionId: 'q-single', choice: 0 },
        409,
        'ATTEMPT_OVER',
      );
      const ended = await api.ok<AttemptView>('GET', `/attempts/${late.id}`, other.token);
      expect(ended.status).not.toBe('open');
      expect(ended.remainingMs).toBe(0);
      const lateResult = await api.ok<AttemptResultReply>('GET', `/attempts/${late.id}/result`, other.token);
      expect(lateResult.result).toMatchObject({ correct: 0, timeMs: 20 * MIN, submittedAt: late.deadline });
    } finally {
      s.app.onlineStore.shiftClock(-21 * MIN);
    }
    expect((await api.ok<Me>('GET', '/me', other.token)).rounds.find((r) => r.roundId === 'mo')).toMatchObject({
      rank: 2,
      ranked: 2,
    });
    expect((await s.app.online.rankedAttempts('thi-thu', 'mo')).map((e) => e.contestantId)).toEqual([
      contestant.id,
      other.contestant.id,
    ]);
  });

  it('submits an attempt when its time is up (the deadline job), and reveals answers after the attempt where the round says so', async () => {
    const s = await server(mode);
    const api = client(s.url);
    const { token } = await api.ok<Registered>('POST', '/register', undefined, person());
    const attempt = await api.ok<AttemptView>('POST', '/rounds/ngan/attempts', token);
    expect(attempt.deadline - attempt.startedAt).toBe(3000);
    await api.ok('PUT', `/attempts/${attempt.id}/answers`, token, {
      questionId: 'q-single',
      choice: shown(attempt, 'q-single', 'C'),
    });
    // Nobody submits: the job at the deadline (+ grace) does, and scores it.
    const deadline = Date.now() + 15_000;
    let scored: AttemptView | undefined;
    while (Date.now() < deadline) {
      const stored = await s.app.onlineStore.getAttempt('thi-thu', attempt.id);
      if (stored?.status === 'scored') {
        expect(stored.submitReason).toBe('deadline');
        scored = await api.ok<AttemptView>('GET', `/attempts/${attempt.id}`, token);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(scored?.result).toMatchObject({ correct: 1, total: 2, answered: 1, timeMs: 3000 });
    // after-attempt: the review is there, correct options in this attempt's order.
    const single = scored!.review!.find((r) => r.questionId === 'q-single')!;
    expect(single).toMatchObject({
      correct: true,
      explanation: 'GIAI-THICH-SINGLE',
      correctOptions: [shown(attempt, 'q-single', 'C')],
    });
    expect(scored!.review!.find((r) => r.questionId === 'q-tf')).toMatchObject({ correct: false, correctOptions: [1] });
    await api.refused('POST', '/rounds/ngan/attempts', token, undefined, 403, 'NO_ATTEMPTS_LEFT');
  }, 30_000);
});
