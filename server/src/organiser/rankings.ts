import { createHash } from 'node:crypto';
import {
  TARGET_GROUPS,
  type Contest,
  type PrizeSet,
  type PrizeTier,
  type Prizes,
  type TargetGroup,
} from '../../../protocol/contest';
import type { ResultRow } from '../../../protocol/http';
import type {
  GroupRanking,
  Playoff,
  PrizePreview,
  RankedEntry,
  ResultSet,
  SkippedPrize,
  TieReport,
  UnitStanding,
  Winner,
} from '../../../protocol/organiser';
import { rankPlayers, type RankKey } from '../game/ranking';

export const entryId = (e: { pin: string; playerId: string }) => `${e.pin}:${e.playerId}`;

/**
 * Who a row belongs to, for "one prize per person": the same player record across the rows ranked together.
 * A live game has no accounts, so that is its player (`pin:playerId`: the same phone in two games is two
 * people). Rows of registered contestants (online rounds) are to carry `contestantId`; when present it is the
 * person, so one contestant's rows in several rounds or attempts count as one.
 */
export const personKey = (e: { pin: string; playerId: string; contestantId?: string }) => e.contestantId ?? entryId(e);

/** A row as the ranking sees it: its entry id and its tally. */
export const entryRankable = <R extends ResultRow & { pin: string }>(row: R) => ({
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
});

/**
 * Ranks rows from one or more games together by the keys. Rows equal on every key share a rank and are
 * flagged `tied`: never broken silently (the order among them is only by id, for a stable listing).
 */
export function rankEntries(
  rows: (ResultRow & { pin: string })[],
  keys: RankKey[],
  playoffs: readonly Playoff[] = [],
): RankedEntry[] {
  const ranked = rankPlayers(rows.map(entryRankable), keys);
  return applyPlayoffs(
    ranked.map(({ row, rank, tied }) => ({ ...row, rank, tied })),
    playoffs,
  );
}

/**
 * Sudden-death playoffs as the last tie-break: a playoff reorders a group of tied entries only when every one of
 * them played in it (so nobody is ranked by a question they never got), in the order the playoffs were recorded.
 * Places equal in the playoff stay tied.
 */
export function applyPlayoffs<T extends { pin: string; playerId: string; rank: number; tied: boolean }>(
  ranked: T[],
  playoffs: readonly Playoff[],
): T[] {
  let out = ranked;
  for (const playoff of playoffs) {
    const next: T[] = [];
    for (let i = 0; i < out.length;) {
      let j = i + 1;
      while (j < out.length && out[j]!.rank === out[i]!.rank) j++;
      const group = out.slice(i, j);
      const place = (e: T) => playoff.places[entryId(e)]!;
      if (group.length < 2 || !group.every((e) => entryId(e) in playoff.places)) next.push(...group);
      else {
        const sorted = [...group].sort((a, b) => place(a) - place(b));
        sorted.forEach((e) => {
          const ahead = sorted.filter((x) => place(x) < place(e)).length;
          const level = sorted.filter((x) => place(x) === place(e)).length;
          next.push({ ...e, rank: group[0]!.rank + ahead, tied: level > 1 });
        });
      }
      i = j;
    }
    out = next;
  }
  return out;
}

/** One ranking per target group (groups without contestants are left out), ranks within the group. */
export function rankByGroup(
  entries: RankedEntry[],
  keys: RankKey[],
  playoffs: readonly Playoff[] = [],
): GroupRanking[] {
  return TARGET_GROUPS.map((group) => ({
    group,
    entries: rankEntries(
      entries.filter((e) => e.group === group),
      keys,
      playoffs,
    ),
  })).filter((g) => g.entries.length);
}

/**
 * Collective ranking of the contest's units: participants, participation rate against the headcount, and the
 * average score (average correct answers when the ranking counts correct answers first). Ranked by that average,
 * then by participants; units nobody came from are listed last, unranked by score.
 */
export function rankUnits(entries: RankedEntry[], units: Contest['units'], byCorrect: boolean): UnitStanding[] {
  // One pass over the entries (an online round has 200,000 of them; a pass per unit would be 114 passes).
  const sums = new Map<string, { n: number; score: number; correct: number }>();
  for (const e of entries) {
    if (!e.unit) continue;
    const t = sums.get(e.unit) ?? { n: 0, score: 0, correct: 0 };
    t.n++;
    t.score += e.score;
    t.correct += e.correct;
    sums.set(e.unit, t);
  }
  const rows = units.map((u) => {
    const { n, score, correct } = sums.get(u.id) ?? { n: 0, score: 0, correct: 0 };
    return {
      unit: u.id,
      name: u.name,
      kind: u.kind,
      participants: n,
      headcount: u.headcount ?? null,
      participationRate: u.headcount ? n / u.headcount : null,
      averageScore: n ? score / n : 0,
      averageCorrect: n ? correct / n : 0,
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

/**
 * The unit standings re-ranked by participants (most first), then as they stood (by average): for collective
 * tiers with `by: participants`. Units nobody came from stay last; equal participants and average share a rank.
 */
export function rankUnitsByParticipants(units: UnitStanding[]): UnitStanding[] {
  const cmp = (a: UnitStanding, b: UnitStanding) =>
    b.participants - a.participants || (a.participants ? a.rank - b.rank : 0);
  const sorted = [...units].sort((a, b) => cmp(a, b) || a.unit.localeCompare(b.unit));
  const out: UnitStanding[] = [];
  sorted.forEach((u, i) => {
    const same = i > 0 && cmp(sorted[i - 1]!, u) === 0;
    out.push({ ...u, rank: same ? out[i - 1]!.rank : i + 1, tied: same && u.participants > 0 });
    if (same && u.participants > 0) out[i - 1]!.tied = true;
  });
  return out;
}

/** Where tiers end (positions, exclusive): a tie across one of them is a tie a prize depends on. */
function cuts(tiers: PrizeTier[]): number[] {
  let at = 0;
  return tiers.filter((t) => t.count > 0).map((t) => (at += t.count));
}

/** Groups of tied members (equal rank) in a sorted list, each flagged when it straddles one of `cutsAt`. */
export function tieReports<T extends { rank: number; tied: boolean }>(
  ranking: TieReport['ranking'],
  sorted: T[],
  id: (x: T) => string,
  name: (x: T) => string,
  cutsAt: number[],
): TieReport[] {
  const reports: TieReport[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j]!.rank === sorted[i]!.rank) j++;
    if (j - i > 1 && sorted[i]!.tied) {
      const group = sorted.slice(i, j);
      reports.push({
        ranking,
        rank: sorted[i]!.rank,
        members: group.map(id),
        names: group.map(name),
        atPrizeBoundary: cutsAt.some((c) => c > i && c < j),
      });
    }
    i = j;
  }
  return reports;
}

/** The rankings prizes are drawn from: those of the prize rounds' games only. */
export interface PrizeRankings {
  overall: RankedEntry[];
  byGroup: GroupRanking[];
  units: UnitStanding[];
}

/** What the prize rules name: the winners, the ties at a cut (to accept at lock), and who was passed over. */
export interface PrizeOutcome {
  winners: Winner[];
  tiesAtCut: TieReport[];
  skipped: SkippedPrize[];
}

const tierAt = (tiers: PrizeTier[], position: number) => {
  let end = 0;
  for (const t of tiers) if (position < (end += t.count)) return t;
  return undefined;
};

/**
 * Individual, per-group and collective prizes. Each list walks down its ranking and gives places, tier by tier,
 * to eligible entrants only (`prizes.eligibility`); with `onePerPerson` an entrant who already holds a prize
 * (individual lists first, then the groups) is passed over and the next one takes the place. A group with
 * fewer entrants than `minEntrantsPerGroup` gets no group prizes. Ties across a cut among the eligible are
 * reported, never resolved: the listing order among tied entrants is only by id, and the lock must accept them.
 */
export function computeWinners(ranked: PrizeRankings, prizes: Prizes, rounds?: string[]): PrizeOutcome {
  const { eligibility, onePerPerson } = prizes;
  // With several prize sets, each winner and skip names its set's rounds.
  const tag = rounds ? { rounds } : {};
  const held = new Map<string, Winner>();
  const out: PrizeOutcome = { winners: [], tiesAtCut: [], skipped: [] };
  const entrant = (e: RankedEntry) => ({
    pin: e.pin,
    playerId: e.playerId,
    nickname: e.nickname,
    rank: e.rank,
    score: e.score,
    correct: e.correct,
  });

  const people = (list: 'individual' | 'group', entries: RankedEntry[], group?: TargetGroup) => {
    const tiers = list === 'individual' ? prizes.individual : prizes.perGroup;
    const places = tiers.reduce((n, t) => n + t.count, 0);
    if (!places) return;
    if (group) {
      const entrants = new Set(entries.map(personKey)).size;
      if (entrants < eligibility.minEntrantsPerGroup) {
        out.skipped.push({
          list,
          group,
          reason: 'group-too-small',
          entrants,
          minEntrants: eligibility.minEntrantsPerGroup,
          ...tag,
        });
        return;
      }
    }
    const eligible: RankedEntry[] = [];
    for (const e of entries) {
      const full = eligible.length >= places;
      // Past the last place, keep going only through a tie with it: that tie is decided at the lock.
      if (full && e.rank !== eligible[places - 1]!.rank) break;
      const mine = held.get(personKey(e));
      const reason =
        e.correct < eligibility.minCorrect
          ? 'below-min-correct'
          : e.score < eligibility.minScore
            ? 'below-min-score'
            : onePerPerson && mine
              ? 'already-won-higher'
              : undefined;
      if (reason) {
        if (!full)
          out.skipped.push({
            list,
            ...(group ? { group } : {}),
            reason,
            ...entrant(e),
            ...(reason === 'already-won-higher'
              ? { held: { scope: mine!.scope as 'individual' | 'group', tier: mine!.tier, label: mine!.label } }
              : {}),
            ...tag,
          });
        continue;
      }
      const tier = tierAt(tiers, eligible.length);
      eligible.push(e);
      if (!tier) continue;
      const w: Winner = {
        scope: list,
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
        ...tag,
      };
      out.winners.push(w);
      if (!held.has(personKey(e))) held.set(personKey(e), w);
    }
    out.tiesAtCut.push(
      ...tieReports(group ?? 'overall', eligible, entryId, (e) => e.nickname, cuts(tiers)).filter(
        (t) => t.atPrizeBoundary,
      ),
    );
  };

  people('individual', ranked.overall);
  for (const g of ranked.byGroup) people('group', g.entries, g.group);

  const byParticipants = prizes.collective.some((t) => t.by === 'participants');
  const units = (byParticipants ? rankUnitsByParticipants(ranked.units) : ranked.units).filter(
    (u) => u.participants > 0,
  );
  let at = 0;
  for (const tier of prizes.collective) {
    for (const u of units.slice(at, at + tier.count))
      out.winners.push({ scope: 'collective', tier: tier.id, label: tier.label, rank: u.rank, unit: u.unit, ...tag });
    at += tier.count;
  }
  out.tiesAtCut.push(
    ...tieReports(
      'units',
      units,
      (u) => u.unit,
      (u) => u.name,
      cuts(prizes.collective),
    ).filter((t) => t.atPrizeBoundary),
  );
  return out;
}

/**
 * Every unbreakable tie in the set's overall, group and unit rankings. One is flagged `atPrizeBoundary` when it
 * holds a tie the prizes cut through (`tiesAtCut`, from computeWinners); a cut tie found in no ranking tie (the
 * prizes rank fewer games than the set) is listed on its own.
 */
export function allTies(
  overall: RankedEntry[],
  byGroup: GroupRanking[],
  units: UnitStanding[],
  tiesAtCut: TieReport[],
): TieReport[] {
  const ties = [
    ...tieReports('overall', overall, entryId, (e) => e.nickname, []),
    ...byGroup.flatMap((g) => tieReports(g.group, g.entries, entryId, (e) => e.nickname, [])),
    ...tieReports(
      'units',
      units.filter((u) => u.participants > 0),
      (u) => u.unit,
      (u) => u.name,
      [],
    ),
  ];
  for (const cut of tiesAtCut) {
    const holder = ties.find((t) => t.ranking === cut.ranking && cut.members.every((m) => t.members.includes(m)));
    if (holder) holder.atPrizeBoundary = true;
    else ties.push(cut);
  }
  return ties;
}

/**
 * The preview of a result set's prizes: every tier with its winners (set by set, in the contest's order), the ties
 * at a cut, who was passed over. A set's group tiers are listed per group only where the result set names it.
 */
export function prizePreview(set: ResultSet, sets: PrizeSet[]): PrizePreview {
  const tiers: PrizePreview['tiers'] = [];
  const several = sets.length > 1;
  for (const ps of sets) {
    const named = several
      ? set.prizeScope.sets?.find((s) => s.rounds.join(',') === ps.key)?.namesPrizes
      : set.prizeScope.namesPrizes;
    const tag = several ? { rounds: ps.rounds } : {};
    const add = (scope: 'individual' | 'group' | 'collective', list: PrizeTier[], group?: TargetGroup) => {
      for (const t of list)
        tiers.push({
          scope,
          ...(group ? { group } : {}),
          tier: t.id,
          label: t.label,
          count: t.count,
          winners: set.winners.filter((w) => w.scope === scope && w.tier === t.id && w.group === group),
          ...tag,
        });
    };
    add('individual', ps.prizes.individual);
    for (const g of named ? TARGET_GROUPS : []) if (ps.prizes.perGroup.length) add('group', ps.prizes.perGroup, g);
    add('collective', ps.prizes.collective);
  }
  const named = {
    prizeScope: set.prizeScope,
    tiers,
    tiesAtCut: set.ties.filter((t) => t.atPrizeBoundary),
    skipped: set.skipped,
  };
  // What the lock compares with the preview the organiser saw: the same named prizes give the same digest.
  const digest = createHash('sha256').update(JSON.stringify(named)).digest('hex');
  return { scope: set.scope, contestId: set.contestId, ...named, lock: set.lock, digest };
}
