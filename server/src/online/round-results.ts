// An online round as result rows: one row per contestant (their counting attempt), the per-question statistics and
// every answer, in the same shapes as a live game's, so result sets, locks, prizes, exports and the dashboard take
// them as they are. Also fixes the prediction's actual value once the round is over.
import type { Contest, Question, Round } from '../../../protocol/contest';
import type { ResultRow } from '../../../protocol/http';
import { onlinePin, type AnswerRow, type QuestionStat } from '../../../protocol/organiser';
import { optionTexts, type PlayableQuestion } from '../game/question';
import { correctOptions, isCorrect } from '../game/scoring';
import { attemptRules, windowOf } from './round-window';
import type { AttemptRecord, ContestantRecord, OnlineStore } from './store';

export type OnlineRound = Round & { online: NonNullable<Round['online']> };

/** What an online round contributes to a result set (the port organiser/results.ts reads). */
export interface OnlineRoundRows {
  roundId: string;
  /** `online:<contestId>:<roundId>`: stands where a game's PIN stands. */
  pin: string;
  closesAt: number;
  /** `closesAt` + the attempt time limit + grace: after this no attempt can still be running. */
  finalAt: number;
  now: number;
  /** Contestants whose counting attempt got every scored question right; null until the round is final. */
  predictionActual: number | null;
  rows: (ResultRow & { pin: string; contestantId: string })[];
  questions: QuestionStat[];
  answers: AnswerRow[];
}

// Pages small enough that one page's replies are handled in a few ms, and a yield to the event loop between blocks
// of rows: a round of 200,000 contestants is read without stalling live games on the same node.
const PAGE = 200;
const ROWS_PER_YIELD = 2000;
const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));
export const predictionKey = (roundId: string) => `r:${roundId}:prediction`;

/** Every counting attempt of the round, in ranking order, with its contestant (paged: bounded requests). */
export async function countingAttempts(store: OnlineStore, contestId: string, roundId: string) {
  const out: { attempt: AttemptRecord; contestant: ContestantRecord }[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.ranking(contestId, roundId, offset, PAGE);
    const read = await Promise.all(
      page.map(async (e) => ({
        attempt: await store.getAttempt(contestId, e.attemptId),
        contestant: await store.getContestant(contestId, e.contestantId),
      })),
    );
    for (const r of read)
      if (r.attempt?.result && r.contestant) out.push({ attempt: r.attempt, contestant: r.contestant });
    if (page.length < PAGE) return out;
    await yieldToLoop();
  }
}

/** The round's rows, statistics and answers; fixes the prediction's actual value on the first read once final. */
export async function onlineRoundRows(
  store: OnlineStore,
  contest: Contest,
  round: OnlineRound,
  graceMs: number,
): Promise<OnlineRoundRows> {
  const contestId = contest.id;
  const now = await store.now();
  const { closesAt } = windowOf(round.online);
  const finalAt = closesAt + attemptRules(round.online).limitMs + graceMs;
  const counting = await countingAttempts(store, contestId, round.id);
  let predictionActual: number | null = null;
  if (round.prediction) {
    const kept = await store.getValue(contestId, predictionKey(round.id));
    if (kept !== null) predictionActual = Number(kept);
    else if (now >= finalAt) {
      // The bundled prediction question: "how many contestants will answer every question correctly?"
      const perfect = counting.filter(
        ({ attempt }) => attempt.result!.correct === attempt.result!.total && attempt.result!.total > 0,
      ).length;
      predictionActual = Number(await store.setOnce(contestId, predictionKey(round.id), String(perfect)));
    }
  }
  const pin = onlinePin(contestId, round.id);
  const rows = counting.map(({ attempt, contestant }) => {
    const r = attempt.result!;
    return {
      pin,
      rank: 0,
      playerId: contestant.id,
      contestantId: contestant.id,
      nickname: contestant.fullName,
      group: contestant.group,
      unit: contestant.unit,
      score: r.correct,
      correct: r.correct,
      answered: r.answered,
      totalTimeMs: r.timeMs,
      predictionError:
        predictionActual !== null && r.predictionGuess !== null ? Math.abs(r.predictionGuess - predictionActual) : null,
      lastAnswerAt: r.submittedAt,
      ...(contestant.extraTime ? { extraTime: true as const } : {}),
    };
  });

  // Per question of the bank: how the counting attempts answered it (the prediction question is left out).
  const bank = new Map(contest.questions.map((q, i) => [q.id, { q, i }]));
  const stats = new Map<string, QuestionStat>();
  const answers: AnswerRow[] = [];
  for (const [n, { attempt, contestant }] of counting.entries()) {
    if (n % ROWS_PER_YIELD === ROWS_PER_YIELD - 1) await yieldToLoop();
    for (const drawn of attempt.questions) {
      const entry = bank.get(drawn.id);
      if (!entry || drawn.id === round.prediction) continue;
      const q = entry.q as PlayableQuestion;
      const stat = stats.get(q.id) ?? newStat(pin, entry.i, entry.q, q);
      stats.set(q.id, stat);
      stat.players++;
      const a = attempt.answers[drawn.id];
      const correct = a !== undefined && isCorrect(q, a.choice);
      if (a !== undefined) {
        stat.answered++;
        if (correct) stat.correct++;
        for (const o of Array.isArray(a.choice) ? a.choice : [a.choice])
          if (q.type !== 'numeric' && stat.distribution[o] !== undefined) stat.distribution[o]!++;
      }
      answers.push({
        pin,
        playerId: contestant.id,
        nickname: contestant.fullName,
        group: contestant.group,
        unit: contestant.unit,
        index: entry.i,
        questionId: q.id,
        answered: a !== undefined,
        correct,
        points: correct ? 1 : 0,
      });
    }
  }
  const questions = [...stats.values()].sort((a, b) => a.index - b.index);
  for (const s of questions) s.correctRate = s.type === 'poll' || !s.answered ? null : s.correct / s.answered;
  return { roundId: round.id, pin, closesAt, finalAt, now, predictionActual, rows, questions, answers };
}

function newStat(pin: string, index: number, q: Question, playable: PlayableQuestion): QuestionStat {
  const options = q.type === 'numeric' ? [] : [...optionTexts(playable)];
  return {
    pin,
    index,
    questionId: q.id,
    text: q.text,
    type: q.type,
    area: q.area,
    players: 0,
    answered: 0,
    correct: 0,
    correctRate: null,
    averageTimeMs: null,
    options,
    distribution: options.map(() => 0),
    correctOptions: q.type === 'numeric' ? [] : correctOptions(playable),
  };
}
