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
import { sortInSlices, yieldToLoop } from '../event-loop-slices';
import { playerOrder, rankKeysFor } from '../game/ranking';

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
}

// Pages small enough that one page's replies are handled in a few ms, and a yield to the event loop after each:
// a round of 200,000 contestants is read without stalling live games on the same node. Only one page of attempt
// records is held at a time: all of them at once made a heap of about a gigabyte, and long garbage collections.
const PAGE = 250;
export const predictionKey = (roundId: string) => `r:${roundId}:prediction`;

type Counting = { attempt: AttemptRecord; contestant: ContestantRecord };

/** The round's counting attempts in ranking order with their contestants, a page at a time (bounded requests). */
async function* countingPages(store: OnlineStore, contestId: string, roundId: string) {
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.countingPage(contestId, roundId, offset, PAGE);
    const out: Counting[] = [];
    for (const r of page) if (r.attempt?.result && r.contestant) out.push(r as Counting);
    yield out;
    if (page.length < PAGE) return;
    await yieldToLoop();
  }
}

/** Every counting attempt of the round, in ranking order, with its contestant. */
export async function countingAttempts(store: OnlineStore, contestId: string, roundId: string) {
  const out: Counting[] = [];
  for await (const page of countingPages(store, contestId, roundId)) for (const c of page) out.push(c);
  return out;
}

/** The round's rows and statistics; fixes the prediction's actual value on the first read once final. */
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
  const pin = onlinePin(contestId, round.id);
  const rows: OnlineRoundRows['rows'] = [];
  /** Each row's prediction, for its error once the actual value is known (same index as `rows`). */
  const guesses: (number | null)[] = [];
  let perfect = 0;
  // Per question of the bank: how the counting attempts answered it (the prediction question is left out).
  const bank = new Map(contest.questions.map((q, i) => [q.id, { q, i }]));
  const stats = new Map<string, QuestionStat>();
  for await (const page of countingPages(store, contestId, round.id))
    for (const { attempt, contestant } of page) {
      const r = attempt.result!;
      // The bundled prediction question: "how many contestants will answer every question correctly?"
      if (r.correct === r.total && r.total > 0) perfect++;
      guesses.push(r.predictionGuess);
      rows.push({
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
        predictionError: null,
        lastAnswerAt: r.submittedAt,
        ...(contestant.extraTime ? { extraTime: true as const } : {}),
      });
      for (const { entry, q, a, correct } of scoredAnswers(bank, round, attempt)) {
        const stat = stats.get(q.id) ?? newStat(pin, entry.i, entry.q, q);
        stats.set(q.id, stat);
        stat.players++;
        if (a === undefined) continue;
        stat.answered++;
        if (correct) stat.correct++;
        for (const o of Array.isArray(a.choice) ? a.choice : [a.choice])
          if (q.type !== 'numeric' && stat.distribution[o] !== undefined) stat.distribution[o]!++;
      }
    }
  let predictionActual: number | null = null;
  if (round.prediction) {
    const kept = await store.getValue(contestId, predictionKey(round.id));
    if (kept !== null) predictionActual = Number(kept);
    else if (now >= finalAt)
      predictionActual = Number(await store.setOnce(contestId, predictionKey(round.id), String(perfect)));
  }
  if (predictionActual !== null)
    for (let n = 0; n < rows.length; n++) {
      const guess = guesses[n];
      if (guess !== null && guess !== undefined) rows[n]!.predictionError = Math.abs(guess - predictionActual);
    }
  const questions = [...stats.values()].sort((a, b) => a.index - b.index);
  for (const s of questions) s.correctRate = s.type === 'poll' || !s.answered ? null : s.correct / s.answered;
  return {
    roundId: round.id,
    pin,
    closesAt,
    finalAt,
    now,
    predictionActual,
    rows: await inRankOrder(contest, rows),
    questions,
  };
}

/**
 * The rows sorted (in slices) as the result set ranks them (organiser/rankings.ts: accuracy keys, then the entry's
 * id), prediction included: that ranking's own sort then finds them in order in one pass, instead of sorting
 * 200,000 rows in one call while the event loop waits.
 */
async function inRankOrder(contest: Contest, rows: OnlineRoundRows['rows']) {
  const { order } = playerOrder(rankKeysFor(contest.ranking.tieBreak, true));
  // As organiser/rankings.ts's entryRankable sees a row (only the speed of that sort depends on it, never the order).
  const rankable = (row: OnlineRoundRows['rows'][number]) => ({
    row,
    playerId: `${row.pin}:${row.playerId}`,
    tally: {
      score: row.score,
      correct: row.correct,
      answered: row.answered,
      timeMs: row.totalTimeMs,
      predictionError: row.predictionError,
      lastAnswerAt: row.lastAnswerAt,
      streak: 0,
      bestStreak: 0,
    },
  });
  return (await sortInSlices(rows.map(rankable), order)).map((k) => k.row);
}

/**
 * Every answer of the round's counting attempts (one row per contestant and scored question), a page of
 * contestants at a time: an export of 2,000,000 rows never holds them all.
 */
export async function* onlineRoundAnswers(
  store: OnlineStore,
  contest: Contest,
  round: OnlineRound,
): AsyncGenerator<AnswerRow[]> {
  const pin = onlinePin(contest.id, round.id);
  const bank = new Map(contest.questions.map((q, i) => [q.id, { q, i }]));
  for await (const page of countingPages(store, contest.id, round.id)) {
    const out: AnswerRow[] = [];
    for (const { attempt, contestant } of page)
      for (const { entry, q, a, correct } of scoredAnswers(bank, round, attempt))
        out.push({
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
    yield out;
  }
}

/** An attempt's drawn questions that count (in the bank, not the prediction), each with its answer and outcome. */
function* scoredAnswers(bank: Map<string, { q: Question; i: number }>, round: OnlineRound, attempt: AttemptRecord) {
  for (const drawn of attempt.questions) {
    const entry = bank.get(drawn.id);
    if (!entry || drawn.id === round.prediction) continue;
    const q = entry.q as PlayableQuestion;
    const a = attempt.answers[drawn.id];
    yield { entry, q, a, correct: a !== undefined && isCorrect(q, a.choice) };
  }
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
