// Embedded mode survives a crash (hardening item 11): a real server process on a temp DATA_DIR is SIGKILLed while a
// question is open and started again on the same folder. The game resumes where it was, every acknowledged answer
// counts, phones come back with their tokens, the organisers' records (audit log, lock, claims, session) are intact,
// an online attempt keeps its saved answers, and the deadlines that were armed in the dead process still fire.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JoinResult, PlayerResult } from '../../protocol/events';
import type { AttemptView, Registered } from '../../protocol/online';
import type { AuditPage, Claim, ResultSet } from '../../protocol/organiser';
import { loadContests } from '../src/contests/load';
import { createGame, joinPlayer, login, TestClient, waitUntil } from './clients';
import { startNode, type ServerProcess } from './nodes';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-crash-'));
const dataDir = path.join(tmp, 'data');
// Two test contests side by side: `giai` (a prize round to lock) and `thi-thu` (a live round and online rounds).
const contestsDir = path.join(tmp, 'contests');
fs.cpSync('server/test/organiser-contests/giai', path.join(contestsDir, 'giai'), { recursive: true });
fs.cpSync('server/test/online-contests/thi-thu', path.join(contestsDir, 'thi-thu'), { recursive: true });
const password = 'crash-test-password';
const env = { DATA_DIR: dataDir, CONTESTS_DIR: contestsDir, ORGANISER_PASSWORD: password, REDIS_URL: '' };

const running: ServerProcess[] = [];
const clients: TestClient[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of running) await s.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function start() {
  const s = await startNode(env, 60_000);
  running.push(s);
  return s;
}
const track = <T extends { client: TestClient }>(p: T) => (clients.push(p.client), p);

describe('embedded mode, SIGKILL mid-question', () => {
  it('restarts on the same DATA_DIR with the game, answers, tokens, records and online attempts intact', async () => {
    let node = await start();
    let url = node.url;
    const token = await login(url, password);
    const auth = { authorization: `Bearer ${token}` };
    const get = async <T>(p: string) => {
      const res = await fetch(`${url}${p}`, { headers: auth });
      expect(res.status, p).toBe(200);
      return (await res.json()) as T;
    };
    const online = async <T>(method: string, p: string, bearer?: string, body?: unknown) => {
      const res = await fetch(`${url}/api/online/thi-thu${p}`, {
        method,
        headers: {
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const reply = (await res.json()) as { ok: boolean; data: T; error?: unknown };
      if (!reply.ok) throw new Error(`${method} ${p}: ${JSON.stringify(reply.error)}`);
      return reply.data;
    };

    // Live rounds shuffle options per game and the server runs in another process: answer by the option's text,
    // mapping the bank's index to where this game shows it.
    const contests = await loadContests(contestsDir);
    const shown = (client: TestClient, contestId: string, roundId: string, q: number, bank: number) => {
      const contest = contests.get(contestId)!;
      const id = contest.rounds.find((r) => r.id === roundId)!.questions[q];
      const question = contest.questions.find((x) => x.id === id) as { options?: string[] };
      if (!question.options) return bank; // true/false keeps Đúng before Sai
      const view = client.states.find((s) => 'question' in s && s.index === q && s.phase === 'open');
      if (!view || !('question' in view)) throw new Error(`no open view of question ${q}`);
      return view.question.options!.indexOf(question.options[bank]!);
    };

    // Game A (prize round): three players play both questions; the organiser locks the round and claims are issued.
    const a = await createGame(url, token, 'giai', 'vong-1');
    const hostA = await new TestClient(url, '/host').connected();
    clients.push(hostA);
    await hostA.ok('host:attach', { pin: a.pin, hostToken: a.hostToken });
    const aPlayers = await Promise.all(
      ['Nguyễn Văn Ân', 'Trần Thị Bình', 'Lê Đức Cường'].map((n, i) =>
        joinPlayer(url, a.pin, n, { group: 'can-bo', unit: i ? 'so-khcn' : 'truong-le-loi' }).then(track),
      ),
    );
    await hostA.ok('host:command', { type: 'start' });
    for (let q = 0; q < 2; q++) {
      await Promise.all(aPlayers.map((p) => p.client.phase('open', q)));
      await Promise.all(
        aPlayers.map((p, i) =>
          p.client.ok('answer:submit', {
            questionIndex: q,
            choice: shown(p.client, 'giai', 'vong-1', q, q === 0 ? [1, 1, 0][i]! : [0, 1, 0][i]!),
          }),
        ),
      );
      await Promise.all(
        aPlayers.map((p) => waitUntil(() => p.client.results.some((r) => r.questionIndex === q), `A result ${q}`)),
      );
      await hostA.ok('host:command', { type: 'next' });
      await hostA.ok('host:command', { type: 'next' });
    }
    await hostA.phase('podium');
    await hostA.ok('host:command', { type: 'next' });
    await hostA.phase('ended');
    const lockRes = await fetch(`${url}/api/results/round/giai/vong-1/lock`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ acceptTies: true }),
    });
    expect(lockRes.status, await lockRes.clone().text()).toBe(200);
    const locked = (await lockRes.json()) as ResultSet;
    expect(locked.lock).not.toBeNull();
    const claimsBefore = await get<Claim[]>('/api/claims');
    expect(claimsBefore.length).toBeGreaterThan(0);
    const aStandings = aPlayers.map((p) => p.client.results.at(-1)!.standing);

    // Online: one attempt with saved answers (20 minutes), one of 3 seconds left open to run out while the server is down.
    const reg = await online<Registered>('POST', '/register', undefined, {
      fullName: 'Phạm Thị Dung',
      phone: '0912 345 678',
      group: 'nguoi-dan',
      unit: 'don-vi-a',
      consent: true,
    });
    const attempt = await online<AttemptView>('POST', '/rounds/mo/attempts', reg.token);
    await online('PUT', `/attempts/${attempt.id}/answers`, reg.token, { questionId: 'q-single', choice: 1 });
    await online('PUT', `/attempts/${attempt.id}/answers`, reg.token, { questionId: 'q-tf', choice: 0 });
    const short = await online<AttemptView>('POST', '/rounds/ngan/attempts', reg.token);
    await online('PUT', `/attempts/${short.id}/answers`, reg.token, { questionId: 'q-single', choice: 0 });

    // Game C (live round, 20 s question): four players; two answer (acknowledged), then the process is killed.
    const c = await createGame(url, token, 'thi-thu', 'truc-tiep');
    const hostC = await new TestClient(url, '/host').connected();
    clients.push(hostC);
    await hostC.ok('host:attach', { pin: c.pin, hostToken: c.hostToken });
    const cPlayers = await Promise.all(
      ['Một', 'Hai', 'Ba', 'Bốn'].map((n) => joinPlayer(url, c.pin, n, { unit: 'don-vi-a' }).then(track)),
    );
    await hostC.ok('host:command', { type: 'start' });
    await Promise.all(cPlayers.map((p) => p.client.phase('open', 0)));
    await cPlayers[0]!.client.ok('answer:submit', {
      questionIndex: 0,
      choice: shown(cPlayers[0]!.client, 'thi-thu', 'truc-tiep', 0, 0),
    }); // correct
    await cPlayers[1]!.client.ok('answer:submit', {
      questionIndex: 0,
      choice: shown(cPlayers[1]!.client, 'thi-thu', 'truc-tiep', 0, 1),
    }); // wrong
    const auditBefore = await get<AuditPage>('/api/audit?limit=1000');
    expect(auditBefore.entries.some((e) => e.action === 'results.lock')).toBe(true);

    await node.stop('SIGKILL');
    for (const cl of clients) cl.close();
    node = await start();
    url = node.url;

    // The organiser's session is still valid: no new login. Audit log, lock and claims are as they were.
    const auditAfter = await get<AuditPage>('/api/audit?limit=1000');
    expect(auditAfter.entries.slice(0, auditBefore.entries.length)).toEqual(auditBefore.entries);
    expect((await get<ResultSet>('/api/results/round/giai/vong-1')).lock).toEqual(locked.lock);
    expect(await get<Claim[]>('/api/claims')).toEqual(claimsBefore);

    // Game A's phones resume with their tokens: same score, streak and rank; the winners see their claim codes.
    for (const [i, p] of aPlayers.entries()) {
      const again = await new TestClient(url, '/play').connected();
      clients.push(again);
      const r = await again.ok<JoinResult>('player:resume', { pin: a.pin, token: p.join.token });
      expect(r.me).toMatchObject({
        playerId: p.join.me.playerId,
        score: aStandings[i]!.score,
        streak: aStandings[i]!.streak,
      });
      expect(r.state.phase).toBe('ended');
      expect((r.claims ?? []).map((x) => x.code).sort()).toEqual(
        claimsBefore
          .filter((x) => x.playerId === p.join.me.playerId)
          .map((x) => x.code)
          .sort(),
      );
    }

    // Game C resumes: same PIN, still open; the two acknowledged answers are there; the others can still answer.
    const resumed = await Promise.all(
      cPlayers.map(async (p) => {
        const client = await new TestClient(url, '/play').connected();
        clients.push(client);
        const join = await client.ok<JoinResult>('player:resume', { pin: c.pin, token: p.join.token });
        client.states.push(join.state);
        return { client, join };
      }),
    );
    expect(resumed.map((r) => [r.join.state.phase, r.join.state.pin, r.join.answered])).toEqual([
      ['open', c.pin, true],
      ['open', c.pin, true],
      ['open', c.pin, false],
      ['open', c.pin, false],
    ]);
    expect(await resumed[0]!.client.emit('answer:submit', { questionIndex: 0, choice: 1 })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_ANSWERED' },
    });
    await resumed[2]!.client.ok('answer:submit', {
      questionIndex: 0,
      choice: shown(resumed[2]!.client, 'thi-thu', 'truc-tiep', 0, 0),
    });
    // The fourth never answers: the question closes on the deadline armed before the crash, re-armed at start.
    await Promise.all(
      resumed.map((r) =>
        waitUntil(() => r.client.results.some((x) => x.questionIndex === 0), 'result after restart', 30_000),
      ),
    );
    const result = (i: number) => resumed[i]!.client.results.find((x) => x.questionIndex === 0) as PlayerResult;
    expect([0, 1, 2, 3].map((i) => result(i).correct)).toEqual([true, false, true, false]);
    expect(result(0).pointsGained).toBeGreaterThan(0);
    expect(result(0).standing.streak).toBe(1);
    expect(result(3).pointsGained).toBe(0);
    const reveal = await resumed[0]!.client.phase('reveal', 0);
    if (reveal.phase === 'reveal') expect(reveal.reveal.answered).toBe(3);

    // The online attempt resumes with its saved answers; the 3-second one ran out and was submitted by its deadline job.
    const back = await online<AttemptView>('GET', `/attempts/${attempt.id}`, reg.token);
    expect(back.questions).toEqual(attempt.questions);
    expect(back.answers).toEqual({ 'q-single': 1, 'q-tf': 0 });
    expect(back.remainingMs).toBeGreaterThan(0);
    let ran = await online<AttemptView>('GET', `/attempts/${short.id}`, reg.token);
    for (let i = 0; i < 50 && ran.status !== 'scored'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      ran = await online<AttemptView>('GET', `/attempts/${short.id}`, reg.token);
    }
    expect(ran.status).toBe('scored');
  }, 240_000);
});
