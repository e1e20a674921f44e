import { describe, expect, it } from 'vitest';
import type { AttemptView, Registered } from '../../protocol/online';
import type {
  BadgeView,
  EarnedBadge,
  MyBadges,
  PracticeAnswered,
  PracticeSessionView,
  PracticeStats,
} from '../../protocol/practice';
import { createGame, joinPlayer, login, shownChoice, TestClient } from './clients';
import { testServers, type Mode } from './servers';

const server = testServers('badges', 'server/test/practice-contests');
type Body<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

async function call<T>(url: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Body<T>;
  if (!json.ok) throw new Error(`${method} ${path}: ${res.status} ${json.error.code}`);
  return json.data;
}

/** Polls until `check` holds (jobs run after the request that queued them). */
async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (check(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Completes one practice session answering every question with option 0 (or 10 for numbers). */
async function practise(url: string, token?: string, deviceId?: string) {
  const s = await call<PracticeSessionView>(url, 'POST', '/api/practice/luyen/sessions', token, { deviceId });
  for (const q of s.questions)
    await call<PracticeAnswered>(url, 'POST', `/api/practice/luyen/sessions/${s.id}/answers`, undefined, {
      questionId: q.id,
      choice: q.type === 'numeric' ? 10 : q.type === 'multiple' ? [0] : 0,
    });
}

const ids = (earned: EarnedBadge[]) => earned.map((b) => b.id).sort();

describe.each<Mode>(['memory', 'redis'])('badges (%s store)', (mode) => {
  it('an online contestant earns badges from a scored attempt and practice, each once', async () => {
    const s = await server(mode);
    const reg = await call<Registered>(s.url, 'POST', '/api/online/luyen/register', undefined, {
      fullName: 'Trần Thị Bình',
      phone: '0912 345 001',
      group: 'nguoi-dan',
      unit: 'don-vi-a',
      consent: true,
    });
    const me = () => call<MyBadges>(s.url, 'GET', '/api/practice/luyen/badges/me', reg.token);
    expect(await me()).toMatchObject({ earned: [], practiceSessions: 0 });

    const attempt = await call<AttemptView>(s.url, 'POST', '/api/online/luyen/rounds/mo/attempts', reg.token);
    for (const q of attempt.questions) {
      // o3 (safety): option "A" is right; o4 (digital services): answered wrong ("Đúng" when it is false).
      const choice = q.id === 'o3' ? q.options!.indexOf('A') : 0;
      await call(s.url, 'PUT', `/api/online/luyen/attempts/${attempt.id}/answers`, reg.token, {
        questionId: q.id,
        choice,
      });
    }
    await call(s.url, 'POST', `/api/online/luyen/attempts/${attempt.id}/submit`, reg.token);
    const afterAttempt = await eventually(me, (m) => m.earned.length >= 2, 'attempt badges');
    expect(ids(afterAttempt.earned)).toEqual(['an-toan', 'khong-bo-cuoc']);
    expect(afterAttempt.badges.map((b: BadgeView) => b.id)).toEqual([
      'an-toan',
      'khong-bo-cuoc',
      'cham-chi',
      'hieu-ai',
    ]);

    // Two completed practice sessions under the contestant's token.
    await practise(s.url, reg.token);
    await practise(s.url, reg.token);
    const afterPractice = await eventually(me, (m) => m.earned.length >= 3, 'practice badge');
    expect(ids(afterPractice.earned)).toEqual(['an-toan', 'cham-chi', 'khong-bo-cuoc']);
    expect(afterPractice.practiceSessions).toBe(2);

    // A retried job (a new id, as after a crash) awards nothing twice.
    const contestantId = reg.contestant.id;
    await s.app.jobs.enqueue(
      'badges.learner',
      { contestId: 'luyen', subject: `c:${contestantId}` },
      { jobId: 'retry-1' },
    );
    await s.app.jobs.enqueue(
      'badges.learner',
      { contestId: 'luyen', subject: `c:${contestantId}` },
      { jobId: 'retry-2' },
    );
    const token = await login(s.url, s.organiserPassword);
    const stats = await eventually(
      async () =>
        (await (
          await fetch(`${s.url}/api/practice-stats/luyen`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as PracticeStats,
      (st) => st.badges.find((b) => b.id === 'cham-chi')!.holders === 1,
      'stats',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(
      Object.fromEntries(
        (
          (await (
            await fetch(`${s.url}/api/practice-stats/luyen`, { headers: { authorization: `Bearer ${token}` } })
          ).json()) as PracticeStats
        ).badges.map((b) => [b.id, b.holders]),
      ),
    ).toEqual({ 'an-toan': 1, 'khong-bo-cuoc': 1, 'cham-chi': 1, 'hieu-ai': 0 });
    expect(stats.sessions.completed).toBe(2);
    // Public counts for the final screen: no names.
    const counts = await call<(BadgeView & { holders: number })[]>(s.url, 'GET', '/api/practice/luyen/badges');
    expect(counts.map((c) => c.holders)).toEqual([1, 1, 1, 0]);
    expect(JSON.stringify(counts)).not.toContain('Bình');
  });

  it('a phone that practises without registering earns the practice badge on that device only', async () => {
    const s = await server(mode);
    const device = 'phone-device-0001';
    await practise(s.url, undefined, device);
    await practise(s.url, undefined, device);
    const mine = await eventually(
      () => call<MyBadges>(s.url, 'GET', `/api/practice/luyen/badges/me?device=${device}`),
      (m) => m.earned.length > 0,
      'device badge',
    );
    expect(ids(mine.earned)).toEqual(['cham-chi']);
    expect(mine.practiceSessions).toBe(2);
    const other = await call<MyBadges>(s.url, 'GET', '/api/practice/luyen/badges/me?device=another-device-02');
    expect(other).toMatchObject({ earned: [], practiceSessions: 0 });
    const bad = await fetch(`${s.url}/api/practice/luyen/badges/me?device=%3Cscript%3E`);
    expect(bad.status).toBe(400);
    const none = await fetch(`${s.url}/api/practice/luyen/badges/me`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('NOT_REGISTERED');
  });

  it('live players earn badges once the last question is scored; the phone reads its own with its token', async () => {
    const s = await server(mode);
    const token = await login(s.url, s.organiserPassword);
    const game = await createGame(s.url, token, 'luyen', 'khoi-dong');
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin: game.pin, hostToken: game.hostToken });
    const an = await joinPlayer(s.url, game.pin, 'An');
    const binh = await joinPlayer(s.url, game.pin, 'Bình');
    const chi = await joinPlayer(s.url, game.pin, 'Chi');
    await host.ok('host:command', { type: 'start' });
    await an.client.phase('open', 0);
    const record = await s.app.store.getGame(game.pin);
    await an.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(record, 0, 0) }); // right
    await binh.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(record, 0, 1) }); // wrong
    await host.ok('host:command', { type: 'close' }); // Chi never answers
    const mine = (who: { join: { token: string } }) =>
      call<EarnedBadge[]>(s.url, 'GET', `/api/badges/game/${game.pin}`, who.join.token);
    const anBadges = await eventually(
      () => mine(an),
      (b) => b.length === 2,
      'live badges',
    );
    expect(ids(anBadges)).toEqual(['hieu-ai', 'khong-bo-cuoc']);
    expect(ids(await mine(binh))).toEqual(['khong-bo-cuoc']);
    expect(await mine(chi)).toEqual([]);
    const counts = await call<(BadgeView & { holders: number })[]>(s.url, 'GET', `/api/badges/game/${game.pin}/counts`);
    expect(Object.fromEntries(counts.map((c) => [c.id, c.holders]))).toEqual({
      'an-toan': 0,
      'khong-bo-cuoc': 2,
      'cham-chi': 0,
      'hieu-ai': 1,
    });
    const wrong = await fetch(`${s.url}/api/badges/game/${game.pin}`, {
      headers: { authorization: `Bearer ${'x'.repeat(20)}` },
    });
    expect(wrong.status).toBe(401);
    for (const c of [host, an.client, binh.client, chi.client]) c.close();
  });
});
