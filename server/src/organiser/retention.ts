import type { Contest } from '../../../protocol/contest';
import type { Store } from '../store/store';
import type { ClaimDesk } from './claims';

const DAY_MS = 86_400_000;

export interface PurgeReport {
  games: string[];
  players: number;
}

/**
 * The retention sweep: once a game has been over for its contest's `personalDataRetentionDays`, every
 * contestant's personal data is deleted exactly as on request (desk data erased, nickname anonymised unless
 * the results are locked; scores kept; each deletion logged). A game is marked once its sweep finished, so
 * the sweep can run on every node, as often as wanted.
 */
export async function purgeExpiredPersonalData(
  deps: { store: Store; claims: ClaimDesk; contests: Map<string, Contest> },
  now: number,
): Promise<PurgeReport> {
  const { store, claims, contests } = deps;
  const report: PurgeReport = { games: [], players: 0 };
  for (const indexed of await store.organiser.listGames()) {
    const contest = contests.get(indexed.contestId);
    const state = await store.getState(indexed.pin);
    if (!contest || state?.phase !== 'ended' || state.endedAt === null || (await store.organiser.isPurged(indexed.pin)))
      continue;
    if (now < state.endedAt + contest.personalDataRetentionDays * DAY_MS) continue;
    const players = await store.getPlayers(indexed.pin);
    for (const p of players) await claims.deletePersonalData(indexed.pin, p.id, 'system:retention', null);
    if (await store.organiser.markPurged(indexed.pin)) {
      report.games.push(indexed.pin);
      report.players += players.length;
    }
  }
  return report;
}
