// Which questions practice may ask, and when a round is over. Pure: the service passes in which rounds are over.
import { drawPool, type Contest, type Question, type Round } from '../../../protocol/contest';

/** Every question a round could ask: its fixed questions, its prediction and whatever its draws may pick. */
export function questionsRoundMayAsk(contest: Contest, round: Round): Set<string> {
  const ids = new Set(round.questions);
  if (round.prediction) ids.add(round.prediction);
  // Every draw's pool with nothing used yet and no group filter: a superset of what any game or attempt can get.
  for (const draw of round.draw) for (const q of drawPool(contest, round, draw, new Set())) ids.add(q.id);
  return ids;
}

/** Questions with a right answer to check: no polls, no prediction whose value comes after a round. */
const answerable = (q: Question) => q.type !== 'poll' && !(q.type === 'numeric' && q.answerKnownAfterRound);

/**
 * The practice pool now: the practice-only questions, plus the questions of `practice.fromRounds` that are over, minus
 * any question a round not over yet may still ask (a round still to be played never leaks through practice).
 */
export function practicePool(contest: Contest, over: ReadonlySet<string>): Question[] {
  const practice = contest.practice;
  if (!practice) return [];
  const unsafe = new Set<string>();
  for (const round of contest.rounds)
    if (!over.has(round.id)) for (const id of questionsRoundMayAsk(contest, round)) unsafe.add(id);
  const fromRounds = new Set<string>();
  for (const id of practice.fromRounds) {
    const round = contest.rounds.find((r) => r.id === id);
    if (round && over.has(id)) for (const q of questionsRoundMayAsk(contest, round)) fromRounds.add(q);
  }
  const pool = [...practice.questions];
  for (const q of contest.questions) if (fromRounds.has(q.id) && !unsafe.has(q.id)) pool.push(q);
  return pool.filter(answerable);
}

/**
 * Whether a self-paced round is over on the server's clock: closed, and every attempt started before the close has
 * run out (twice the time limit, so an attempt with extra time is covered too), plus a grace.
 */
export function selfPacedRoundOver(round: Round, now: number, graceMs: number): boolean {
  if (!round.online) return false;
  return now > Date.parse(round.online.closesAt) + 2 * round.online.timeLimitMin * 60_000 + graceMs;
}
