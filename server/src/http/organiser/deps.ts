/** What the organiser routers are built from. */
import type { ContestRegistry } from '../../contests/registry';
import type { LiveGames } from '../../live/games';
import type { Invitations } from '../../online/invitations';
import type { OnlineRounds } from '../../online/online-rounds';
import type { AuditLog } from '../../organiser/audit';
import type { ClaimDesk } from '../../organiser/claims';
import type { OrganiserResults } from '../../organiser/results';
import type { ResultsThread } from '../../organiser/results-thread';
import type { PurgeReport } from '../../organiser/retention';
import type { Store } from '../../store/store';

export interface OrganiserApiDeps {
  store: Store;
  games: LiveGames;
  results: OrganiserResults;
  /** Redis mode: locks, result sets and downloads are made in a worker thread (absent: on this thread). */
  resultsThread?: ResultsThread;
  audit: AuditLog;
  claims: ClaimDesk;
  /** Online rounds' qualifiers and their invitation codes. */
  invitations?: Invitations;
  /** Online rounds (the suspicious-activity review). */
  online?: OnlineRounds;
  /** Bundled and uploaded contests; uploads go through it to every node. */
  registry: ContestRegistry;
  organiserUser: string;
  /** Runs the personal-data retention sweep now. */
  purgeExpired: () => Promise<PurgeReport>;
  log: { info(obj: object, msg: string): void };
}

/** Each router's dependencies, plus the organiser as the audit log names them. */
export type OrganiserContext = OrganiserApiDeps & { actor: string };
