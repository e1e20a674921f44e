// Join bursts: many players joining from one client address within a few seconds (bots, or a hall behind one
// router: the host decides). Pure: computed from the players' join times and address hashes.
import type { JoinBurst } from '../../../protocol/events';
import type { PlayerRecord } from './state';

export interface BurstRule {
  /** At least this many joins … */
  minCount: number;
  /** … from one origin within this many milliseconds. */
  windowMs: number;
}

/**
 * The bursts among `players`: for each origin, the joins that fall in some window of `windowMs` holding at least
 * `minCount` of them; overlapping windows make one burst. Largest first.
 */
export function joinBursts(players: readonly PlayerRecord[], rule: BurstRule): JoinBurst[] {
  const byOrigin = new Map<string, PlayerRecord[]>();
  for (const p of players) if (p.origin) byOrigin.set(p.origin, [...(byOrigin.get(p.origin) ?? []), p]);
  const bursts: JoinBurst[] = [];
  for (const [origin, list] of byOrigin) {
    if (list.length < rule.minCount) continue;
    const joins = [...list].sort((a, b) => a.joinedAt - b.joinedAt);
    // Mark every join inside a window (starting at some join) that holds at least minCount joins.
    const marked = new Array<boolean>(joins.length).fill(false);
    for (let i = 0, end = 0; i < joins.length; i++) {
      while (end < joins.length && joins[end]!.joinedAt - joins[i]!.joinedAt <= rule.windowMs) end++;
      if (end - i >= rule.minCount) marked.fill(true, i, end);
    }
    // Marked joins closer than windowMs to the previous one belong to the same burst.
    let run: PlayerRecord[] = [];
    const flush = () => {
      if (run.length)
        bursts.push({
          origin,
          count: run.length,
          from: run[0]!.joinedAt,
          to: run.at(-1)!.joinedAt,
          sample: run.slice(0, 5).map((p) => p.nickname),
        });
      run = [];
    };
    joins.forEach((p, i) => {
      if (!marked[i]) return;
      if (run.length && p.joinedAt - run.at(-1)!.joinedAt > rule.windowMs) flush();
      run.push(p);
    });
    flush();
  }
  return bursts.sort((a, b) => b.count - a.count || a.from - b.from);
}

/** The players a `kick-burst` command removes: those who joined from `origin` between `from` and `to`. */
export function burstMembers(
  players: readonly PlayerRecord[],
  burst: { origin: string; from: number; to: number },
): PlayerRecord[] {
  return players.filter((p) => p.origin === burst.origin && p.joinedAt >= burst.from && p.joinedAt <= burst.to);
}
