import type { Contest } from '../../../protocol/contest';
import type { Store } from '../store/store';
import type { ClaimDesk } from './claims';
import type { OrganiserResults } from './results';

const DAY_MS = 86_400_000;
/** A game not ended a day after it was created is given up: archived and expired as if it had ended then. */
export const ABANDONED_AFTER_MS = DAY_MS;
/** A game is archived no sooner than this after it ended: a scoring job the end overtook has finished by then. */
const SETTLE_MS = 60_000;

export interface PurgeReport {
  games: string[];
  players: number;
}

export interface ExpiryReport {
  /** Games whose results were archived in this run. */
  archived: string[];
  /** Games whose live keys now have their expiry (again: the sweep is idempotent). */
  expiring: string[];
}

/**
 * The expiry sweep: a game's live keys go `keepMs` after it ended (or was given up). Before they get their expiry
 * its results are archived in the durable records, so result sets, locks, deletions and the retention sweep still
 * find them. Idempotent (a game is archived once; the expiry is set again to the same moment), so every node may run it.
 */
export async function expireEndedGames(
  deps: { store: Store; results: Pick<OrganiserResults, 'gameData'> },
  now: number,
  keepMs: number,
): Promise<ExpiryReport> {
  const { store, results } = deps;
  const report: ExpiryReport = { archived: [], expiring: [] };
  for (const { pin } of await store.organiser.listGames()) {
    const [game, state] = await Promise.all([store.getGame(pin), store.getState(pin)]);
    if (!game || !state) continue;
    const endedAt =
      state.phase === 'ended'
        ? (state.endedAt ?? game.createdAt)
        : now >= game.createdAt + ABANDONED_AFTER_MS
          ? game.createdAt + ABANDONED_AFTER_MS
          : null;
    if (endedAt === null || now < endedAt + SETTLE_MS) continue;
    if (!(await store.organiser.getArchive(pin))) {
      const data = await results.gameData(pin);
      if (!data) continue;
      await store.organiser.archiveGame({ ...data, endedAt });
      report.archived.push(pin);
    }
    if (await store.expireGame(pin, endedAt + keepMs)) report.expiring.push(pin);
  }
  await store.removeExpiredGames();
  return report;
}

/**
 * The retention sweep: once a game has been over for its contest's `personalDataRetentionDays`, every
 * contestant's personal data is deleted exactly as on request (desk data erased, nickname anonymised unless
 * the results are locked; scores kept; each deletion logged) — kicked contestants' too, and in the archive of a
 * game whose live keys expired. A game is marked once its sweep finished, so the sweep can run on every node,
 * as often as wanted.
 */
export async function purgeExpiredPersonalData(
  deps: { store: Store; claims: ClaimDesk; contests: Map<string, Contest> },
  now: number,
): Promise<PurgeReport> {
  const { store, claims, contests } = deps;
  const report: PurgeReport = { games: [], players: 0 };
  for (const indexed of await store.organiser.listGames()) {
    const contest = contests.get(indexed.contestId);
    if (!contest || (await store.organiser.isPurged(indexed.pin))) continue;
    const state = await store.getState(indexed.pin);
    const archive = state?.phase === 'ended' ? null : await store.organiser.getArchive(indexed.pin);
    const endedAt = state?.phase === 'ended' ? state.endedAt : (archive?.endedAt ?? null);
    if (endedAt === null || now < endedAt + contest.personalDataRetentionDays * DAY_MS) continue;
    const ids = new Set(archive?.rows.map((r) => r.playerId));
    if (state)
      for (const p of [...(await store.getPlayers(indexed.pin)), ...(await store.getKickedPlayers(indexed.pin))])
        ids.add(p.id);
    for (const id of ids) await claims.deletePersonalData(indexed.pin, id, 'system:retention', null);
    if (await store.organiser.markPurged(indexed.pin)) {
      report.games.push(indexed.pin);
      report.players += ids.size;
    }
  }
  return report;
}
