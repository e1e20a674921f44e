import { TARGET_GROUPS, type Contest, type TargetGroup } from '../../../protocol/contest';
import type { ResultRow } from '../../../protocol/http';
import type { GroupRanking, RankedEntry, TieReport, UnitStanding, Winner } from '../../../protocol/organiser';
import { rankPlayers, type RankKey } from '../game/ranking';

type PrizeTier = Contest['prizes']['individual'][number];

export const entryId = (e: { pin: string; playerId: string }) => `${e.pin}:${e.playerId}`;

/**
 * Ranks rows from one or more games together by the keys. Rows equal on every key share a rank and are
 * flagged `tied`: never broken silently (the order among them is only by id, for a stable listing).
 */
export function rankEntries(rows: (ResultRow & { pin: string })[], keys: RankKey[]): RankedEntry[] {
  const ranked = rankPlayers(
    rows.map((row) => ({
      playerId: entryId(row),
      row,
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
    })),
    keys,
  );
  return ranked.map(({ row, rank, tied }) => ({ ...row, rank, tied }));
}

/** One ranking per target group (groups without contestants are left out), ranks within the group. */
export function rankByGroup(entries: RankedEntry[], keys: RankKey[]): GroupRanking[] {
  return TARGET_GROUPS.map((group) => ({ group, entries: rankEntries(entries.filter((e) => e.group === group), keys) })).filter((g) => g.entries.length);
}

/**
 * Collective ranking of the contest's units: participants, participation rate against the headcount, and the
 * average score (average correct answers when the ranking counts correct answers first). Ranked by that average,
 * then by participants; units nobody came from are listed last, unranked by score.
 */
export function rankUnits(entries: RankedEntry[], units: Contest['units'], byCorrect: boolean): UnitStanding[] {
  const rows = units.map((u) => {
    const mine = entries.filter((e) => e.unit === u.id);
    const n = mine.length;
    return {
      unit: u.id,
      name: u.name,
      kind: u.kind,
      participants: n,
      headcount: u.headcount ?? null,
      participationRate: u.headcount ? n / u.headcount : null,
      averageScore: n ? mine.reduce((s, e) => s + e.score, 0) / n : 0,
      averageCorrect: n ? mine.reduce((s, e) => s + e.correct, 0) / n : 0,
    };
  });
  const avg = (r: (typeof rows)[number]) => (byCorrect ? r.averageCorrect : r.averageScore);
  const cmp = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
    Number(b.participants > 0) - Number(a.participants > 0) || avg(b) - avg(a) || b.participants - a.participants;
  const sorted = rows.sort((a, b) => cmp(a, b) || a.unit.localeCompare(b.unit));
  const out: UnitStanding[] = [];
  sorted.forEach((r, i) => {
    const same = i > 0 && cmp(sorted[i - 1]!, r) === 0;
    out.push({ ...r, rank: same ? out[i - 1]!.rank : i + 1, tied: same && r.participants > 0 });
    if (same && r.participants > 0) out[i - 1]!.tied = true;
  });
  return out;
}

/** Positions (0-based, exclusive) where a tier ends: a tie across one of them is a tie the prize depends on. */
function cuts(tiers: PrizeTier[]): number[] {
  let at = 0;
  return tiers.filter((t) => t.count > 0).map((t) => (at += t.count));
}

/** Groups of tied members, each flagged when it straddles a tier's cut. */
export function tieReports<T extends { rank: number; tied: boolean }>(
  ranking: TieReport['ranking'],
  sorted: T[],
  id: (x: T) => string,
  name: (x: T) => string,
  tiers: PrizeTier[],
): TieReport[] {
  const boundaries = cuts(tiers);
  const reports: TieReport[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j]!.rank === sorted[i]!.rank) j++;
    if (j - i > 1 && sorted[i]!.tied) {
      const group = sorted.slice(i, j);
      reports.push({ ranking, rank: sorted[i]!.rank, members: group.map(id), names: group.map(name), atPrizeBoundary: boundaries.some((c) => c > i && c < j) });
    }
    i = j;
  }
  return reports;
}

/** Hands out tiers in order down a ranking: the first `count` get the first tier, and so on. */
function award<T extends { rank: number }>(sorted: T[], tiers: PrizeTier[], make: (x: T, tier: PrizeTier) => Winner): Winner[] {
  const winners: Winner[] = [];
  let at = 0;
  for (const tier of tiers) {
    for (const x of sorted.slice(at, at + tier.count)) winners.push(make(x, tier));
    at += tier.count;
  }
  return winners;
}

/** Individual, per-group and collective prizes from the contest's tiers. Ties at a cut are reported, not resolved. */
export function computeWinners(overall: RankedEntry[], byGroup: GroupRanking[], units: UnitStanding[], prizes: Contest['prizes']): Winner[] {
  const person = (scope: 'individual' | 'group', group?: TargetGroup) => (e: RankedEntry, tier: PrizeTier): Winner => ({
    scope,
    ...(group ? { group } : {}),
    tier: tier.id,
    label: tier.label,
    rank: e.rank,
    pin: e.pin,
    playerId: e.playerId,
    nickname: e.nickname,
    ...(e.unit ? { unit: e.unit } : {}),
    score: e.score,
    correct: e.correct,
  });
  return [
    ...award(overall, prizes.individual, person('individual')),
    ...byGroup.flatMap((g) => award(g.entries, prizes.perGroup, person('group', g.group))),
    ...award(units.filter((u) => u.participants > 0), prizes.collective, (u, tier) => ({ scope: 'collective', tier: tier.id, label: tier.label, rank: u.rank, unit: u.unit })),
  ];
}

/** Every unbreakable tie in the overall, group and unit rankings. */
export function allTies(overall: RankedEntry[], byGroup: GroupRanking[], units: UnitStanding[], prizes: Contest['prizes']): TieReport[] {
  return [
    ...tieReports('overall', overall, entryId, (e) => e.nickname, prizes.individual),
    ...byGroup.flatMap((g) => tieReports(g.group, g.entries, entryId, (e) => e.nickname, prizes.perGroup)),
    ...tieReports('units', units.filter((u) => u.participants > 0), (u) => u.unit, (u) => u.name, prizes.collective),
  ];
}
