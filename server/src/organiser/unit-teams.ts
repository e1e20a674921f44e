// Units as teams in the organisers' results: the unit ranking of a unit round and the collective prizes it names.
import type { Contest } from '../../../protocol/contest';
import type { RankedEntry, TeamRanking, UnitStanding } from '../../../protocol/organiser';
import { rankUnitTeams } from '../game/unit-ranking';

/**
 * The unit ranking of entries that all come from one round with `teams` (`rounds`: the rounds of the set's
 * games); undefined otherwise (several rounds, or a round played by individuals). Members of a unit in several
 * games of the round (two halls) count together.
 */
export function teamRanking(
  contest: Contest,
  rounds: ReadonlySet<string>,
  entries: readonly RankedEntry[],
): TeamRanking | undefined {
  if (rounds.size !== 1) return undefined;
  const [roundId] = rounds;
  const teams = contest.rounds.find((r) => r.id === roundId)?.teams;
  if (!teams) return undefined;
  const names = new Map(contest.units.map((u) => [u.id, u.name]));
  const ranked = rankUnitTeams(entries, teams, [...names.keys()]);
  return {
    roundId: roundId!,
    score: teams.score,
    ...(teams.n !== undefined ? { n: teams.n } : {}),
    minPlayers: teams.minPlayers,
    units: ranked.map((u) => ({ ...u, name: names.get(u.unit)! })),
  };
}

/**
 * The ranked units of a unit round as the collective prize list walks them (units too small to rank left out),
 * in the shape `computeWinners` takes: the averages there are the round's team score.
 */
export function teamPrizeUnits(teams: TeamRanking, contest: Contest): UnitStanding[] {
  const byId = new Map(contest.units.map((u) => [u.id, u]));
  return teams.units
    .filter((u) => u.rank !== null)
    .map((u) => {
      const unit = byId.get(u.unit)!;
      return {
        rank: u.rank!,
        tied: u.tied,
        unit: u.unit,
        name: u.name,
        kind: unit.kind,
        participants: u.players,
        headcount: unit.headcount ?? null,
        participationRate: unit.headcount ? u.players / unit.headcount : null,
        averageScore: u.score,
        averageCorrect: 0,
      };
    });
}
