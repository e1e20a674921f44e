// The result set's rankings (rankings.ts: rankEntries, rankByGroup, rankUnits) made in slices that yield to the
// event loop: over a whole online round (200,000 rows) each of them held it for a second or more. Same functions
// underneath (entryRankable, playerOrder, assignRanks, applyPlayoffs, rankUnits), same results
// (rank-in-slices.test.ts); the sort is sortInSlices, stable like Array.prototype.sort with the same order.
import { TARGET_GROUPS, type Contest } from '../../../protocol/contest';
import type { ResultRow } from '../../../protocol/http';
import type { GroupRanking, Playoff, RankedEntry } from '../../../protocol/organiser';
import { slicer, sortInSlices } from '../event-loop-slices';
import { assignRanks, playerOrder, type RankKey } from '../game/ranking';
import { applyPlayoffs, entryRankable, rankUnits, type PrizeRankings } from './rankings';

/** Rows handled between two looks at the clock. */
const STEP = 2048;

/** rankEntries, in slices. */
export async function rankEntriesInSlices(
  rows: (ResultRow & { pin: string })[],
  keys: RankKey[],
  playoffs: readonly Playoff[] = [],
): Promise<RankedEntry[]> {
  const slice = slicer(1);
  const rankables: ReturnType<typeof entryRankable>[] = [];
  for (let i = 0; i < rows.length; i++) {
    rankables.push(entryRankable(rows[i]!));
    if (i % STEP === STEP - 1) await slice.pause();
  }
  const { equal, order } = playerOrder<(typeof rankables)[number]>(keys);
  const sorted = await sortInSlices(rankables, order);
  const ranked: ((typeof rankables)[number] & { rank: number; tied: boolean })[] = [];
  for (let from = 0; from < sorted.length; from += STEP) {
    assignRanks(sorted, equal, ranked, from, Math.min(sorted.length, from + STEP));
    await slice.pause();
  }
  const entries: RankedEntry[] = [];
  for (let i = 0; i < ranked.length; i++) {
    const { row, rank, tied } = ranked[i]!;
    entries.push({ ...row, rank, tied });
    if (i % STEP === STEP - 1) await slice.pause();
  }
  return applyPlayoffs(entries, playoffs);
}

/** rankByGroup, in slices. */
export async function rankByGroupInSlices(
  entries: RankedEntry[],
  keys: RankKey[],
  playoffs: readonly Playoff[] = [],
): Promise<GroupRanking[]> {
  const slice = slicer(1);
  const byGroup = new Map<string, RankedEntry[]>(TARGET_GROUPS.map((g) => [g, []]));
  for (let i = 0; i < entries.length; i++) {
    byGroup.get(entries[i]!.group)?.push(entries[i]!);
    if (i % STEP === STEP - 1) await slice.pause();
  }
  const out: GroupRanking[] = [];
  for (const group of TARGET_GROUPS) {
    const members = byGroup.get(group)!;
    if (members.length) out.push({ group, entries: await rankEntriesInSlices(members, keys, playoffs) });
  }
  return out;
}

/** The rankings a result set is made of (overall, per group, units), in slices. */
export async function rankAllInSlices(
  rows: (ResultRow & { pin: string })[],
  keys: RankKey[],
  playoffs: readonly Playoff[],
  units: Contest['units'],
): Promise<PrizeRankings> {
  const overall = await rankEntriesInSlices(rows, keys, playoffs);
  const byGroup = await rankByGroupInSlices(overall, keys, playoffs);
  return { overall, byGroup, units: rankUnits(overall, units, keys[0] === 'correct') };
}
