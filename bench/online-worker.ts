// Load generator of the online bench (bench/online.ts forks one or more): drives contestants of an online round
// through the public HTTP routes — register, start, answer each question after a think time, submit, wait for the
// result — and keeps what the server acknowledged, so the orchestrator can check that no answer was lost.
// A contestant whose node dies moves to the next node and resumes its attempt there (GET attempt), checking that
// every acknowledged answer and the deadline came back.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AttemptResultReply, AttemptView, Registered, SavedAnswer, Submitted } from '../protocol/online';

export interface OnlineWorkerInit {
  urls: string[];
  contestId: string;
  roundId: string;
  /** Contestant indexes [from, to): contestant i starts on node i % urls.length. */
  from: number;
  to: number;
  /** Registrations per second started by this worker. */
  rampPerSec: number;
  /** Contestants of this worker mid-attempt at most at once (the rest wait for a free slot). */
  concurrent: number;
  thinkMinMs: number;
  thinkMaxMs: number;
  correctRate: number;
  /** A unique run id: phone numbers and names differ between runs on a shared store. */
  runId: number;
}

export interface ContestantReport {
  i: number;
  attemptId: string | null;
  /** questionId → shown option, for every answer the server acknowledged (the last one per question). */
  acked: Record<string, number>;
  /** How many of the acknowledged answers are right, by the question's own text ("chọn phương án B"). */
  expectedCorrect: number;
  /** Acknowledged answers to questions that count (the prediction excluded). */
  expectedAnswered: number;
  /** Saved answers read back after the result (shown order). */
  readBack: Record<string, number> | null;
  result: { correct: number; answered: number } | null;
  submitToResultMs: number | null;
  /** Moved to another node after its node died: the resume's check. */
  resumed: { ms: number; answersBack: boolean; deadlineKept: boolean; remainingMs: number } | null;
  error: string | null;
}

export interface OnlineWorkerReport {
  contestants: ContestantReport[];
  saveMs: number[];
  registerMs: number[];
  startMs: number[];
  refusals: Record<string, number>;
  /** Highest count of this worker's contestants between start and submit at one time. */
  peakMidAttempt: number;
  lagMaxMs: number;
  /** Requests sent again after a reset connection or a timeout. */
  retries: number;
}

type Reply<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class NodeDown extends Error {}

async function main(init: OnlineWorkerInit): Promise<OnlineWorkerReport> {
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  const down = new Set<number>();
  const report: OnlineWorkerReport = {
    contestants: [],
    saveMs: [],
    registerMs: [],
    startMs: [],
    refusals: {},
    peakMidAttempt: 0,
    lagMaxMs: 0,
    retries: 0,
  };
  let mid = 0;
  let slots = init.concurrent;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    if (slots > 0) return void slots--;
    await new Promise<void>((r) => waiting.push(r));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else slots++;
  };

  async function call<T>(node: number, method: string, path: string, token?: string, body?: unknown) {
    let res: Response;
    try {
      res = await fetch(`${init.urls[node]}/api/online/${init.contestId}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      // Refused: the node is gone. Reset or timed out: try again (a dead node then refuses).
      const code = ((err as Error).cause as { code?: string } | undefined)?.code;
      if (code === 'ECONNREFUSED') down.add(node);
      throw new NodeDown(`${code ?? (err as Error).name}`);
    }
    let reply: Reply<T>;
    try {
      reply = (await res.json()) as Reply<T>;
    } catch {
      // An empty reply (408 from the node's header timeout when this generator stalled): send it again.
      throw new NodeDown(`HTTP ${res.status} without JSON`);
    }
    if (!reply.ok) report.refusals[reply.error.code] = (report.refusals[reply.error.code] ?? 0) + 1;
    return reply;
  }

  const blank = (i: number): ContestantReport => ({
    i,
    attemptId: null,
    acked: {},
    expectedCorrect: 0,
    expectedAnswered: 0,
    readBack: null,
    result: null,
    submitToResultMs: null,
    resumed: null,
    error: null,
  });

  /** One contestant's run; `me` is filled in as it goes, so a failure still reports the attempt it started. */
  async function contestant(i: number, me: ContestantReport): Promise<void> {
    let node = i % init.urls.length;
    let attempt: AttemptView | null = null;
    /** Runs a request on the contestant's node; a dead node: move to a live one, resume the attempt, retry. */
    const on = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<Reply<T>> => {
      for (let tries = 0; ; tries++) {
        if (down.has(node)) await moveOn();
        try {
          return await call<T>(node, method, path, token, body);
        } catch (err) {
          if (!(err instanceof NodeDown) || tries >= 5) throw err;
          report.retries++;
          await sleep(200);
        }
      }
    };
    let token = '';
    const moveOn = async () => {
      const next = init.urls.findIndex((_, k) => !down.has(k));
      if (next < 0) throw new Error('every node is down');
      node = next;
      if (!attempt || me.resumed) return;
      const t0 = performance.now();
      const back = await call<AttemptView>(node, 'GET', `/attempts/${attempt.id}`, token);
      if (!back.ok) throw new Error(`resume: ${back.error.code}`);
      me.resumed = {
        ms: Math.round(performance.now() - t0),
        answersBack: Object.entries(me.acked).every(([q, c]) => back.data.answers[q] === c),
        deadlineKept: back.data.deadline === attempt.deadline,
        remainingMs: back.data.remainingMs,
      };
    };

    const phone = `09${String((init.runId * 7 + i) % 100_000_000).padStart(8, '0')}`;
    let t0 = performance.now();
    const reg = await on<Registered>('POST', '/register', undefined, {
      fullName: `Thí sinh ${i}`,
      phone,
      group: (['can-bo', 'hoc-sinh', 'nguoi-lao-dong', 'nguoi-dan'] as const)[i % 4],
      unit: `don-vi-${(i % 114) + 1}`,
      consent: true,
    });
    report.registerMs.push(performance.now() - t0);
    if (!reg.ok) throw new Error(`register: ${reg.error.code} ${reg.error.message}`);
    token = reg.data.token;

    await acquire();
    mid++;
    report.peakMidAttempt = Math.max(report.peakMidAttempt, mid);
    try {
      t0 = performance.now();
      const started = await on<AttemptView>('POST', `/rounds/${init.roundId}/attempts`, token);
      report.startMs.push(performance.now() - t0);
      if (!started.ok) throw new Error(`start: ${started.error.code} ${started.error.message}`);
      attempt = started.data;
      me.attemptId = attempt.id;
      for (const q of attempt.questions) {
        await sleep(init.thinkMinMs + Math.random() * (init.thinkMaxMs - init.thinkMinMs));
        let choice: number;
        let right = false;
        if (q.prediction) choice = Math.floor(Math.random() * 50);
        else {
          const want = q.text.match(/phương án ([A-D])/)?.[1];
          const correct = q.options!.indexOf(want!);
          right = Math.random() < init.correctRate;
          choice = right ? correct : (correct + 1 + Math.floor(Math.random() * 3)) % 4;
        }
        t0 = performance.now();
        const saved = await on<SavedAnswer>('PUT', `/attempts/${attempt.id}/answers`, token, {
          questionId: q.id,
          choice,
        });
        report.saveMs.push(performance.now() - t0);
        if (!saved.ok) throw new Error(`save: ${saved.error.code} ${saved.error.message}`);
        if (!q.prediction && !(q.id in me.acked)) me.expectedAnswered++;
        me.acked[q.id] = choice;
        if (right) me.expectedCorrect++;
      }
      t0 = performance.now();
      const submitted = await on<Submitted>('POST', `/attempts/${attempt.id}/submit`, token);
      if (!submitted.ok) throw new Error(`submit: ${submitted.error.code}`);
    } finally {
      mid--;
      release();
    }
    // The result route waits up to 5 s for the scoring job; a killed worker's job comes back after its lock expires.
    for (let tries = 0; tries < 30; tries++) {
      const r = await on<AttemptResultReply>('GET', `/attempts/${attempt.id}/result`, token);
      if (r.ok && r.data.status === 'scored' && r.data.result) {
        me.submitToResultMs = Math.round(performance.now() - t0);
        me.result = { correct: r.data.result.correct, answered: r.data.result.answered };
        break;
      }
      if (!r.ok) throw new Error(`result: ${r.error.code}`);
    }
    const back = await on<AttemptView>('GET', `/attempts/${attempt.id}`, token);
    if (back.ok) me.readBack = back.data.answers as Record<string, number>;
  }

  const progress = setInterval(
    () =>
      process.send!({
        type: 'progress',
        registered: report.registerMs.length,
        started: report.startMs.length,
        saves: report.saveMs.length,
        done: report.contestants.filter((c) => c.result || c.error).length,
        mid,
      }),
    10_000,
  );
  const gap = 1000 / init.rampPerSec;
  const runs: Promise<void>[] = [];
  const startAt = performance.now();
  for (let i = init.from; i < init.to; i++) {
    const due = startAt + (i - init.from) * gap;
    if (due > performance.now()) await sleep(due - performance.now());
    const me = blank(i);
    report.contestants.push(me);
    runs.push(
      contestant(i, me).catch((err: Error) => {
        me.error = String(err.message ?? err).slice(0, 200);
      }),
    );
  }
  await Promise.all(runs);
  clearInterval(progress);
  lag.disable();
  report.lagMaxMs = Math.round(lag.max / 1e6);
  return report;
}

process.once('message', (init: OnlineWorkerInit) => {
  main(init).then(
    (report) => process.send!({ type: 'report', report }, () => process.exit(0)),
    (err: Error) => process.send!({ type: 'error', message: String(err.stack ?? err) }, () => process.exit(1)),
  );
});
