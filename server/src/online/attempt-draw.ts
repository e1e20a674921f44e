// What one attempt asks: the questions drawn for this contestant and each one's option order (drawn with
// game/option-order.ts). Pure functions of the contest and a random source, so the same draw can be checked in a test.
import { onlineDrawPool, type Contest, type Question, type Round, type TargetGroup } from '../../../protocol/contest';

/** A drawn question and its option order: `perm[shown] = index in the bank`. */
export interface DrawnQuestion {
  id: string;
  perm: number[];
}

/**
 * The round's questions for one contestant: the fixed ones, then each draw quota (from the contestant's group when
 * the round draws by group, never a live round's question when excluded), then the prediction question last.
 */
export function drawAttemptQuestions(
  contest: Contest,
  round: Round,
  group: TargetGroup,
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
    const pool = onlineDrawPool(contest, round, draw, used, group);
    for (let i = 0; i < draw.count && pool.length; i++) take(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  }
  if (round.prediction) take(byId.get(round.prediction));
  return chosen;
}
