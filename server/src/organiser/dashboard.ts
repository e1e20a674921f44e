import { TARGET_GROUPS, UNIT_KINDS, type Contest } from '../../../protocol/contest';
import type { AnswerRow, Dashboard, GameListing, ResultSet } from '../../../protocol/organiser';
import type { Store } from '../store/store';

const rate = (correct: number, answered: number) => (answered ? correct / answered : null);

/**
 * The dashboard's figures from a contest's result set and answers (pure). Polls count as answered but never
 * correct, so they are left out of the correct rates.
 */
export function buildDashboard(
  contest: Contest,
  set: ResultSet,
  answers: AnswerRow[],
  games: GameListing[],
  roundOf: Map<string, string>,
  answersLastMinute: number,
  at: number,
): Dashboard {
  const entries = set.overall;
  const unitKind = new Map(contest.units.map((u) => [u.id, u.kind]));
  const question = new Map(contest.questions.map((q) => [q.id, q]));
  const graded = answers.filter((a) => a.answered && question.get(a.questionId)?.type !== 'poll');

  const areas: Dashboard['areas'] = [];
  for (const area of [...new Set(contest.questions.map((q) => q.area))])
    for (const group of TARGET_GROUPS) {
      const mine = graded.filter((a) => a.group === group && question.get(a.questionId)?.area === area);
      if (!mine.length) continue;
      const correct = mine.filter((a) => a.correct).length;
      areas.push({ area, group, answered: mine.length, correct, correctRate: rate(correct, mine.length) });
    }

  const rounds: Dashboard['rounds'] = contest.rounds
    .map((r) => {
      const mine = graded.filter((a) => roundOf.get(a.pin) === r.id);
      const correct = mine.filter((a) => a.correct).length;
      return {
        roundId: r.id,
        title: r.title,
        players: entries.filter((e) => roundOf.get(e.pin) === r.id).length,
        answered: mine.length,
        correct,
        correctRate: rate(correct, mine.length),
      };
    })
    .filter((r) => r.players > 0);

  return {
    contestId: contest.id,
    title: contest.title,
    at,
    games,
    contestants: {
      total: entries.length,
      byGroup: TARGET_GROUPS.map((group) => ({ group, players: entries.filter((e) => e.group === group).length })),
      byUnitKind: UNIT_KINDS.map((kind) => ({
        kind,
        players: entries.filter((e) => e.unit && unitKind.get(e.unit) === kind).length,
      })).filter((k) => k.players > 0),
      byUnit: set.units.map((u) => ({
        unit: u.unit,
        name: u.name,
        kind: u.kind,
        players: u.participants,
        headcount: u.headcount,
        participationRate: u.participationRate,
      })),
    },
    answersLastMinute,
    questions: set.questions,
    areas,
    rounds,
  };
}

/** The games index with each game's phase, players and lock. */
export async function listGames(store: Store, contestId?: string): Promise<GameListing[]> {
  const games = await store.organiser.listGames(contestId);
  return Promise.all(
    games.map(async (g) => {
      const [state, players, locked] = await Promise.all([
        store.getState(g.pin),
        store.playerCount(g.pin),
        store.organiser.isGameLocked(g.pin),
      ]);
      return { ...g, phase: state?.phase ?? null, players, locked };
    }),
  );
}

/** Answers that arrived in the last minute, from the current and previous question of every running game. */
export async function answersSince(store: Store, games: GameListing[], since: number): Promise<number> {
  let n = 0;
  for (const g of games) {
    if (!g.phase || g.phase === 'lobby' || g.phase === 'ended') continue;
    const state = await store.getState(g.pin);
    for (const index of [state?.index ?? -1, (state?.index ?? -1) - 1].filter((i) => i >= 0))
      for (const a of (await store.getAnswers(g.pin, index)).values()) if (a.at >= since) n++;
  }
  return n;
}
