// Building a round: which questions a new game plays, in which order. Pure (the draw takes its random source).
import { drawPool, type Contest, type Question, type Round } from '../../../protocol/contest';
import type { PlayableQuestion } from './question';

/** Resolves a round's questions (fixed ids, then random draws, then the prediction question). */
export function buildRound(
  contest: Contest,
  roundId: string,
  random: () => number = Math.random,
): { round: Round; questions: PlayableQuestion[] } | null {
  const round = contest.rounds.find((r) => r.id === roundId);
  if (!round) return null;
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
    const pool = drawPool(contest, round, draw, used);
    for (let i = 0; i < draw.count && pool.length; i++) take(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  }
  if (round.prediction) take(byId.get(round.prediction));
  const questions = chosen.map((q) => ({
    ...q,
    timeLimitSec: q.timeLimitSec ?? round.defaultTimeLimitSec,
    points: q.points ?? round.defaultPoints,
  }));
  return { round, questions };
}
