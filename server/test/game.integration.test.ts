import { describe, expect, it } from 'vitest';
import type { PhaseView, JoinResult, ScreenSnapshot } from '../../protocol/events';
import type { ResultRow } from '../../protocol/http';
import { createGame, joinPlayer, login, shownChoice, TestClient, waitUntil } from './clients';
import { testServers, type Mode } from './servers';

const CONTESTS = 'server/test/contests';
// What each question's answers look like: a correct and a wrong choice.
const CHOICES = [
  { correct: 2, wrong: 0 }, // single
  { correct: [0, 2], wrong: [0] }, // multiple
  { correct: 1, wrong: 0 }, // true/false: false is index 1
  { correct: 42, wrong: 10 }, // numeric
  { correct: 0, wrong: 1 }, // poll
];
const EXPLANATIONS = ['GIAI-THICH-SINGLE', 'GIAI-THICH-MULTIPLE', 'GIAI-THICH-TF', 'GIAI-THICH-NUMERIC'];

const start = testServers('game', CONTESTS);

async function server(mode: Mode) {
  const s = await start(mode);
  const token = await login(s.url, s.organiserPassword);
  return { ...s, token };
}

async function hostFor(url: string, pin: string, hostToken: string) {
  const host = await new TestClient(url, '/host').connected();
  await host.ok('host:attach', { pin, hostToken });
  return host;
}

describe.each<Mode>(['memory', 'redis'])('a full game with 20 players (%s store)', (mode) => {
  it.each(['toc-do', 'chinh-xac'])(
    'round %s: every player gets every question and result; scores add up; no early correct answer',
    async (roundId) => {
      const { url, token, app } = await server(mode);
      const { pin, hostToken, joinUrl } = await createGame(url, token, 'quick', roundId);
      const game = await app.store.getGame(pin);
      const host = await hostFor(url, pin, hostToken);
      const screen = await new TestClient(url, '/screen').connected();
      const snapshot = await screen.ok<ScreenSnapshot>('screen:attach', { pin });
      // The projector's QR carries the server's join link, whichever address the projector page was opened on.
      expect(snapshot).toMatchObject({ joinUrl, answered: 0, state: { phase: 'lobby', pin } });
      screen.states.push(snapshot.state);
      const players = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          joinPlayer(url, pin, `Người chơi ${i + 1}`, {
            unit: i % 2 ? 'don-vi-a' : 'don-vi-b',
            group: i % 3 ? 'nguoi-dan' : 'hoc-sinh',
          }),
        ),
      );
      const total = roundId === 'toc-do' ? 5 : 4;
      const expectedCorrect = new Map<string, number>();

      await host.ok('host:command', { type: 'start' });
      for (let q = 0; q < total; q++) {
        await Promise.all(players.map((p) => p.client.phase('open', q)));
        // Player i answers correctly when (i + q) is even; everyone answers, so the question closes at once.
        await Promise.all(
          players.map(async (p, i) => {
            const right = (i + q) % 2 === 0;
            const choice = shownChoice(game, q, right ? CHOICES[q]!.correct : CHOICES[q]!.wrong);
            const ack = await p.client.emit('answer:submit', { questionIndex: q, choice });
            expect(ack.ok ? 'ok' : `q${q} ${ack.error.code} ${ack.error.message}`).toBe('ok');
            if (right && q < 4)
              expectedCorrect.set(p.join.me.playerId, (expectedCorrect.get(p.join.me.playerId) ?? 0) + 1);
          }),
        );
        await Promise.all(
          players.map((p) => waitUntil(() => p.client.results.some((r) => r.questionIndex === q), `result ${q}`)),
        );
        const reveal = await screen.phase('reveal', q);
        if (reveal.phase === 'reveal' && q < 4) {
          expect(reveal.reveal.answered).toBe(20);
          expect(reveal.reveal.correctCount).toBe(10);
          expect(reveal.reveal.explanation).toBe(EXPLANATIONS[q]);
        }
        await host.ok('host:command', { type: 'next' });
        // After a poll no score moved: the projector goes straight on, without a leaderboard.
        if (game!.questions[q]!.type === 'poll') continue;
        await screen.phase('leaderboard', q);
        await host.ok('host:command', { type: 'next' });
      }
      await host.phase('podium');
      const boards = screen.states.filter((v) => v.phase === 'leaderboard').map((v) => v.index);
      expect(boards).toEqual(
        game!.questions.flatMap((question, i) => (question.type === 'poll' ? [] : [i])).filter((i) => i < total),
      );
      await host.ok('host:command', { type: 'next' });
      await Promise.all(players.map((p) => p.client.phase('ended')));

      // Every packet any phone or the screen received: only a reveal may carry a correct answer or explanation.
      let scanned = 0;
      for (const c of [screen, ...players.map((p) => p.client)]) {
        for (const packet of c.raw) {
          scanned++;
          if (EXPLANATIONS.some((e) => packet.includes(e)) || packet.includes('correctOptions'))
            expect(packet).toMatch(/"phase":"reveal"/);
          if (/"phase":"(open|closed|lobby)"/.test(packet))
            expect(packet).not.toMatch(/"correctOptions"|"answer"|"explanation"/);
        }
      }
      expect(scanned).toBeGreaterThan(21 * total * 3);

      // Final results agree with the personal results every phone received.
      const res = await fetch(`${url}/api/games/${pin}/results.json`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const rows = (await res.json()) as ResultRow[];
      expect(rows).toHaveLength(20);
      for (const p of players) {
        const row = rows.find((r) => r.playerId === p.join.me.playerId)!;
        expect(p.client.results.map((r) => r.questionIndex)).toEqual([...Array(total).keys()]);
        const gained = p.client.results.reduce((sum, r) => sum + r.pointsGained, 0);
        expect(row.score).toBe(gained);
        expect(p.client.results.at(-1)!.standing.score).toBe(row.score);
        expect(row.correct).toBe(expectedCorrect.get(p.join.me.playerId) ?? 0);
        if (roundId === 'chinh-xac') expect(row.score).toBe(row.correct * 1000);
      }
      // Ranks are 1..20 by the round's order.
      const key = roundId === 'toc-do' ? 'score' : 'correct';
      for (let i = 1; i < rows.length; i++) expect(rows[i]![key]).toBeLessThanOrEqual(rows[i - 1]![key]);
      const csvRes = await fetch(`${url}/api/games/${pin}/results.csv`, {
        headers: { authorization: `Bearer ${hostToken}` },
      });
      expect(csvRes.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const csvBytes = Buffer.from(await csvRes.arrayBuffer());
      expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for Excel
      const csv = csvBytes.toString('utf8');
      expect(csv).toContain('Người chơi 1');
      for (const c of [host, screen, ...players.map((p) => p.client)]) c.close();
    },
  );
});

describe.each<Mode>(['memory', 'redis'])('answers and reconnects (%s store)', (mode) => {
  it('a reload mid-question keeps the score and lets the player answer; a duplicate answer counts once; a late answer is refused', async () => {
    const { url, token, app } = await server(mode);
    const { pin, hostToken } = await createGame(url, token, 'quick', 'toc-do');
    const game = await app.store.getGame(pin);
    const host = await hostFor(url, pin, hostToken);
    const a = await joinPlayer(url, pin, 'An');
    const b = await joinPlayer(url, pin, 'Bình');
    const c = await joinPlayer(url, pin, 'Chi');
    await host.ok('host:command', { type: 'start' });
    await a.client.phase('open', 0);
    expect((await a.client.emit('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 2) })).ok).toBe(true);
    const dup = await a.client.emit('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 0) });
    expect(dup).toMatchObject({ ok: false, error: { code: 'ALREADY_ANSWERED' } });
    await b.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 2) });
    await host.ok('host:command', { type: 'close' }); // Chi does not answer
    await a.client.phase('reveal', 0);
    const late = await c.client.emit('answer:submit', { questionIndex: 0, choice: 2 });
    expect(late.ok).toBe(false);
    if (!late.ok) expect(['TOO_LATE', 'WRONG_PHASE']).toContain(late.error.code);
    await waitUntil(() => a.client.results.length > 0, 'personal result of question 0');
    const scoreA = a.client.results[0]!.standing.score;
    expect(scoreA).toBeGreaterThan(0);
    await host.ok('host:command', { type: 'next' });
    await host.ok('host:command', { type: 'next' });
    await a.client.phase('open', 1);

    // Reload: a new connection resumes with the token, still in the open question, unanswered.
    a.client.close();
    const again = await new TestClient(url, '/play').connected();
    const resumed = await again.ok<JoinResult>('player:resume', { pin, token: a.join.token });
    expect(resumed.me.score).toBe(scoreA);
    expect(resumed.me.playerId).toBe(a.join.me.playerId);
    expect(resumed.state.phase).toBe('open');
    expect(resumed.answered).toBe(false);
    if (resumed.state.phase === 'open') expect(resumed.state.remainingMs).toBeGreaterThan(0);
    await again.ok('answer:submit', { questionIndex: 1, choice: shownChoice(game, 1, [0, 2]) });
    const bad = await again.emit('player:resume', { pin, token: 'x'.repeat(32) });
    expect(bad).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });
    // Resuming after answering reports it.
    const third = await new TestClient(url, '/play').connected();
    expect((await third.ok<JoinResult>('player:resume', { pin, token: a.join.token })).answered).toBe(true);
    await host.ok('host:command', { type: 'close' });
    await waitUntil(
      () => again.results.some((r) => r.questionIndex === 1) || third.results.some((r) => r.questionIndex === 1),
      'result after resume',
    );
    const r1 = [...again.results, ...third.results].find((r) => r.questionIndex === 1)!;
    expect(r1.correct).toBe(true);
    expect(r1.standing.score).toBe(scoreA + r1.pointsGained);
    expect(r1.streakBonus).toBe(100);
    for (const x of [host, again, third, b.client, c.client]) x.close();
  });

  it('closes a question on its deadline, pauses and adds time, kicks and locks', async () => {
    const { url, token } = await server(mode);
    const { pin, hostToken } = await createGame(url, token, 'quick', 'toc-do');
    const host = await hostFor(url, pin, hostToken);
    const a = await joinPlayer(url, pin, 'An');
    const b = await joinPlayer(url, pin, 'Bảo');
    await host.ok('host:command', { type: 'lock' });
    const locked = await new TestClient(url, '/play').connected();
    expect(
      await locked.emit('player:join', { pin, nickname: 'Muộn', group: 'nguoi-dan', consent: true }),
    ).toMatchObject({ ok: false, error: { code: 'LOBBY_LOCKED' } });
    await host.ok('host:command', { type: 'unlock' });
    expect(await locked.emit('player:join', { pin, nickname: 'an', group: 'nguoi-dan', consent: true })).toMatchObject({
      ok: false,
      error: { code: 'NICKNAME_TAKEN' },
    });

    const kicked = new Promise<void>((r) => b.client.socket.once('player:kicked', () => r()));
    await host.ok('host:command', { type: 'kick', playerId: b.join.me.playerId });
    await kicked;
    expect(
      await new TestClient(url, '/play').connected().then((c) => c.emit('player:resume', { pin, token: b.join.token })),
    ).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });

    const started = Date.now();
    await host.ok('host:command', { type: 'start' });
    await a.client.phase('open', 0);
    const paused = await host.ok<PhaseView>('host:command', { type: 'pause' });
    expect(paused.phase === 'open' && paused.paused && paused.deadline === null).toBe(true);
    expect(await a.client.emit('answer:submit', { questionIndex: 0, choice: 1 })).toMatchObject({
      ok: false,
      error: { code: 'PAUSED' },
    });
    await new Promise((r) => setTimeout(r, 500));
    await host.ok('host:command', { type: 'resume' });
    const extended = await host.ok<PhaseView>('host:command', { type: 'add-time', seconds: 1 });
    expect(extended.phase === 'open' && extended.remainingMs).toBeGreaterThan(5000);
    // Nobody answers: the deadline job closes it (5 s + 1 s added + 0.5 s paused + grace).
    await a.client.phase('reveal', 0, 10_000);
    const took = Date.now() - started;
    expect(took).toBeGreaterThan(6500);
    expect(took).toBeLessThan(9500); // margin for a loaded machine; the close job runs at 6.8 s
    // The personal result follows the reveal view by a few ms (read after the broadcast): wait for it.
    await waitUntil(() => a.client.results.length > 0, 'personal result of question 0');
    expect(a.client.results[0]).toMatchObject({ answered: false, pointsGained: 0 });
    const ended = await host.ok<PhaseView>('host:command', { type: 'end' });
    expect(ended.phase).toBe('ended');
    expect(await host.emit('host:command', { type: 'next' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PHASE' },
    });
    for (const x of [host, a.client, locked]) x.close();
  }, 20_000);

  it('a deadline close that runs before the deadline queues one for the deadline that stands', async () => {
    const { url, token, app } = await server(mode);
    const { pin, hostToken } = await createGame(url, token, 'quick', 'toc-do');
    const host = await hostFor(url, pin, hostToken);
    const player = await joinPlayer(url, pin, 'Sớm');
    await host.ok('host:command', { type: 'start' });
    const open = await player.client.phase('open', 0);
    const queued: { jobId: string; delayMs?: number }[] = [];
    const enqueue = app.jobs.enqueue.bind(app.jobs);
    app.jobs.enqueue = (name, data, opts) => {
      if (name === 'question.close') queued.push(opts);
      return enqueue(name, data, opts);
    };
    try {
      // As a timer or another node's clock firing early would: refused, the question still open.
      await app.games.processors['question.close']({ pin, index: 0, reason: 'deadline' });
    } finally {
      app.jobs.enqueue = enqueue;
    }
    expect((await app.store.getState(pin))?.phase).toBe('open');
    const deadline = open.phase === 'open' ? open.deadline : null;
    expect(queued).toHaveLength(1);
    expect(queued[0]!.jobId).toMatch(new RegExp(`^close-${pin}-0-${deadline}-after-\\d+$`));
    expect(queued[0]!.delayMs).toBeGreaterThan(0);
    await player.client.phase('reveal', 0, 15_000);
    for (const x of [host, player.client]) x.close();
  });

  it('scores a question once however often the scoring job runs', async () => {
    const { url, token, app } = await server(mode);
    const { pin, hostToken } = await createGame(url, token, 'quick', 'toc-do');
    const host = await hostFor(url, pin, hostToken);
    const players = await Promise.all(['A', 'B', 'C'].map((n) => joinPlayer(url, pin, n)));
    await host.ok('host:command', { type: 'start' });
    await players[0]!.client.phase('open', 0);
    const game = await app.store.getGame(pin);
    await Promise.all(
      players.map((p) => p.client.ok('answer:submit', { questionIndex: 0, choice: shownChoice(game, 0, 2) })),
    );
    await players[0]!.client.phase('reveal', 0);
    const before = await app.games.results(pin);
    // Duplicated and concurrent reruns, as a retried or duplicated job would do.
    await Promise.all([
      app.games.scoreQuestion(pin, 0),
      app.games.scoreQuestion(pin, 0),
      app.games.scoreQuestion(pin, 0),
    ]);
    await app.jobs.enqueue('question.score', { pin, index: 0 }, { jobId: `score-${pin}-0-again` });
    await new Promise((r) => setTimeout(r, 300));
    expect(await app.games.results(pin)).toEqual(before);
    expect(before.every((r) => r.score > 0 && r.correct === 1)).toBe(true);
    for (const x of [host, ...players.map((p) => p.client)]) x.close();
  });
});

describe('protocol safety', () => {
  it('refuses malformed payloads, unknown events, host commands from phones and huge messages, and keeps serving', async () => {
    const { url, token } = await server('memory');
    const { pin, hostToken } = await createGame(url, token, 'quick', 'dai');
    const host = await hostFor(url, pin, hostToken);
    const good = await joinPlayer(url, pin, 'Tốt');
    const evil = await new TestClient(url, '/play').connected();
    const cases: [string, unknown, string][] = [
      ['player:join', 'not an object', 'BAD_REQUEST'],
      ['player:join', { pin: 123456, nickname: 'x', group: 'nguoi-dan', consent: true }, 'BAD_REQUEST'],
      ['player:join', { pin, nickname: 'x'.repeat(100_000), group: 'nguoi-dan', consent: true }, 'BAD_REQUEST'],
      ['player:join', { pin, nickname: 'Ok', group: 'hacker', consent: true }, 'BAD_REQUEST'],
      ['player:join', { pin, nickname: 'Ok', group: 'nguoi-dan', consent: false }, 'BAD_REQUEST'],
      ['player:join', { pin, nickname: 'đụ má', group: 'nguoi-dan', consent: true }, 'NICKNAME_REJECTED'],
      ['player:join', { pin, nickname: 'Ok', group: 'nguoi-dan', unit: 'khong-co', consent: true }, 'UNIT_UNKNOWN'],
      ['answer:submit', { questionIndex: 0, choice: 1 }, 'NOT_JOINED'],
      ['answer:submit', { questionIndex: 'zero', choice: { $gt: 1 } }, 'BAD_REQUEST'],
      ['host:command', { type: 'start' }, 'UNKNOWN_EVENT'],
      ['host:attach', { pin, hostToken }, 'UNKNOWN_EVENT'],
      ['__proto__', {}, 'UNKNOWN_EVENT'],
    ];
    for (const [event, payload, code] of cases) {
      // A fresh connection per case: the per-socket join limit is not what this checks.
      const client = await new TestClient(url, '/play').connected();
      const ack = await client.emit(event, payload);
      client.close();
      expect(ack, `${event} ${JSON.stringify(payload).slice(0, 80)}`).toMatchObject({ ok: false, error: { code } });
    }
    // A contestant holding a wrong host token cannot take the host role.
    const fakeHost = await new TestClient(url, '/host').connected();
    expect(await fakeHost.emit('host:attach', { pin, hostToken: 'A'.repeat(32) })).toMatchObject({
      ok: false,
      error: { code: 'NOT_AUTHORISED' },
    });
    expect(await fakeHost.emit('host:command', { type: 'start' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_AUTHORISED' },
    });

    // Wrong choices for the question's type.
    await host.ok('host:command', { type: 'start' });
    await good.client.phase('open', 0);
    for (const choice of [7, -1, 1.5, [0, 1]]) {
      expect(await good.client.emit('answer:submit', { questionIndex: 0, choice })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_CHOICE' },
      });
    }
    expect(await good.client.emit('answer:submit', { questionIndex: 1, choice: 0 })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_QUESTION' },
    });

    // A 2 MB message closes that connection only.
    const disconnected = new Promise<string>((r) => evil.socket.once('disconnect', (reason) => r(reason)));
    evil.socket.emit('player:join', { pin, nickname: 'y'.repeat(2 * 1024 * 1024), group: 'nguoi-dan', consent: true });
    expect(await disconnected).toBeTruthy();
    // Rate limit: a burst of answers gets RATE_LIMITED, not processed.
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => good.client.emit('answer:submit', { questionIndex: 0, choice: 2 })),
    );
    const codes = burst.map((a) => (a.ok ? 'OK' : a.error.code));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes).toContain('RATE_LIMITED');
    // The server still serves everyone else.
    const later = await joinPlayer(url, pin, 'Sau đó');
    expect(later.join.state.index).toBe(0);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/cds_answers_total\{outcome="accepted"\} 1/);
    expect(metrics).toMatch(/cds_rejected_requests_total\{code="UNKNOWN_EVENT"\} 3/);
    for (const x of [host, good.client, fakeHost, later.client]) x.close();
  });

  it('guards the organiser API', async () => {
    const { url, token } = await server('memory');
    const post = (path: string, body: unknown, auth?: string) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
        body: JSON.stringify(body),
      });
    expect((await post('/api/login', { username: 'admin', password: 'wrong-password' })).status).toBe(401);
    expect((await post('/api/login', { username: 'admin' })).status).toBe(400);
    expect((await post('/api/games', { contestId: 'quick', roundId: 'toc-do' })).status).toBe(401);
    expect((await post('/api/games', { contestId: 'quick', roundId: 'toc-do' }, 'A'.repeat(32))).status).toBe(401);
    expect((await post('/api/games', { contestId: '../etc', roundId: 'x' }, token)).status).toBe(400);
    expect((await post('/api/games', { contestId: 'quick', roundId: 'nope' }, token)).status).toBe(404);
    const selfPaced = await post('/api/games', { contestId: 'quick', roundId: 'truc-tuyen' }, token);
    expect(selfPaced.status).toBe(400);
    expect(await selfPaced.json()).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('self-paced') },
    });
    const created = await post('/api/games', { contestId: 'quick', roundId: 'toc-do' }, token);
    expect(created.status).toBe(201);
    const { pin } = (await created.json()) as { pin: string };
    expect((await fetch(`${url}/api/games/${pin}/results.json`)).status).toBe(401);
    const info = (await (await fetch(`${url}/api/games/${pin}`)).json()) as { units: unknown[]; privacyNotice: string };
    expect(info.units).toHaveLength(2);
    expect(JSON.stringify(info)).not.toContain('correct');
    expect((await fetch(`${url}/media/quick/..%2Fquick%2Fcontest.yaml`)).status).toBe(400);
    expect((await fetch(`${url}/media/quick/contest.yaml`)).status).toBe(400);
    const missing = await fetch(`${url}/media/quick/missing.png`);
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([
      404,
      'NOT_FOUND',
    ]);
    const contests = (await (
      await fetch(`${url}/api/contests`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { id: string }[];
    expect(contests.map((c) => c.id)).toEqual(['quick']);

    // Every organiser route, without a session and with a made-up one: 401, and nothing ran.
    const organiserRoutes = [
      'GET /api/games',
      'POST /api/games',
      `POST /api/games/${pin}/practice`,
      'GET /api/contests',
      'GET /api/contest-template.xlsx',
      'GET /api/contests/quick.xlsx',
      'POST /api/contests/import',
      'DELETE /api/contests/quick',
      'GET /api/dashboard/quick',
      'GET /api/report/quick.xlsx',
      `GET /api/results/game/${pin}`,
      `POST /api/results/game/${pin}/lock`,
      'GET /api/results/round/quick/toc-do/results.csv',
      'GET /api/results/contest/quick/workbook.xlsx',
      'GET /api/claims',
      'GET /api/claims/ABCDEFGH',
      'POST /api/claims/ABCDEFGH',
      `DELETE /api/games/${pin}/players/p1/personal-data`,
      'POST /api/retention/purge',
      'GET /api/audit',
      'GET /api/audit.csv',
    ];
    for (const route of organiserRoutes) {
      const [method, path] = route.split(' ') as [string, string];
      for (const auth of [{}, { authorization: `Bearer ${'A'.repeat(32)}` }] as Record<string, string>[]) {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...auth },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect([res.status, ((await res.json()) as { error: { code: string } }).error.code], route).toEqual([
          401,
          'NOT_AUTHORISED',
        ]);
      }
    }
    const audit = (await (
      await fetch(`${url}/api/audit`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { entries: { action: string }[] };
    expect(audit.entries.map((e) => e.action)).not.toContain('retention.purge');
    // With a session an unknown API route is a bad request.
    expect((await fetch(`${url}/api/nope`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
  });
});
