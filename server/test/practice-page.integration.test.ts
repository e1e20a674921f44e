import { describe, expect, it } from 'vitest';
import type { PracticeAnswered, PracticeInfo, PracticeSessionView, PracticeStats } from '../../protocol/practice';
import { login } from './clients';
import { testServers, type Mode } from './servers';

const server = testServers('practice-page', 'server/test/practice-contests');

type Body<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

function client(url: string, contestId = 'luyen') {
  const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/api/practice/${contestId}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) as Body<T> };
  };
  const ok = async <T>(method: string, path: string, body?: unknown) => {
    const r = await call<T>(method, path, body);
    if (!r.body.ok) throw new Error(`${method} ${path}: ${r.status} ${r.body.error.code} ${r.body.error.message}`);
    return r.body.data;
  };
  const refused = async (method: string, path: string, body: unknown, status: number, code: string) => {
    const r = await call(method, path, body);
    expect({ status: r.status, code: r.body.ok ? 'ok' : r.body.error.code }).toEqual({ status, code });
  };
  return { call, ok, refused };
}

/** The bank's right answers, as the test knows them (the phone never does). */
const KEY: Record<string, (options?: string[]) => number | number[]> = {
  p1: (o) => o!.indexOf('Đúng cách'),
  p2: (o) => [o!.indexOf('A'), o!.indexOf('C')].sort(),
  p3: () => 10.5,
  o1: (o) => o!.indexOf('B'),
  o2: () => 0,
  w1: (o) => o!.indexOf('A'),
};
const wrong = (id: string, options?: string[]): number | number[] => {
  const right = KEY[id]!(options);
  if (id === 'p3') return 50;
  if (Array.isArray(right)) return [options!.indexOf('B')];
  return right === 0 ? 1 : 0;
};

describe.each<Mode>(['memory', 'redis'])('practice page (%s store)', (mode) => {
  it('draws only from practice questions and rounds that are over, checks answers on the server, shows weak areas', async () => {
    const s = await server(mode);
    const c = client(s.url);
    const info = await c.ok<PracticeInfo>('GET', '');
    expect(info.questionsPerSession).toBe(3);
    // p1, o1, o2 (safety); p2 (ai); p3 (digital-services). Not o3/o4 (open round), not w1 (live, not locked).
    expect(info.areas).toEqual([
      { area: 'safety', questions: 3 },
      { area: 'digital-services', questions: 1 },
      { area: 'ai', questions: 1 },
    ]);
    await client(s.url, 'khong-luyen').refused('GET', '', undefined, 404, 'CONTEST_NOT_FOUND');
    await client(s.url, 'khong-co').refused('GET', '', undefined, 404, 'CONTEST_NOT_FOUND');
    await client(s.url, 'Sai Ma').refused('GET', '', undefined, 400, 'BAD_REQUEST');

    const started = await c.call<PracticeSessionView>('POST', '/sessions', {
      area: 'safety',
      deviceId: 'device-abc-1',
    });
    expect(started.status).toBe(201);
    if (!started.body.ok) throw new Error('not started');
    const session = started.body.data;
    expect(session.questions.map((q) => q.id).sort()).toEqual(['o1', 'o2', 'p1']);
    // Nothing of the key leaves the server before an answer: no explanation, no correct index.
    expect(started.text).not.toMatch(/GIAI-THICH|correctOptions|"answer"|feedback/);

    const [first, ...rest] = session.questions;
    const answered = await c.ok<PracticeAnswered>('POST', `/sessions/${session.id}/answers`, {
      questionId: first!.id,
      choice: wrong(first!.id, first!.options),
    });
    expect(answered.feedback).toMatchObject({ questionId: first!.id, correct: false });
    expect(answered.feedback.correctOptions).toEqual([KEY[first!.id]!(first!.options)]);
    expect(answered.feedback.explanation).toBe(`GIAI-THICH-${first!.id.toUpperCase()}`);
    expect(answered.summary).toMatchObject({ answered: 1, correct: 0, total: 3, complete: false });
    // One answer per question: the key has been shown.
    await c.refused(
      'POST',
      `/sessions/${session.id}/answers`,
      { questionId: first!.id, choice: 0 },
      409,
      'ALREADY_ANSWERED',
    );
    await c.refused(
      'POST',
      `/sessions/${session.id}/answers`,
      { questionId: 'w1', choice: 0 },
      400,
      'QUESTION_NOT_IN_ATTEMPT',
    );
    await c.refused(
      'POST',
      `/sessions/${session.id}/answers`,
      { questionId: rest[0]!.id, choice: 7 },
      400,
      'INVALID_CHOICE',
    );
    await c.refused('POST', `/sessions/${session.id}/answers`, { questionId: rest[0]!.id }, 400, 'BAD_REQUEST');
    await c.refused('POST', `/sessions/${session.id}/answers`, '{"questionId":', 400, 'BAD_REQUEST');
    await c.refused('POST', `/sessions/not-a-session/answers`, { questionId: 'p1', choice: 0 }, 400, 'BAD_REQUEST');
    await c.refused('POST', `/sessions/${'x'.repeat(24)}/answers`, { questionId: 'p1', choice: 0 }, 404, 'NOT_FOUND');
    await c.refused('POST', '/sessions', { area: 'no-such-area' }, 400, 'BAD_REQUEST');

    let last: PracticeAnswered | undefined;
    for (const q of rest)
      last = await c.ok<PracticeAnswered>('POST', `/sessions/${session.id}/answers`, {
        questionId: q.id,
        choice: KEY[q.id]!(q.options),
      });
    expect(last!.feedback.correct).toBe(true);
    // 2 of 3 right in safety: below 70 %, so it is the weak area.
    expect(last!.summary).toEqual({
      answered: 3,
      correct: 2,
      total: 3,
      complete: true,
      areas: [{ area: 'safety', answered: 3, correct: 2 }],
      weakAreas: ['safety'],
    });
    const again = await c.ok<PracticeSessionView>('GET', `/sessions/${session.id}`);
    expect(Object.keys(again.answers).sort()).toEqual(['o1', 'o2', 'p1']);
    expect(again.answers[first!.id]!.choice).toEqual(wrong(first!.id, first!.options));

    // A source link, where the file has one, is http(s).
    const p = await c.ok<PracticeSessionView>('POST', '/sessions', {});
    const p1 = p.questions.find((q) => q.id === 'p1');
    if (p1) {
      const fb = await c.ok<PracticeAnswered>('POST', `/sessions/${p.id}/answers`, { questionId: 'p1', choice: 0 });
      expect(fb.feedback.source.url).toBe('https://example.gov.vn/p1');
    }

    // Organisers see practice counted apart, anonymously; nobody else does.
    const stats = await fetch(`${s.url}/api/practice-stats/luyen`);
    expect(stats.status).toBe(401);
    const token = await login(s.url, s.organiserPassword);
    const figures = (await (
      await fetch(`${s.url}/api/practice-stats/luyen`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as PracticeStats;
    expect(figures.sessions).toEqual({ started: 2, completed: 1 });
    const safety = figures.areas.find((a) => a.area === 'safety')!;
    expect(safety.answered).toBeGreaterThanOrEqual(3);
    expect(figures.badges.map((b) => [b.id, b.holders])).toEqual([
      ['an-toan', 0],
      ['khong-bo-cuoc', 0],
      ['cham-chi', 0],
      ['hieu-ai', 0],
    ]);
  });

  it('adds a live round to the pool only once its results are locked', async () => {
    const s = await server(mode);
    const c = client(s.url);
    const before = await c.ok<PracticeInfo>('GET', '');
    expect(before.areas.find((a) => a.area === 'ai')!.questions).toBe(1);
    await s.app.store.organiser.lock({
      scopeKey: 'round:luyen:khoi-dong',
      json: '{}',
      sha256: 'x',
      at: 1,
      by: 'test',
      pins: [],
    });
    s.app.practiceStore.shiftClock(10_000); // past the cache of rounds that are over
    const after = await c.ok<PracticeInfo>('GET', '');
    expect(after.areas.find((a) => a.area === 'ai')!.questions).toBe(2);
    const session = await c.ok<PracticeSessionView>('POST', '/sessions', { area: 'ai' });
    expect(session.questions.map((q) => q.id).sort()).toEqual(['p2', 'w1']);
  });

  it('limits how many sessions one address starts', async () => {
    const s = await server(mode);
    const c = client(s.url);
    for (let i = 0; i < 30; i++) expect((await c.call('POST', '/sessions', {})).status).toBe(201);
    await c.refused('POST', '/sessions', {}, 429, 'RATE_LIMITED');
  });
});
