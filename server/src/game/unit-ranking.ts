// Units as teams: a unit round ranks units by their members' scores. Pure: the live board, the podium and the
// organisers' results all rank with this one function.
import type { TeamSettings } from '../../../protocol/contest';

/** A contestant's score in the round and the unit they played for. */
export interface UnitMember {
  unit?: string | undefined;
  score: number;
  /** Removed by the host: never counts for a unit. */
  kicked?: boolean;
}

export interface UnitTeamScore {
  unit: string;
  /** Members who played for the unit (kicked ones excluded). */
  players: number;
  /** The average of the members' scores (`average`) or the sum of the best `n` (`bestN`), rounded to a point. */
  score: number;
  /** 1-based; units equal in score share a rank. Null when the unit has fewer than `minPlayers` players. */
  rank: number | null;
  /** Another ranked unit has the same score: the rules cannot separate them. */
  tied: boolean;
}

/**
 * Ranks units by the round's team score. Ranked units first (best first), then the units too small to rank (by
 * score, `rank: null`); listing order among equals is by unit id, which is not a result. Contestants without a
 * unit, or with one not in `units` (when given), play for no unit.
 */
export function rankUnitTeams(
  members: readonly UnitMember[],
  settings: Pick<TeamSettings, 'score' | 'n' | 'minPlayers'>,
  units?: readonly string[],
): UnitTeamScore[] {
  const known = units ? new Set(units) : null;
  const scores = new Map<string, number[]>();
  for (const m of members) {
    if (m.kicked || !m.unit || (known && !known.has(m.unit))) continue;
    const list = scores.get(m.unit) ?? [];
    list.push(m.score);
    scores.set(m.unit, list);
  }
  const rows = [...scores].map(([unit, list]) => {
    const score =
      settings.score === 'bestN'
        ? list
            .sort((a, b) => b - a)
            .slice(0, settings.n ?? list.length)
            .reduce((s, x) => s + x, 0)
        : list.reduce((s, x) => s + x, 0) / list.length;
    return { unit, players: list.length, score: Math.round(score), ranked: list.length >= settings.minPlayers };
  });
  rows.sort((a, b) => Number(b.ranked) - Number(a.ranked) || b.score - a.score || a.unit.localeCompare(b.unit));
  const out: UnitTeamScore[] = [];
  rows.forEach((r, i) => {
    const prev = out[i - 1];
    const same = !!prev && r.ranked && prev.rank !== null && prev.score === r.score;
    out.push({
      unit: r.unit,
      players: r.players,
      score: r.score,
      rank: r.ranked ? (same ? prev.rank : i + 1) : null,
      tied: same,
    });
    if (same) prev.tied = true;
  });
  return out;
}
