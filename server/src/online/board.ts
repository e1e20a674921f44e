// The public board of online rounds: participants and attempts so far, the top contestants (names masked as the
// contest says), units by participants and by participation rate, target groups. A periodic job computes one
// snapshot per contest from the store's counters and the head of the ranking (bounded reads, never a scan) and
// stores it; every node serves requests from a copy of that snapshot. In Redis mode a short lease makes one node
// compute each tick.
import { randomUUID } from 'node:crypto';
import { TARGET_GROUPS, type Contest } from '../../../protocol/contest';
import type { BoardRound, BoardUnit, OnlineBoard } from '../../../protocol/online';
import { maskName } from '../live/views';
import { predictionKey, type OnlineRound } from './round-results';
import { attemptRules, roundStatus, windowOf } from './round-window';
import type { OnlineStore } from './store';

/** How often the snapshot is recomputed, and how many contestants it lists. */
export const BOARD_INTERVAL_MS = 5000;
export const BOARD_TOP = 10;
const SNAPSHOT = 'board';

export interface OnlineBoardsDeps {
  store: OnlineStore;
  contests: Map<string, Contest>;
  /** Fixes a round's prediction value once it is final (OnlineRounds.roundRows: a full read, once per round). */
  finalise: (contestId: string, roundId: string) => Promise<unknown>;
  graceMs: number;
  intervalMs?: number;
  log?: { error(obj: object, msg: string): void };
}

const onlineRounds = (contest: Contest) =>
  contest.rounds.filter((r): r is OnlineRound => r.mode === 'self-paced' && !!r.online);

export class OnlineBoards {
  private readonly holder = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  /** This node's copy of each contest's snapshot, re-read from the store at most once a second. */
  private readonly cache = new Map<string, { readAt: number; board: OnlineBoard | null }>();
  private running: Promise<void> | null = null;

  constructor(private readonly deps: OnlineBoardsDeps) {}

  start() {
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs ?? BOARD_INTERVAL_MS);
    this.timer.unref();
    void this.tick();
  }
  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One tick: for each contest with online rounds whose lease this node holds, compute and store the snapshot. */
  tick(): Promise<void> {
    // A slow tick is never overlapped by the next one on the same node.
    this.running ??= (async () => {
      const ttl = (this.deps.intervalMs ?? BOARD_INTERVAL_MS) * 2;
      for (const contest of this.deps.contests.values()) {
        if (!onlineRounds(contest).length) continue;
        try {
          if (!(await this.deps.store.lease(contest.id, 'board', this.holder, ttl))) continue;
          const board = await this.compute(contest);
          await this.deps.store.setValue(contest.id, SNAPSHOT, JSON.stringify(board), ttl * 6);
          this.cache.set(contest.id, { readAt: Date.now(), board });
        } catch (err) {
          this.deps.log?.error({ err, contestId: contest.id }, 'online board snapshot failed');
        }
      }
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** The snapshot as requests read it (null before the first one). */
  async board(contestId: string): Promise<OnlineBoard | null> {
    const hit = this.cache.get(contestId);
    if (hit && Date.now() - hit.readAt < 1000) return hit.board;
    const json = await this.deps.store.getValue(contestId, SNAPSHOT);
    const board = json ? (JSON.parse(json) as OnlineBoard) : null;
    this.cache.set(contestId, { readAt: Date.now(), board });
    return board;
  }

  private async compute(contest: Contest): Promise<OnlineBoard> {
    const { store } = this.deps;
    const now = await store.now();
    const rounds: BoardRound[] = [];
    for (const round of onlineRounds(contest)) {
      // The round is final: fix the prediction's actual value once (the first tick after it).
      const finalAt = windowOf(round.online).closesAt + attemptRules(round.online).limitMs + this.deps.graceMs;
      if (round.prediction && now >= finalAt && (await store.getValue(contest.id, predictionKey(round.id))) === null)
        await this.deps.finalise(contest.id, round.id);
      const [counters, head] = await Promise.all([
        store.counters(contest.id, round.id),
        store.ranking(contest.id, round.id, 0, BOARD_TOP),
      ]);
      const top = await Promise.all(
        head.map(async (e, i) => {
          const [attempt, who] = await Promise.all([
            store.getAttempt(contest.id, e.attemptId),
            store.getContestant(contest.id, e.contestantId),
          ]);
          const r = attempt?.result;
          if (!r || !who) return null;
          return {
            rank: i + 1,
            name: contest.maskNames ? maskName(who.fullName) : who.fullName,
            group: who.group,
            unit: who.unit,
            correct: r.correct,
            total: r.total,
            timeMs: r.timeMs,
          };
        }),
      );
      const units: BoardUnit[] = contest.units.map((u) => {
        const c = counters.units[u.id] ?? { participants: 0, attempts: 0 };
        return {
          unit: u.id,
          name: u.name,
          kind: u.kind,
          ...c,
          headcount: u.headcount ?? null,
          participationRate: u.headcount ? c.participants / u.headcount : null,
        };
      });
      rounds.push({
        roundId: round.id,
        title: round.title,
        status: roundStatus(round.online, now),
        participants: counters.participants,
        attempts: counters.attempts,
        top: top.filter((t) => t !== null),
        unitsByParticipants: [...units].sort(
          (a, b) => b.participants - a.participants || a.name.localeCompare(b.name, 'vi'),
        ),
        unitsByRate: units
          .filter((u) => u.participationRate !== null)
          .sort((a, b) => b.participationRate! - a.participationRate! || a.name.localeCompare(b.name, 'vi')),
        groups: TARGET_GROUPS.map((group) => ({
          group,
          ...(counters.groups[group] ?? { participants: 0, attempts: 0 }),
        })),
      });
    }
    return {
      contestId: contest.id,
      title: contest.title,
      at: now,
      maskNames: contest.maskNames,
      registrations: await store.registrations(contest.id),
      rounds,
    };
  }
}
