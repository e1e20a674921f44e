// The board of a unit round (`teams` in the round's settings), for the host and the projector.
import type { Contest } from '../../../protocol/contest';
import type { UnitBoard } from '../../../protocol/events';
import type { GameRecord } from '../game/state';
import { rankUnitTeams } from '../game/unit-ranking';
import type { Store } from '../store/store';

/** Every unit that played, ranked by the round's team score; undefined when the game's round is not a unit round. */
export async function unitBoard(
  store: Store,
  game: GameRecord,
  contest: Contest | undefined,
): Promise<UnitBoard | undefined> {
  const teams = contest?.rounds.find((r) => r.id === game.roundId)?.teams;
  if (!teams || !contest) return undefined;
  // getPlayers leaves kicked players out: they never count for a unit.
  const [players, tallies] = await Promise.all([store.getPlayers(game.pin), store.getTallies(game.pin)]);
  const names = new Map(contest.units.map((u) => [u.id, u.name]));
  const ranked = rankUnitTeams(
    players.map((p) => ({ unit: p.unit, score: tallies.get(p.id)?.score ?? 0 })),
    teams,
    [...names.keys()],
  );
  return {
    score: teams.score,
    ...(teams.n !== undefined ? { n: teams.n } : {}),
    minPlayers: teams.minPlayers,
    rows: ranked.map((u) => ({ ...u, name: names.get(u.unit)! })),
  };
}
