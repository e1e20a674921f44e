import { createHash } from 'node:crypto';
import { hasPrizes, prizeRounds, prizeSets, type Contest, type PrizeSet } from '../../../protocol/contest';
import type { ResultRow } from '../../../protocol/http';
import {
  onlinePin,
  type AnswerRow,
  type Dashboard,
  type IndexedGame,
  type Playoff,
  type PrizePreview,
  type PrizeScopeInfo,
  type QuestionStat,
  type ResultScope,
  type ResultSet,
  type TieReport,
} from '../../../protocol/organiser';
import { answersSince, buildDashboard, listGames } from './dashboard';
import { GameError } from '../errors';
import type { LiveGames } from '../live/games';
import type { GameArchive } from '../store/records';
import type { Store } from '../store/store';
import type { AuditLog } from './audit';
import type { ClaimDesk } from './claims';
import { optionTexts } from '../game/question';
import { rankKeysFor } from '../game/ranking';
import { teamPrizeUnits, teamRanking } from './unit-teams';
import { parseInSlices, stringifyHashed } from './result-json';
import { rankAllInSlices } from './rank-in-slices';
import type { OnlineRoundRows } from '../online/round-results';
import { allTies, computeWinners, prizePreview, type PrizeOutcome, type PrizeRankings } from './rankings';

/** Reasons a set names no prizes, the most useful first: a missing game says what to do. */
const REASON_ORDER: NonNullable<PrizeScopeInfo['reason']>[] = [
  'practice-game',
  'partial-prize-rounds',
  'outside-prize-rounds',
  'no-prizes',
];

/** One answer for a contest of several prize sets: each set's, and a summary in the single-set fields. */
function summariseScopes(scopes: PrizeScopeInfo[]): PrizeScopeInfo {
  const named = scopes.filter((s) => s.namesPrizes);
  const { onePerPerson, eligibility } = scopes[0]!;
  const sets = scopes.map(({ onePerPerson: _o, eligibility: _e, ...s }) => s);
  if (named.length)
    return { rounds: named.flatMap((s) => s.rounds), namesPrizes: true, onePerPerson, eligibility, sets };
  const reason = REASON_ORDER.find((r) => scopes.some((s) => s.reason === r))!;
  const missingGames = scopes.flatMap((s) => s.missingGames ?? []);
  return {
    rounds: scopes.flatMap((s) => s.rounds),
    namesPrizes: false,
    reason,
    ...(missingGames.length ? { missingGames } : {}),
    onePerPerson,
    eligibility,
    sets,
  };
}

export interface OrganiserResultsDeps {
  games: LiveGames;
  store: Store;
  contests: Map<string, Contest>;
  audit: AuditLog;
  /** Issues winners' claim codes when results are locked. */
  claims?: ClaimDesk;
  /** Online (self-paced) rounds as result rows (OnlineRounds; wired in app.ts). */
  online?: OnlineResultsSource;
  /** How long one computed dashboard serves every organiser's poll (default 2 s). */
  dashboardTtlMs?: number;
  /**
   * Where the dashboard of a contest with online rounds is computed (Redis mode: the results worker, ResultsThread):
   * it reads every answer of the contest, 2,000,000 rows for a whole online round, too much for this event loop.
   * Other contests (live games only, a few thousand answers) and embedded mode compute it here (computeDashboard).
   */
  offloadDashboard?: (contestId: string) => Promise<Dashboard>;
}

/** The port through which result sets read online rounds: a sibling service, not its store. */
export interface OnlineResultsSource {
  roundRows(contestId: string, roundId: string): Promise<OnlineRoundRows>;
  /** Every answer of the round, a page at a time. */
  roundAnswers(contestId: string, roundId: string): AsyncIterable<AnswerRow[]>;
  /** When the round is final, without reading its rows. */
  roundTimes(contestId: string, roundId: string): Promise<{ closesAt: number; finalAt: number; now: number }>;
}

export const scopeKey = (s: ResultScope) =>
  s.kind === 'game'
    ? `game:${s.pin}`
    : s.kind === 'round'
      ? `round:${s.contestId}:${s.roundId}`
      : `contest:${s.contestId}`;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Rankings, prizes and locks over a scope (one game, a round's games, a contest's games). A locked scope is
 * served from its frozen copy; its games refuse further score writes (see LiveGames.scoreQuestion).
 */
/**
 * How long a computed dashboard serves the polls: the base TTL (2 s), or ten times what the computation took when
 * that is longer. A contest holding a 200,000-contestant online round takes ~30 s to compute (every answer is read);
 * recomputing it every 2 s would keep a node busy all day, this keeps the dashboard's share of a node near 10 %.
 */
export const dashboardTtl = (baseMs: number, computeMs: number) => Math.max(baseMs, 10 * computeMs);

export class OrganiserResults {
  /** One dashboard computation per contest at a time, shared by every screen polling /admin within the TTL. */
  private readonly dashboards = new Map<string, { at: number; value: Promise<Dashboard>; ttlMs: number }>();

  constructor(private readonly deps: OrganiserResultsDeps) {}

  /** The contest and the PINs a scope covers, from the games index. */
  private async resolve(
    scope: ResultScope,
  ): Promise<{ contest: Contest; pins: string[]; online: string[]; title: string }> {
    const { store, contests } = this.deps;
    if (scope.kind === 'game') {
      // A game whose live keys expired is known by its archive.
      const game = (await store.getGame(scope.pin)) ?? (await store.organiser.getArchive(scope.pin));
      if (!game) throw new GameError('GAME_NOT_FOUND', `no game ${scope.pin}`);
      const contest = contests.get(game.contestId);
      if (!contest) throw new GameError('CONTEST_NOT_FOUND', `contest '${game.contestId}' is no longer loaded`);
      return { contest, pins: [scope.pin], online: [], title: `${contest.title} — ${game.roundTitle} — ${scope.pin}` };
    }
    const contest = contests.get(scope.contestId);
    if (!contest) throw new GameError('CONTEST_NOT_FOUND', `no contest '${scope.contestId}'`);
    const round = scope.kind === 'round' ? contest.rounds.find((r) => r.id === scope.roundId) : undefined;
    if (scope.kind === 'round' && !round) throw new GameError('CONTEST_NOT_FOUND', `no round '${scope.roundId}'`);
    const indexed = await store.organiser.listGames(contest.id);
    // Practice games (rehearsals, tests) never count in a round or the contest.
    const pins = indexed.filter((g) => !g.practice && (!round || g.roundId === round.id)).map((g) => g.pin);
    // Online rounds have no games: their rows come from the online service, one row per contestant.
    const online = this.deps.online
      ? contest.rounds
          .filter((r) => r.mode === 'self-paced' && r.online && (!round || r.id === round.id))
          .map((r) => r.id)
      : [];
    return { contest, pins, online, title: round ? `${contest.title} — ${round.title}` : contest.title };
  }

  /**
   * One game's rows and question statistics: from its live keys, else from the archive kept when they expired;
   * null when neither exists.
   */
  async gameData(pin: string): Promise<Omit<GameArchive, 'endedAt'> | null> {
    const { store } = this.deps;
    const game = await store.getGame(pin);
    if (!game) return store.organiser.getArchive(pin);
    const gameRows = await this.deps.games.results(pin);
    // Invited players (an `entry: invited` final) are registered contestants: their rows carry the contestant.
    const invited = new Map(
      (await store.getPlayers(pin)).filter((p) => p.contestantId).map((p) => [p.id, p.contestantId!]),
    );
    const rows = gameRows.map((row) => ({
      ...row,
      ...(invited.has(row.playerId) ? { contestantId: invited.get(row.playerId)! } : {}),
    }));
    const questions: QuestionStat[] = [];
    const reveals = await Promise.all(game.questions.map((_, i) => store.getReveal(pin, i)));
    for (const [index, q] of game.questions.entries()) {
      const r = reveals[index];
      if (!r) continue;
      const times = [...(await store.getAnswers(pin, index)).values()].map((a) => a.elapsedMs);
      questions.push({
        pin,
        index,
        questionId: q.id,
        text: q.text,
        type: q.type,
        area: q.area,
        players: gameRows.length,
        answered: r.answered,
        correct: r.correctCount,
        correctRate: q.type === 'poll' || !r.answered ? null : r.correctCount / r.answered,
        averageTimeMs: times.length ? Math.round(times.reduce((s, t) => s + t, 0) / times.length) : null,
        options: [...optionTexts(q)],
        distribution: r.distribution,
        correctOptions: r.correctOptions,
      });
    }
    const { contestId, roundId, roundTitle, scoring, createdAt } = game;
    return { pin, contestId, roundId, roundTitle, scoring, createdAt, rows, questions };
  }

  /**
   * Computes the result set now (ignores any lock). Expired games count through their archive. `prizes: false`
   * (the dashboard, which shows no prizes): no prize set is ranked or named, so a contest-wide set does not re-rank
   * an online round's rows for its own prize set (seconds of CPU at 200,000 contestants) on every poll.
   */
  async compute(scope: ResultScope, opts: { prizes?: boolean } = {}): Promise<ResultSet> {
    const { contest, pins, online, title } = await this.resolve(scope);
    const rows: (ResultRow & { pin: string; contestantId?: string })[] = [];
    const questions: QuestionStat[] = [];
    const included: string[] = [];
    const accuracy = new Set<string>();
    const rounds = new Set<string>();
    for (const pin of pins) {
      const data = await this.gameData(pin);
      if (!data) continue;
      included.push(pin);
      rounds.add(data.roundId);
      if (data.scoring === 'accuracy') accuracy.add(pin);
      rows.push(...data.rows.map((r) => ({ ...r, pin })));
      questions.push(...data.questions);
    }
    for (const roundId of online) {
      // Accuracy: number correct, then the contest's tie-breaks (prediction closeness once the round is final).
      const o = await this.deps.online!.roundRows(contest.id, roundId);
      included.push(o.pin);
      rounds.add(roundId);
      accuracy.add(o.pin);
      // A loop, not push(...rows): an online round's 200,000 rows overflow the call stack as arguments.
      for (const row of o.rows) rows.push(row);
      questions.push(...o.questions);
    }
    const tieBreak = contest.ranking.tieBreak;
    // Sudden-death playoffs recorded for the contest break the ties they were played for, last of all keys.
    const playoffs = await this.deps.store.organiser.listPlayoffs(contest.id);
    // In slices (rank-in-slices.ts): a whole online round is 200,000 rows to rank.
    const rank = (pinsRanked: string[], rowsRanked: typeof rows): Promise<PrizeRankings> => {
      const keys = rankKeysFor(tieBreak, pinsRanked.length > 0 && pinsRanked.every((p) => accuracy.has(p)));
      return rankAllInSlices(rowsRanked, keys, playoffs, contest.units);
    };
    const { overall, byGroup, units } = await rank(included, rows);
    // Each prize set ranks its own rounds' games only; usually those are exactly the set's games.
    const sets = opts.prizes === false ? [] : prizeSets(contest);
    const prizes: PrizeOutcome = { winners: [], tiesAtCut: [], skipped: [] };
    const scopes: PrizeScopeInfo[] = [];
    for (const ps of sets) {
      const { prizeScope, prizePins } = await this.prizeScope(scope, contest, included, ps);
      scopes.push(prizeScope);
      if (!prizeScope.namesPrizes) continue;
      const prizeRanked =
        prizePins.size === included.length
          ? { overall, byGroup, units }
          : await rank(
              [...prizePins],
              rows.filter((r) => prizePins.has(r.pin)),
            );
      // A unit round's collective prizes rank its units by the round's team score.
      const prizeTeams = teamRanking(contest, new Set(ps.rounds), prizeRanked.overall);
      const named = computeWinners(
        prizeTeams ? { ...prizeRanked, units: teamPrizeUnits(prizeTeams, contest) } : prizeRanked,
        ps.prizes,
        sets.length > 1 ? ps.rounds : undefined,
      );
      prizes.winners.push(...named.winners);
      prizes.tiesAtCut.push(...named.tiesAtCut);
      prizes.skipped.push(...named.skipped);
    }
    const prizeScope =
      sets.length > 1
        ? summariseScopes(scopes)
        : (scopes[0] ?? {
            rounds: prizeRounds(contest),
            namesPrizes: false,
            onePerPerson: contest.prizes.onePerPerson,
            eligibility: { ...contest.prizes.eligibility },
          });
    const teams = teamRanking(contest, rounds, overall);
    return {
      scope,
      contestId: contest.id,
      title,
      games: included,
      tieBreak,
      overall,
      byGroup,
      units,
      ties: allTies(overall, byGroup, teams ? teamPrizeUnits(teams, contest) : units, prizes.tiesAtCut),
      winners: prizes.winners,
      prizeScope,
      skipped: prizes.skipped,
      questions,
      lock: null,
      ...(teams ? { teams } : {}),
    };
  }

  /**
   * Whether a set of these games names the contest's prizes: only when it holds every non-practice game (whose
   * data is still kept) of the prize rounds. So a warm-up, a practice game or one hall of a two-hall final never
   * names winners; the round or contest set holding the whole final does. `prizePins`: the prize rounds' games.
   */
  private async prizeScope(
    scope: ResultScope,
    contest: Contest,
    included: string[],
    { prizes, rounds }: PrizeSet,
  ): Promise<{ prizeScope: PrizeScopeInfo; prizePins: Set<string> }> {
    const info = { rounds, onePerPerson: prizes.onePerPerson, eligibility: { ...prizes.eligibility } };
    const refuse = (reason: NonNullable<PrizeScopeInfo['reason']>, missingGames?: string[]) => ({
      prizeScope: { ...info, namesPrizes: false, reason, ...(missingGames ? { missingGames } : {}) },
      prizePins: new Set<string>(),
    });
    if (!hasPrizes(prizes)) return refuse('no-prizes');
    const indexed: IndexedGame[] = await this.deps.store.organiser.listGames(contest.id);
    if (scope.kind === 'game' && indexed.find((g) => g.pin === scope.pin)?.practice) return refuse('practice-game');
    const prizeGames: string[] = [];
    for (const g of indexed)
      if (
        !g.practice &&
        rounds.includes(g.roundId) &&
        (included.includes(g.pin) || (await this.deps.store.getGame(g.pin)))
      )
        prizeGames.push(g.pin);
    // An online prize round is one "game" of its own (always present: its rows never expire with a game's keys).
    if (this.deps.online)
      for (const r of contest.rounds)
        if (r.mode === 'self-paced' && r.online && rounds.includes(r.id)) prizeGames.push(onlinePin(contest.id, r.id));
    if (!prizeGames.some((pin) => included.includes(pin))) return refuse('outside-prize-rounds');
    const missing = prizeGames.filter((pin) => !included.includes(pin));
    if (missing.length) return refuse('partial-prize-rounds', missing);
    return { prizeScope: { ...info, namesPrizes: true }, prizePins: new Set(prizeGames) };
  }

  /** What a lock of the scope names (or, locked, named): same computation as the lock. */
  async preview(scope: ResultScope): Promise<PrizePreview> {
    return this.previewOf(await this.get(scope));
  }

  /** The preview of a set already read (the results worker reads it once for the head and the preview). */
  previewOf(set: ResultSet): PrizePreview {
    const contest = this.deps.contests.get(set.contestId);
    if (!contest) throw new GameError('CONTEST_NOT_FOUND', `contest '${set.contestId}' is no longer loaded`);
    return prizePreview(set, prizeSets(contest));
  }

  /**
   * Records a sudden-death playoff for a tie at a prize cut of the scope: the tied entrants played `pin` (a
   * practice game of the same contest, ended), matched to the tie's members by nickname (anyone else who joined
   * it is ignored; a member who did not play comes last). Their places there become the last tie-break wherever
   * all of a tie's members played. Audited; refused once the scope is locked.
   */
  async recordPlayoff(
    scope: ResultScope,
    body: { ranking: Playoff['ranking']; members: string[]; pin: string },
    opts: { actor: string; ip: string | null },
  ): Promise<PrizePreview> {
    const { store, audit } = this.deps;
    const key = scopeKey(scope);
    const refuse = async (code: 'BAD_REQUEST' | 'WRONG_PHASE' | 'RESULTS_LOCKED', message: string) => {
      await audit.record({
        actor: opts.actor,
        action: 'results.playoff',
        ip: opts.ip,
        pin: body.pin,
        outcome: code,
        detail: { scope: key, ranking: body.ranking },
      });
      return new GameError(code, message);
    };
    if (await store.organiser.getLock(key)) throw await refuse('RESULTS_LOCKED', 'these results are already locked');
    const set = await this.compute(scope);
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((m) => b.includes(m));
    const tie = set.ties.find((t) => t.atPrizeBoundary && t.ranking === body.ranking && same(t.members, body.members));
    if (!tie) throw await refuse('BAD_REQUEST', 'no such tie at a prize cut in these results');
    const indexed = (await store.organiser.listGames(set.contestId)).find((g) => g.pin === body.pin);
    if (!indexed || set.games.includes(body.pin))
      throw await refuse('BAD_REQUEST', `game ${body.pin} is not a playoff game of this contest`);
    // A playoff game must never count as a result of its own.
    if (!indexed.practice) throw await refuse('BAD_REQUEST', `mark game ${body.pin} as practice first`);
    if ((await store.getState(body.pin))?.phase !== 'ended')
      throw await refuse('WRONG_PHASE', `game ${body.pin} has not ended`);
    const nameKey = (n: string) => n.normalize('NFC').trim().toLocaleLowerCase('vi');
    const played = new Map((await this.deps.games.results(body.pin)).map((r) => [nameKey(r.nickname), r]));
    const entries = new Map(set.overall.map((e) => [`${e.pin}:${e.playerId}`, e]));
    const results = body.members.map((m) => played.get(nameKey(entries.get(m)?.nickname ?? '')) ?? null);
    // Places among the members only (1, 2, 2, 4): spectators who joined the playoff game do not push anyone down.
    const gameRank = results.map((r) => r?.rank ?? Infinity);
    const places = Object.fromEntries(
      body.members.map((m, i) => [m, 1 + gameRank.filter((r) => r < gameRank[i]!).length]),
    );
    const playoff: Playoff = {
      contestId: set.contestId,
      ranking: body.ranking,
      members: [...body.members],
      places,
      pin: body.pin,
      at: await store.now(),
      by: opts.actor,
    };
    await store.organiser.addPlayoff(playoff);
    await audit.record({
      actor: opts.actor,
      action: 'results.playoff',
      ip: opts.ip,
      pin: body.pin,
      detail: {
        scope: key,
        ranking: body.ranking,
        rank: tie.rank,
        // "An (1) > Bình (2)": who placed where, readable in the log and its CSV.
        places: body.members
          .map((m) => `${entries.get(m)?.nickname ?? m} (${places[m]})`)
          .sort((a, b) => Number(a.match(/\((\d+)\)$/)![1]) - Number(b.match(/\((\d+)\)$/)![1]))
          .join(', '),
      },
    });
    this.forget();
    return this.preview(scope);
  }

  /**
   * Every contestant's outcome on every scored question, read from the games (not part of the frozen set:
   * it would be players × questions rows; locked games refuse changes, so it agrees with the lock).
   */
  async answers(scope: ResultScope): Promise<AnswerRow[]> {
    const out: AnswerRow[] = [];
    for await (const page of this.answerPages(scope)) for (const row of page) out.push(row);
    return out;
  }

  /** The same rows a page at a time: an export of a whole online round streams them without holding them all. */
  async *answerPages(scope: ResultScope): AsyncGenerator<AnswerRow[]> {
    const { store } = this.deps;
    const { contest, pins, online } = await this.resolve(scope);
    for (const roundId of online) yield* this.deps.online!.roundAnswers(contest.id, roundId);
    for (const pin of pins) {
      const [game, players] = await Promise.all([store.getGame(pin), store.getPlayers(pin)]);
      if (!game) continue;
      const ids = players.map((p) => p.id);
      for (let index = 0; index < game.questions.length; index++) {
        if (!(await store.isScored(pin, index))) continue;
        const outcomes = await store.getOutcomes(pin, index, ids);
        yield players.map((p, i) => {
          const o = outcomes[i];
          return {
            pin,
            playerId: p.id,
            nickname: p.nickname,
            group: p.group,
            ...(p.unit ? { unit: p.unit } : {}),
            index,
            questionId: game.questions[index]!.id,
            answered: o?.answered ?? false,
            correct: o?.correct ?? false,
            points: o?.points ?? 0,
          };
        });
      }
    }
  }

  /** Drops cached dashboards (after a change the next poll must show). */
  forget() {
    this.dashboards.clear();
  }

  /**
   * The live figures of a contest for `/admin` (never the locked copy: the dashboard watches the day). It reads
   * every game of the contest, so screens polling together share one computation, reused for `dashboardTtl`.
   */
  dashboard(contestId: string): Promise<Dashboard> {
    const hit = this.dashboards.get(contestId);
    if (hit && Date.now() - hit.at < hit.ttlMs) return hit.value;
    const contest = this.deps.contests.get(contestId);
    // An unknown contest is refused here, without starting a worker.
    if (!contest) return Promise.reject(new GameError('CONTEST_NOT_FOUND', `no contest '${contestId}'`));
    const online = contest.rounds.some((r) => r.mode === 'self-paced' && r.online);
    const started = Date.now();
    const value =
      online && this.deps.offloadDashboard ? this.deps.offloadDashboard(contestId) : this.computeDashboard(contestId);
    // Polls while it computes share it, however long it takes; then it serves for dashboardTtl.
    const entry = { at: started, value, ttlMs: Infinity };
    this.dashboards.set(contestId, entry);
    value.then(
      () => (entry.ttlMs = dashboardTtl(this.deps.dashboardTtlMs ?? 2000, Date.now() - started)),
      // A failed computation is never served; a newer one (after forget()) stays.
      () => this.dashboards.get(contestId) === entry && this.dashboards.delete(contestId),
    );
    return value;
  }

  /** The dashboard computed now on this thread, uncached (what the results worker runs; tests compare with it). */
  async computeDashboard(contestId: string): Promise<Dashboard> {
    const contest = this.deps.contests.get(contestId);
    if (!contest) throw new GameError('CONTEST_NOT_FOUND', `no contest '${contestId}'`);
    const scope: ResultScope = { kind: 'contest', contestId };
    const [set, answers, games, now] = await Promise.all([
      this.compute(scope, { prizes: false }),
      this.answers(scope),
      listGames(this.deps.store, contestId),
      this.deps.store.now(),
    ]);
    const roundOf = new Map(games.map((g) => [g.pin, g.roundId]));
    for (const r of contest.rounds) if (r.mode === 'self-paced') roundOf.set(onlinePin(contest.id, r.id), r.id);
    return buildDashboard(
      contest,
      set,
      answers,
      games,
      roundOf,
      await answersSince(
        this.deps.store,
        games.filter((g) => !g.practice),
        now - 60_000,
      ),
      now,
    );
  }

  /** The locked copy if the scope is locked, else the live computation. */
  async get(scope: ResultScope): Promise<ResultSet> {
    const stored = await this.deps.store.organiser.getLock(scopeKey(scope));
    if (stored)
      return {
        ...((await parseInSlices(stored.json)) as ResultSet),
        lock: { at: stored.at, by: stored.by, sha256: stored.sha256 },
      };
    return this.compute(scope);
  }

  /**
   * Freezes the result set. Every game must have ended; ties at a prize cut must be accepted explicitly
   * (`acceptTies`), so none is settled silently. The SHA-256 covers the exact JSON stored.
   */
  async lock(
    scope: ResultScope,
    opts: { acceptTies: boolean; previewDigest?: string; actor: string; ip: string | null },
  ): Promise<ResultSet> {
    const { store, audit } = this.deps;
    const key = scopeKey(scope);
    const refuse = async (
      code: 'CONFLICT' | 'WRONG_PHASE' | 'BAD_REQUEST' | 'RESULTS_LOCKED' | 'ROUND_NOT_CLOSED',
      message: string,
      detail: Record<string, string | number> = {},
      extra?: { ties: TieReport[] } | { preview: PrizePreview },
    ) => {
      await audit.record({
        actor: opts.actor,
        action: 'results.lock',
        ip: opts.ip,
        ...(scope.kind === 'game' ? { pin: scope.pin } : {}),
        outcome: code,
        detail: { scope: key, ...detail },
      });
      return new GameError(code, message, extra);
    };
    if (await store.organiser.getLock(key)) throw await refuse('RESULTS_LOCKED', 'these results are already locked');
    // The games compute() will include (live or archived), every one of them ended (an archived one has).
    const games: string[] = [];
    const live: string[] = [];
    const resolved = await this.resolve(scope);
    for (const pin of resolved.pins) {
      if (await store.getGame(pin)) live.push(pin);
      if (live.includes(pin) || (await store.organiser.getArchive(pin))) games.push(pin);
    }
    if (!games.length && !resolved.online.length) throw await refuse('BAD_REQUEST', 'no games to lock');
    // An online round is final only once no attempt can start or still run: closesAt + time limit + grace.
    for (const roundId of resolved.online) {
      const { finalAt, now, closesAt } = await this.deps.online!.roundTimes(resolved.contest.id, roundId);
      if (now < finalAt)
        throw await refuse(
          'ROUND_NOT_CLOSED',
          `online round '${roundId}' closes at ${new Date(closesAt).toISOString()}; its results are final at ${new Date(finalAt).toISOString()}`,
          { round: roundId, finalAt },
        );
    }
    for (const pin of live) {
      const state = await store.getState(pin);
      if (state?.phase !== 'ended') throw await refuse('WRONG_PHASE', `game ${pin} has not ended`, { pin });
    }
    // Freeze first, then read what to lock: a scoring job still in flight (the host ended the game while a
    // question was being scored) now writes nothing, so the live tallies can never drift from the locked copy.
    for (const pin of live) await store.freezeScores(pin);
    const set = await this.compute(scope);
    // The organiser locks what they reviewed: if the prizes named now differ from that preview, nothing is locked
    // and the answer carries the new preview to review.
    if (opts.previewDigest) {
      const preview = prizePreview(set, prizeSets(resolved.contest));
      if (preview.digest !== opts.previewDigest)
        throw await refuse(
          'CONFLICT',
          'the prizes this lock would name differ from the preview reviewed: review the new preview, then lock',
          { previewChanged: 1 },
          { preview },
        );
    }
    const boundaryTies = set.ties.filter((t) => t.atPrizeBoundary);
    if (boundaryTies.length && !opts.acceptTies)
      throw await refuse(
        'CONFLICT',
        `${boundaryTies.length} tie(s) at a prize cut: review them, then lock with acceptTies`,
        { ties: boundaryTies.length },
        { ties: boundaryTies },
      );
    // Written and hashed in slices: the set of a whole online round is ~100 MB of JSON (result-json.ts).
    const { json, sha256: digest } = await stringifyHashed(set);
    const lock = { at: await store.now(), by: opts.actor, sha256: digest };
    if (!(await store.organiser.lock({ scopeKey: key, json, pins: set.games, ...lock })))
      throw await refuse('RESULTS_LOCKED', 'these results are already locked');
    await audit.record({
      actor: opts.actor,
      action: 'results.lock',
      ip: opts.ip,
      ...(scope.kind === 'game' ? { pin: scope.pin } : {}),
      detail: {
        scope: key,
        sha256: lock.sha256,
        games: set.games.length,
        entries: set.overall.length,
        acceptedTies: boundaryTies.length,
      },
    });
    const locked = { ...set, lock };
    // The next poll shows the lock at once.
    this.forget();
    await this.deps.claims?.issue(locked, key);
    return locked;
  }
}
