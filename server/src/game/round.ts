// Building a round: which questions a new game plays, in which order. Pure (the draw takes its random source).
import { drawPool, type Contest, type Question, type Round } from '../../../protocol/contest';
import type { PlayableQuestion } from './question';

type QuestionDraw = Round['draw'][number];

/**
 * A round's questions in play order: the fixed ones, then each draw quota picked at random from `poolOf(draw,
 * used)`, then the prediction question last. Live games and online attempts differ only in the pool.
 */
export function drawRoundQuestions(
  contest: Contest,
  round: Round,
  poolOf: (draw: QuestionDraw, used: ReadonlySet<string>) => Question[],
  random: () => number = Math.random,
): Question[] {
  const byId = new Map(contest.questions.map((q) => [q.id, q]));
  const chosen: Question[] = [];
  const used = new Set<string>();
  const take = (q: Question | undefined) => {
    if (q && !used.has(q.id)) {
      used.add(q.id);
      chosen.push(q);
    }
  };
  for (const id of round.questions) if (id !== round.prediction) take(byId.get(id));
  for (const draw of round.draw) {
    const pool = poolOf(draw, used);
    for (let i = 0; i < draw.count && pool.length; i++) take(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  }
  if (round.prediction) take(byId.get(round.prediction));
  return chosen;
}

/** Resolves a live round's questions, their time limits and points from the round's defaults. */
export function buildRound(
  contest: Contest,
  roundId: string,
  random: () => number = Math.random,
): { round: Round; questions: PlayableQuestion[] } | null {
  const round = contest.rounds.find((r) => r.id === roundId);
  if (!round) return null;
  const chosen = drawRoundQuestions(contest, round, (draw, used) => drawPool(contest, round, draw, used), random);
  const questions = chosen.map((q) => ({
    ...q,
    timeLimitSec: q.timeLimitSec ?? round.defaultTimeLimitSec,
    points: q.points ?? round.defaultPoints,
  }));
  return { round, questions };
}
