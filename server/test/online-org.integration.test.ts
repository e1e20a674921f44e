// The organiser side of online rounds over HTTP, on both stores: results entering a lock with prizes (the prediction's
// actual value fixed at close), the public board from its periodic job, qualifiers → invitation codes → a final open
// to invited contestants only, and the suspicious-activity list.
import { describe, expect, it } from 'vitest';
import type { JoinResult } from '../../protocol/events';
import type {
  AttemptView,
  Invitation,
  Me,
  OnlineBoard,
  Registered,
  Submitted,
  SuspiciousReport,
} from '../../protocol/online';
import type { Claim, Dashboard, ResultSet } from '../../protocol/organiser';
import { createGame, login, TestClient } from './clients';
import { testServers, type Mode } from './servers';

const server = testServers('online-org', 'server/test/online-org-contests');
const MIN = 60_000;
const CONTEST = 'thi-org';
/** From the test clock to past the round's close, its 10-minute time limit and the grace. */
const pastFinal = () => Date.parse('2099-12-31T23:59+07:00') - Date.now() + 11 * MIN;

type Body<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** The online routes as a phone uses them, and the organiser routes with a session. */
function clients(url: string, organiserToken: string) {
  const online = async <T>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${url}/api/online/${CONTEST}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Body<T>;
    if (!json.ok) throw new Error(`${method} ${path}: ${res.status} ${json.error.code}`);
    return json.data;
  };
  const organiser = async (method: string, path: string, body?: unknown) =>
    fetch(`${url}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${organiserToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { online, organiser };
}

let phoneSeq = 100;
/** Registers, takes the qualifying round's one attempt with the given answers (by option text), submits. */
async function contestant(
  api: ReturnType<typeof clients>,
  who: {
    name: string;
    group: string;
    unit: string;
    q1: string;
    q2: 'Đúng' | 'Sai';
    guess: number;
    takesMs?: number;
    gapMs?: number;
    deviceId?: string;
  },
  headers: Record<string, string> = {},
  clock?: { shiftClock(ms: number): void },
) {
  const reg = await api.online<Registered>(
    'POST',
    '/register',
    undefined,
    {
      fullName: who.name,
      phone: `0912 345 ${phoneSeq++}`,
      group: who.group,
      unit: who.unit,
      consent: true,
      ...(who.deviceId ? { deviceId: who.deviceId } : {}),
    },
    headers,
  );
  const attempt = await api.online<AttemptView>('POST', '/rounds/vong-loai/attempts', reg.token);
  const pick = (id: string, text: string) => attempt.questions.find((q) => q.id === id)!.options!.indexOf(text);
  const save = async (questionId: string, choice: number) => {
    if (who.gapMs) clock?.shiftClock(who.gapMs);
    await api.online('PUT', `/attempts/${attempt.id}/answers`, reg.token, { questionId, choice });
  };
  await save('q1', pick('q1', who.q1));
  await save('q2', pick('q2', who.q2));
  await save('q-du-doan', who.guess);
  if (who.takesMs) clock?.shiftClock(who.takesMs);
  await api.online<Submitted>('POST', `/attempts/${attempt.id}/submit`, reg.token);
  await api.online('GET', `/attempts/${attempt.id}/result`, reg.token);
  return { ...reg, attemptId: attempt.id, name: who.name };
}

describe.each<Mode>(['memory', 'redis'])('organiser side of online rounds (%s store)', (mode) => {
  it('online results enter a lock with prizes, claims, exports and the dashboard; the prediction actual is fixed at close', async () => {
    const s = await server(mode);
    const api = clients(s.url, await login(s.url, s.organiserPassword));
    // Time alone ranks D, B, A; the prediction (actual: 3 answered everything right) comes first and ranks A, B, D.
    const clock = s.app.onlineStore;
    const d = await contestant(api, {
      name: 'Dương Văn D',
      group: 'hoc-sinh',
      unit: 'don-vi-b',
      q1: 'B',
      q2: 'Đúng',
      guess: 10,
    });
    const c = await contestant(api, {
      name: 'Cao Thị C',
      group: 'hoc-sinh',
      unit: 'don-vi-b',
      q1: 'B',
      q2: 'Sai',
      guess: 3,
    });
    const b = await contestant(
      api,
      { name: 'Bùi Văn B', group: 'nguoi-dan', unit: 'don-vi-a', q1: 'B', q2: 'Đúng', guess: 1, takesMs: MIN },
      {},
      clock,
    );
    const a = await contestant(
      api,
      { name: 'An Thị A', group: 'nguoi-dan', unit: 'don-vi-a', q1: 'B', q2: 'Đúng', guess: 3, takesMs: 2 * MIN },
      {},
      clock,
    );

    // While the round is open: live rows without the prediction, and no lock.
    const open = (await (await api.organiser('GET', `/results/round/${CONTEST}/vong-loai`)).json()) as ResultSet;
    expect(open.overall.map((e) => e.nickname)).toEqual(['Dương Văn D', 'Bùi Văn B', 'An Thị A', 'Cao Thị C']);
    expect(open.overall.every((e) => e.predictionError === null)).toBe(true);
    const early = await api.organiser('POST', `/results/round/${CONTEST}/vong-loai/lock`, {});
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe('ROUND_NOT_CLOSED');
    expect(await s.app.onlineStore.getValue(CONTEST, 'r:vong-loai:prediction')).toBeNull();

    // Past the close (and the last possible attempt's deadline): the lock fixes the prediction's actual value.
    s.app.onlineStore.shiftClock(pastFinal());
    const lockRes = await api.organiser('POST', `/results/round/${CONTEST}/vong-loai/lock`, {});
    expect(lockRes.status).toBe(200);
    const locked = (await lockRes.json()) as ResultSet;
    expect(await s.app.onlineStore.getValue(CONTEST, 'r:vong-loai:prediction')).toBe('3');
    expect(locked.overall.map((e) => [e.nickname, e.correct, e.predictionError, e.rank])).toEqual([
      ['An Thị A', 2, 0, 1],
      ['Bùi Văn B', 2, 2, 2],
      ['Dương Văn D', 2, 7, 3],
      ['Cao Thị C', 1, 0, 4],
    ]);
    expect(locked.overall.map((e) => e.contestantId)).toEqual([
      a.contestant.id,
      b.contestant.id,
      d.contestant.id,
      c.contestant.id,
    ]);
    expect(locked.lock?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Prizes: one per person; the group prize of nguoi-dan finds nobody left, hoc-sinh's goes to D; unit A (average 2).
    expect(locked.prizeScope.namesPrizes).toBe(true);
    expect(locked.winners.map((w) => `${w.scope}|${w.group ?? ''}|${w.tier}|${w.nickname ?? w.unit}`).sort()).toEqual(
      [
        'collective||tap-the|don-vi-a',
        'group|hoc-sinh|nhom|Dương Văn D',
        'individual||nhat|An Thị A',
        'individual||nhi|Bùi Văn B',
      ].sort(),
    );
    expect(locked.units.find((u) => u.unit === 'don-vi-a')).toMatchObject({
      participants: 2,
      headcount: 4,
      participationRate: 0.5,
    });
    // Knowledge gaps per competence area: q1 (safety) 4/4, q2 (information-data) 3/4.
    expect(locked.questions.map((q) => [q.questionId, q.area, q.answered, q.correct])).toEqual([
      ['q1', 'safety', 4, 4],
      ['q2', 'information-data', 4, 3],
    ]);

    // Claims were issued to the individual and group winners, once; a second lock (the contest) issues none again.
    const claims = (await (await api.organiser('GET', '/claims')).json()) as Claim[];
    expect(claims.map((cl) => cl.nickname).sort()).toEqual(['An Thị A', 'Bùi Văn B', 'Dương Văn D']);
    expect((await api.organiser('POST', `/results/contest/${CONTEST}/lock`, {})).status).toBe(200);
    expect(((await (await api.organiser('GET', '/claims')).json()) as Claim[]).length).toBe(3);

    // Exports and the dashboard read the same rows.
    const csv = await (await api.organiser('GET', `/results/round/${CONTEST}/vong-loai/results.csv`)).text();
    expect(csv).toContain('An Thị A');
    expect(csv).toContain(`online:${CONTEST}:vong-loai`);
    const answers = await (await api.organiser('GET', `/results/round/${CONTEST}/vong-loai/answers.csv`)).text();
    expect(answers.split('\n').filter((l) => l.startsWith(`online:${CONTEST}:vong-loai,`)).length).toBe(8);
    const dashboard = (await (await api.organiser('GET', `/dashboard/${CONTEST}`)).json()) as Dashboard;
    expect(dashboard.contestants.total).toBe(4);
    expect(dashboard.rounds).toEqual([
      expect.objectContaining({ roundId: 'vong-loai', players: 4, answered: 8, correct: 7 }),
    ]);
    expect(dashboard.areas).toContainEqual(
      expect.objectContaining({ area: 'information-data', group: 'hoc-sinh', answered: 2, correct: 1 }),
    );
    const report = await api.organiser('GET', `/report/${CONTEST}.xlsx`);
    expect(report.status).toBe(200);
  });

  it('the public board is a snapshot from the periodic job: counts, masked top names, units by participants and rate, groups', async () => {
    const s = await server(mode);
    const api = clients(s.url, await login(s.url, s.organiserPassword));
    await contestant(api, { name: 'An Thị A', group: 'nguoi-dan', unit: 'don-vi-a', q1: 'B', q2: 'Đúng', guess: 3 });
    await contestant(api, { name: 'Bùi Văn B', group: 'nguoi-dan', unit: 'don-vi-a', q1: 'A', q2: 'Đúng', guess: 3 });
    await contestant(
      api,
      { name: 'Cao Thị C', group: 'hoc-sinh', unit: 'don-vi-b', q1: 'B', q2: 'Đúng', guess: 3, takesMs: MIN },
      {},
      s.app.onlineStore,
    );
    await s.app.boards.tick();
    // One node holds the lease: another holder is refused until it expires.
    expect(await s.app.onlineStore.lease(CONTEST, 'board', 'another-node', 1000)).toBe(false);
    const res = await fetch(`${s.url}/api/online/${CONTEST}/board`);
    expect(res.status).toBe(200);
    const board = ((await res.json()) as { data: OnlineBoard }).data;
    expect(board).toMatchObject({ contestId: CONTEST, maskNames: true, registrations: 3 });
    const round = board.rounds.find((r) => r.roundId === 'vong-loai')!;
    expect(round).toMatchObject({ status: 'open', participants: 3, attempts: 3 });
    expect(round.top.map((t) => [t.rank, t.name, t.correct])).toEqual([
      [1, 'A* T** A*', 2],
      [2, 'C** T** C*', 2],
      [3, 'B** V** B*', 1],
    ]);
    expect(JSON.stringify(board)).not.toContain('An Thị');
    expect(round.unitsByParticipants.map((u) => [u.unit, u.participants])).toEqual([
      ['don-vi-a', 2],
      ['don-vi-b', 1],
    ]);
    expect(round.unitsByRate.map((u) => [u.unit, u.participationRate])).toEqual([
      ['don-vi-a', 0.5],
      ['don-vi-b', 0.1],
    ]);
    expect(round.groups.filter((g) => g.participants)).toEqual([
      { group: 'hoc-sinh', participants: 1, attempts: 1 },
      { group: 'nguoi-dan', participants: 2, attempts: 2 },
    ]);
    // An unknown contest has no board.
    expect((await fetch(`${s.url}/api/online/khong-co/board`)).status).toBe(404);
  });

  it('qualifiers of the locked round get invitation codes; the invited final admits each code once, as that contestant', async () => {
    const s = await server(mode);
    const api = clients(s.url, await login(s.url, s.organiserPassword));
    const clock = s.app.onlineStore;
    const d = await contestant(api, {
      name: 'Dương Văn D',
      group: 'hoc-sinh',
      unit: 'don-vi-b',
      q1: 'B',
      q2: 'Đúng',
      guess: 10,
    });
    const c = await contestant(api, {
      name: 'Cao Thị C',
      group: 'hoc-sinh',
      unit: 'don-vi-b',
      q1: 'B',
      q2: 'Sai',
      guess: 3,
    });
    const b = await contestant(
      api,
      { name: 'Bùi Văn B', group: 'nguoi-dan', unit: 'don-vi-a', q1: 'B', q2: 'Đúng', guess: 1, takesMs: MIN },
      {},
      clock,
    );
    const a = await contestant(
      api,
      { name: 'An Thị A', group: 'nguoi-dan', unit: 'don-vi-a', q1: 'B', q2: 'Đúng', guess: 3, takesMs: 2 * MIN },
      {},
      clock,
    );
    const issue = () => api.organiser('POST', `/qualifiers/${CONTEST}/vong-loai`);
    // Not before the lock: qualifiers come from locked results.
    const early = await issue();
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe('WRONG_PHASE');
    clock.shiftClock(pastFinal());
    expect((await api.organiser('POST', `/results/round/${CONTEST}/vong-loai/lock`, {})).status).toBe(200);

    // Top 2 overall (A, B) and the top of each group (nguoi-dan: A already; hoc-sinh: D).
    const issued = (await (await issue()).json()) as Invitation[];
    expect(issued.map((i) => [i.fullName, i.via, i.rank])).toEqual([
      ['An Thị A', 'overall', 1],
      ['Bùi Văn B', 'overall', 2],
      ['Dương Văn D', 'group', 1],
    ]);
    expect(issued.map((i) => i.contestantId)).toEqual([a.contestant.id, b.contestant.id, d.contestant.id]);
    // Issuing again gives the same codes; the export lists them; the contestant sees theirs, a non-qualifier none.
    expect(((await (await issue()).json()) as Invitation[]).map((i) => i.code)).toEqual(issued.map((i) => i.code));
    const csv = await (await api.organiser('GET', `/qualifiers/${CONTEST}/vong-loai/invitations.csv`)).text();
    for (const i of issued) expect(csv).toContain(i.code);
    const audit = (await (await api.organiser('GET', '/audit')).json()) as {
      entries: { action: string; outcome: string }[];
    };
    expect(audit.entries.filter((e) => e.action === 'qualifiers.issued').map((e) => e.outcome)).toEqual([
      'WRONG_PHASE',
      'ok',
      'ok',
    ]);
    expect((await api.online<Me>('GET', '/me', a.token)).invitations.map((i) => i.code)).toEqual([issued[0]!.code]);
    expect((await api.online<Me>('GET', '/me', c.token)).invitations).toEqual([]);

    // The final admits invited contestants only, each code once.
    const game = await createGame(s.url, await login(s.url, s.organiserPassword), CONTEST, 'chung-ket');
    const phone = await new TestClient(s.url, '/play').connected();
    const join = (invitation?: string) =>
      phone.emit<JoinResult>('player:join', {
        pin: game.pin,
        nickname: `Người ${Math.random()}`.slice(0, 20),
        group: 'can-bo',
        consent: true,
        ...(invitation !== undefined ? { invitation } : {}),
      });
    const code = (r: Awaited<ReturnType<typeof join>>) => (r.ok ? 'ok' : r.error.code);
    expect(code(await join())).toBe('INVITATION_REQUIRED');
    expect(code(await join('ZZZZZZZZ'))).toBe('INVITATION_REQUIRED');
    const spaced = `${issued[0]!.code.slice(0, 4).toLowerCase()} ${issued[0]!.code.slice(4)}`;
    const admitted = await join(spaced);
    expect(code(admitted)).toBe('ok');
    const other = await new TestClient(s.url, '/play').connected();
    const again = await other.emit('player:join', {
      pin: game.pin,
      nickname: 'Kẻ khác',
      group: 'can-bo',
      consent: true,
      invitation: issued[0]!.code,
    });
    expect(again.ok ? 'ok' : again.error.code).toBe('INVITATION_USED');
    // The player is that contestant: registered group and unit, and the result row carries the same contestant id.
    const rows = (await (await api.organiser('GET', `/results/game/${game.pin}`)).json()) as ResultSet;
    expect(rows.overall.map((e) => [e.contestantId, e.group, e.unit])).toEqual([
      [a.contestant.id, 'nguoi-dan', 'don-vi-a'],
    ]);
    phone.close();
    other.close();
  });

  it('lists shared devices and addresses, implausibly fast attempts and identical answer vectors for review', async () => {
    const s = await server(mode);
    const api = clients(s.url, await login(s.url, s.organiserPassword));
    const clock = s.app.onlineStore;
    const device = 'thiet-bi-chung-01';
    // Three from one device, answering alike (q1 wrong, q2 right) within milliseconds.
    for (const name of ['Một Một', 'Hai Hai', 'Ba Ba'])
      await contestant(api, {
        name,
        group: 'nguoi-dan',
        unit: 'don-vi-a',
        q1: 'A',
        q2: 'Đúng',
        guess: 1,
        deviceId: device,
      });
    // One who takes 5 s per question, and one perfect (perfect attempts all look alike: never listed as copies).
    await contestant(
      api,
      {
        name: 'Chậm Rãi',
        group: 'can-bo',
        unit: 'don-vi-b',
        q1: 'A',
        q2: 'Đúng',
        guess: 1,
        gapMs: 5000,
        deviceId: 'thiet-bi-rieng-02',
      },
      {},
      clock,
    );
    await contestant(
      api,
      { name: 'Giỏi Giang', group: 'can-bo', unit: 'don-vi-b', q1: 'B', q2: 'Đúng', guess: 1, gapMs: 5000 },
      {},
      clock,
    );
    const res = await api.organiser('GET', `/online-review/${CONTEST}/suspicious?minRegistrations=3`);
    const report = (await res.json()) as SuspiciousReport;
    expect([res.status, report]).toMatchObject([200, { contestId: CONTEST }]);
    const names = (list: { fullName: string }[]) => list.map((c) => c.fullName).sort();
    // The shared device; every test phone also shares the one test address (127.0.0.1).
    const byKind = Object.fromEntries(report.sharedOrigins.map((o) => [o.kind, names(o.contestants)]));
    expect(byKind.device).toEqual(['Ba Ba', 'Hai Hai', 'Một Một']);
    expect(byKind.address).toHaveLength(5);
    expect(JSON.stringify(report)).not.toContain(device);
    expect(JSON.stringify(report)).not.toMatch(/\+84|0912345/);
    expect(names(report.fastAttempts.map((f) => f.contestant))).toEqual(['Ba Ba', 'Hai Hai', 'Một Một']);
    expect(report.fastAttempts.every((f) => f.medianMsPerQuestion < 2000 && f.answered === 3)).toBe(true);
    // Same questions, same wrong answer: the three from the device and the slow one (four alike); the perfect one is not listed.
    expect(report.sameAnswers.map((g) => names(g.contestants))).toEqual([['Ba Ba', 'Chậm Rãi', 'Hai Hai', 'Một Một']]);
    // Bad thresholds are refused.
    expect((await api.organiser('GET', `/online-review/${CONTEST}/suspicious?minRegistrations=1`)).status).toBe(400);
  });
});
