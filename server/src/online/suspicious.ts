// Suspicious activity in online rounds, listed for organisers (never acted on automatically): many registrations
// from one address or device (hashed at registration), counting attempts answered implausibly fast, and several
// contestants giving the same answers to the same questions. One read of each round's counting attempts.
import { createHash } from 'node:crypto';
import type { Contest } from '../../../protocol/contest';
import type { ReviewedContestant, SuspiciousQuery, SuspiciousReport } from '../../../protocol/online';
import type { PlayableQuestion } from '../game/question';
import { isCorrect } from '../game/scoring';
import { maskPhone } from './phone';
import { countingAttempts } from './round-results';
import type { AttemptRecord, ContestantRecord, OnlineStore } from './store';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** The stored form of an address or device id: salted with the contest, cut to 128 bits; never reversible. */
export const originHash = (contestId: string, kind: 'address' | 'device', value: string) =>
  `${kind}:${sha(`${contestId}:${kind}:${value}`).slice(0, 32)}`;

const reviewed = (c: ContestantRecord): ReviewedContestant => ({
  id: c.id,
  fullName: c.fullName,
  phoneMasked: maskPhone(c.phone),
  group: c.group,
  unit: c.unit,
});

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Time per answered question: gaps between successive saves (the first from the start), on the server's clock. */
export function medianAnswerGap(attempt: AttemptRecord): number | null {
  const times = Object.values(attempt.answers)
    .map((a) => a.at)
    .sort((a, b) => a - b);
  if (!times.length) return null;
  return median(times.map((t, i) => t - (i ? times[i - 1]! : attempt.startedAt)));
}

export async function suspiciousActivity(
  store: OnlineStore,
  contest: Contest,
  q: SuspiciousQuery,
): Promise<SuspiciousReport> {
  const people = new Map<string, ContestantRecord | null>();
  const person = async (id: string) => {
    if (!people.has(id)) people.set(id, await store.getContestant(contest.id, id));
    return people.get(id)!;
  };
  const sharedOrigins: SuspiciousReport['sharedOrigins'] = [];
  for (const o of await store.crowdedOrigins(contest.id, q.minRegistrations, 100)) {
    const contestants = (await Promise.all(o.contestantIds.map(person))).filter((c) => c !== null).map(reviewed);
    sharedOrigins.push({
      kind: o.origin.startsWith('device:') ? 'device' : 'address',
      origin: o.origin.slice(o.origin.indexOf(':') + 1, o.origin.indexOf(':') + 13),
      contestants,
    });
  }

  const bank = new Map(contest.questions.map((x) => [x.id, x as PlayableQuestion]));
  const fastAttempts: SuspiciousReport['fastAttempts'] = [];
  const sameAnswers: SuspiciousReport['sameAnswers'] = [];
  for (const round of contest.rounds) {
    if (round.mode !== 'self-paced' || !round.online) continue;
    const groups = new Map<string, ContestantRecord[]>();
    for (const { attempt, contestant } of await countingAttempts(store, contest.id, round.id)) {
      people.set(contestant.id, contestant);
      const gap = medianAnswerGap(attempt);
      const answered = Object.keys(attempt.answers).length;
      if (gap !== null && answered >= 2 && gap < q.fastMedianMs)
        fastAttempts.push({
          roundId: round.id,
          attemptId: attempt.id,
          contestant: reviewed(contestant),
          answered,
          medianMsPerQuestion: Math.round(gap),
          correct: attempt.result!.correct,
        });
      // The answer vector in the bank's order over the same questions; perfect attempts all look alike, so they are left out.
      const ids = attempt.questions
        .map((d) => d.id)
        .filter((id) => id !== round.prediction)
        .sort();
      const vector = ids.map((id) => JSON.stringify(attempt.answers[id]?.choice ?? null));
      const allCorrect = ids.every(
        (id) => attempt.answers[id] && bank.get(id) && isCorrect(bank.get(id)!, attempt.answers[id].choice),
      );
      if (!ids.length || allCorrect || vector.every((v) => v === 'null')) continue;
      const key = sha(`${ids.join(',')}|${vector.join(',')}`).slice(0, 16);
      groups.set(key, [...(groups.get(key) ?? []), contestant]);
    }
    for (const [answersHash, list] of groups)
      if (list.length >= q.minSameAnswers)
        sameAnswers.push({ roundId: round.id, answersHash, contestants: list.map(reviewed) });
  }
  fastAttempts.sort((a, b) => a.medianMsPerQuestion - b.medianMsPerQuestion);
  sameAnswers.sort((a, b) => b.contestants.length - a.contestants.length);
  return { contestId: contest.id, at: await store.now(), thresholds: q, sharedOrigins, fastAttempts, sameAnswers };
}
