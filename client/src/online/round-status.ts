// Where each self-paced round's window stands at a given instant of the server's clock, so a page left open
// across the opening or the closing moves on by itself without trusting the phone's date.
import type { OnlineContestInfo, RoundStatus } from '../../../protocol/online';

export function roundStatus(round: { opensAtMs: number; closesAtMs: number }, serverNow: number): RoundStatus {
  return serverNow < round.opensAtMs ? 'upcoming' : serverNow > round.closesAtMs ? 'closed' : 'open';
}

export function withStatus(info: OnlineContestInfo, serverNow: number): OnlineContestInfo {
  return { ...info, rounds: info.rounds.map((r) => ({ ...r, status: roundStatus(r, serverNow) })) };
}
