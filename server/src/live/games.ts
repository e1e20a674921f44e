import { randomInt } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Contest } from '../../../protocol/contest';
import type { ErrorCode } from '../../../protocol/errors';
import type {
  AnswerPayload,
  AnswerResult,
  HostCommand,
  HostReplaced,
  HostSnapshot,
  ScreenSnapshot,
  JoinBurst,
  JoinPayload,
  JoinResult,
  PhaseView,
  PlayerResult,
  PlayerStanding,
  PlayerSummary,
} from '../../../protocol/events';
import type { ResultRow } from '../../../protocol/http';
import type { HostTakeover, RunningGame } from '../../../protocol/organiser';
import { hashToken, randomToken } from '../auth';
import { buildRound } from '../game/round';
import { GameError } from '../errors';
import { checkHostToken } from '../host-token';
import { applyCommand, type EngineCommand, type EngineContext } from '../game/engine';
import { burstMembers, joinBursts, type BurstRule } from '../game/join-bursts';
import { checkNickname } from '../game/nickname';
import { optionPermutation, toBankChoice } from '../game/option-order';
import { defaultRankKeys, rankKeysFor, rankPlayers } from '../game/ranking';
import { scoreQuestion, validateChoice } from '../game/scoring';
import {
  deadlineOf,
  EMPTY_TALLY,
  hostTokenHashOf,
  initialState,
  optionOrder,
  type GameRecord,
  type GameState,
  type PlayerRecord,
  type Tally,
} from '../game/state';
import type { JobRunner, Processors } from '../jobs/jobs';
import type { Store } from '../store/store';
import { DEVICE_JOINED_MESSAGE, DeviceGate, deviceKey, originKey } from './device-gate';
import { buildViews, type Views } from './views';

const DEFAULT_BURST_RULE: BurstRule = { minCount: 10, windowMs: 5000 };

/** How the game service reaches connected clients; implemented by the realtime layer. */
export interface Broadcaster {
  /** The phase changed: one broadcast per audience, through the adapter. */
  state(pin: string, views: Views): void;
  /**
   * Question scored, the game now in reveal: host and screen get the reveal as a broadcast; every node sends
   * each of its own contestants one message with the reveal and their personal result.
   */
  revealed(pin: string, index: number, views: Views): void;
  kicked(pin: string, playerId: string): void;
  answersChanged(pin: string, index: number): void;
  /** The player count changed; `joined` is the newcomer, for the host's and screen's "latest joiners". */
  playersChanged(pin: string, joined?: PlayerSummary): void;
  /** An organiser took the game over: the consoles attached with the token hashed `oldTokenHash` lose control. */
  hostReplaced(pin: string, oldTokenHash: string, notice: HostReplaced): void;
}

export interface LiveGamesDeps {
  store: Store;
  jobs: JobRunner;
  contests: Map<string, Contest>;
  graceMs: number;
  /** "Get ready": how long a question's text shows before its options open (0: they open at once). */
  readyMs?: number;
  publicUrl: () => string;
  log: { error(obj: object, msg: string): void; info(obj: object, msg: string): void };
  onScored?: (seconds: number) => void;
  /** When the host is warned of a join burst (default: 10 joins from one address within 5 s). */
  burstRule?: BurstRule;
  /** A write to a game whose results are locked was refused (organiser/results.ts audits it). */
  onRefusedWrite?: (pin: string, what: string, detail: Record<string, string | number>) => Promise<void>;
  /**
   * Rounds open to invited contestants only (`entry: invited`): checks and binds the join's invitation code, or
   * throws; null for an open round. Wired to online/invitations.ts in app.ts.
   */
  admit?: (
    game: { pin: string; contestId: string; roundId: string },
    invitation: string | undefined,
    playerId: string,
  ) => Promise<{ contestantId: string; group: PlayerRecord['group']; unit: string; release(): Promise<void> } | null>;
}

/** The live game service: every change goes engine → store (compare-and-set) → jobs → broadcast. */
export class LiveGames {
  /** One player per device (this node's index of each game's devices). */
  private readonly devices: DeviceGate;
  /** Last views built on this node, by PIN: attach and resume storms reuse them. */
  private viewCache = new Map<string, { seq: number; views: Views }>();

  /** `broadcaster`: how changes reach connected clients (realtime/fan-out.ts); a process that only runs jobs has none. */
  constructor(
    private readonly deps: LiveGamesDeps,
    private readonly broadcaster?: Broadcaster,
  ) {
    this.devices = new DeviceGate(deps.store);
  }

  get processors(): Pick<Processors, 'question.close' | 'question.score'> {
    return {
      'question.close': async ({ pin, index, reason }) => {
        const res = await this.transition(
          pin,
          reason === 'deadline' ? { type: 'deadline', index } : { type: 'all-answered', index },
        );
        if (!res.ok && res.code === 'WRONG_PHASE' && reason === 'deadline') await this.closeLater(pin, index);
        if (!res.ok && res.code !== 'WRONG_PHASE' && res.code !== 'GAME_NOT_FOUND')
          throw new GameError(res.code, res.message);
      },
      'question.score': ({ pin, index }) => this.scoreQuestion(pin, index),
    };
  }

  /**
   * A deadline job refused while question `index` is still open and running: its deadline moved (time added, a
   * resume) or the job ran before it (a timer or another node's clock a little early). Make sure a close is queued
   * for the deadline that stands; a question must never stay open for want of one.
   */
  private async closeLater(pin: string, index: number) {
    const [state, now] = await Promise.all([this.deps.store.getState(pin), this.deps.store.now()]);
    const deadline = state ? deadlineOf(state) : null;
    if (!state || state.phase !== 'open' || state.index !== index || deadline === null) return;
    await this.deps.jobs.enqueue(
      'question.close',
      { pin, index, reason: 'deadline' },
      {
        jobId: `close-${pin}-${index}-${deadline}-after-${now}`,
        delayMs: Math.max(0, deadline + this.deps.graceMs - now) + 1,
      },
    );
  }

  joinUrl(pin: string) {
    return `${this.deps.publicUrl()}/join/${pin}`;
  }

  // ------------------------------------------------------------------ organiser

  async createGame(
    contestId: string,
    roundId: string,
    opts: { practice?: boolean } = {},
  ): Promise<{ pin: string; hostToken: string; joinUrl: string }> {
    const contest = this.deps.contests.get(contestId);
    const built = contest && buildRound(contest, roundId);
    if (!contest || !built) throw new GameError('CONTEST_NOT_FOUND', `no round '${roundId}' in contest '${contestId}'`);
    // Self-paced rounds (online, a prediction answered after the round) are not played live yet.
    if (built.round.mode !== 'live')
      throw new GameError('BAD_REQUEST', `round '${roundId}' is self-paced: it cannot be hosted live yet`);
    const hostToken = randomToken();
    const predictionIndex = built.round.prediction
      ? built.questions.findIndex((q) => q.id === built.round.prediction)
      : -1;
    for (let attempt = 0; attempt < 50; attempt++) {
      const pin = String(randomInt(100000, 1000000));
      // Claims, locks and archives name games by PIN: a PIN the index holds is never issued again.
      if (await this.deps.store.organiser.isIndexed(pin)) continue;
      const game: GameRecord = {
        pin,
        contestId,
        roundId,
        title: contest.title,
        roundTitle: built.round.title,
        scoring: built.round.scoring,
        streakBonus: built.round.streakBonus,
        maskNames: contest.maskNames,
        questions: built.questions,
        // One order per question for the whole game, so the projector and every phone show the same tiles.
        optionOrders: built.questions.map((q) => optionPermutation(q)),
        predictionIndex: predictionIndex >= 0 ? predictionIndex : null,
        hostTokenHash: hashToken(hostToken),
        createdAt: await this.deps.store.now(),
      };
      if (await this.deps.store.createGame(game, initialState())) {
        await this.deps.store.organiser.indexGame({
          pin,
          contestId,
          roundId,
          createdAt: game.createdAt,
          ...(opts.practice ? { practice: true } : {}),
        });
        this.deps.log.info({ pin, contestId, roundId }, 'game created');
        return { pin, hostToken, joinUrl: this.joinUrl(pin) };
      }
    }
    throw new GameError('INTERNAL', 'no free PIN found');
  }

  private async requireGame(pin: string): Promise<GameRecord> {
    const game = await this.deps.store.getGame(pin);
    if (!game) throw new GameError('GAME_NOT_FOUND', `no game ${pin}`);
    return game;
  }

  async gameInfo(pin: string) {
    const game = await this.requireGame(pin);
    const contest = this.deps.contests.get(game.contestId);
    return { game, contest };
  }

  // ------------------------------------------------------------------ state changes

  async views(pin: string): Promise<Views> {
    const { store } = this.deps;
    const [game, state] = await Promise.all([store.getGame(pin), store.getState(pin)]);
    if (!game || !state) throw new GameError('GAME_NOT_FOUND', `no game ${pin}`);
    const cached = this.viewCache.get(pin);
    // An open question's view carries remainingMs: rebuild it (cheap) rather than serve a stale countdown.
    if (cached && cached.seq === state.seq && state.phase !== 'open') return cached.views;
    const views = await buildViews(store, game, state, this.deps.contests.get(game.contestId), store.clockEstimate());
    this.viewCache.set(pin, { seq: state.seq, views });
    return views;
  }

  /** Runs an engine command with compare-and-set, retrying when another node changed the state first. */
  async transition(
    pin: string,
    cmd: EngineCommand,
  ): Promise<{ ok: true; state: GameState } | { ok: false; code: ErrorCode; message: string }> {
    const { store } = this.deps;
    for (let attempt = 0; attempt < 8; attempt++) {
      const [game, state] = await Promise.all([store.getGame(pin), store.getState(pin)]);
      if (!game || !state) return { ok: false, code: 'GAME_NOT_FOUND', message: `no game ${pin}` };
      const now = await store.now();
      const ctx: EngineContext = {
        now,
        questionCount: game.questions.length,
        limitMs: (i) => game.questions[i]!.timeLimitSec * 1000,
        graceMs: this.deps.graceMs,
        readyMs: this.deps.readyMs ?? 0,
        changesScores: (i) => game.questions[i]?.type !== 'poll',
      };
      const result = applyCommand(state, cmd, ctx);
      if (!result.ok) return result;
      if (await store.saveState(pin, state.seq, result.state)) {
        await this.afterTransition(game, state, result.state, now);
        return result;
      }
    }
    return { ok: false, code: 'CONFLICT', message: 'the game changed concurrently; retry' };
  }

  private async afterTransition(game: GameRecord, prev: GameState, next: GameState, now: number) {
    const { jobs, graceMs } = this.deps;
    const deadline = deadlineOf(next);
    if (deadline !== null && deadline !== deadlineOf(prev)) {
      // A fresh job per deadline: added time or a resume schedules a new one, the old one finds nothing to do.
      // +1 ms: Node's timers can fire up to a millisecond before Date.now() says the delay has passed
      // (libuv/libuv#4773), and a close refused as early waits for closeLater's second job.
      await jobs.enqueue(
        'question.close',
        { pin: game.pin, index: next.index, reason: 'deadline' },
        {
          jobId: `close-${game.pin}-${next.index}-${deadline}`,
          delayMs: deadline + graceMs - now + 1,
        },
      );
    }
    if (next.phase === 'closed' && prev.phase === 'open') {
      await jobs.enqueue(
        'question.score',
        { pin: game.pin, index: next.index },
        { jobId: `score-${game.pin}-${next.index}` },
      );
    }
    const views = await buildViews(this.deps.store, game, next, this.deps.contests.get(game.contestId), now);
    this.viewCache.set(game.pin, { seq: next.seq, views });
    if (next.phase === 'reveal' && prev.phase === 'closed') this.broadcaster?.revealed(game.pin, next.index, views);
    else this.broadcaster?.state(game.pin, views);
  }

  /** The scoring job: idempotent. Scores are applied once behind the store's guard, then the game moves to reveal. */
  async scoreQuestion(pin: string, index: number): Promise<void> {
    const { store } = this.deps;
    const game = await store.getGame(pin);
    const q = game?.questions[index];
    if (!game || !q) return;
    const started = Date.now();
    // Locked results never change: a late or retried scoring job writes nothing, and says so.
    const refuse = () => this.deps.onRefusedWrite?.(pin, 'score', { questionIndex: index });
    if (!(await store.isScored(pin, index))) {
      // Every lock freezes its games first: the freeze alone says whether scores may still be written.
      if (await store.scoresFrozen(pin)) return void (await refuse());
      const [answers, players, tallies] = await Promise.all([
        store.getAnswers(pin, index),
        store.getPlayers(pin),
        store.getTallies(pin),
      ]);
      const rules = { mode: game.scoring, streakBonus: game.streakBonus, isPrediction: game.predictionIndex === index };
      // Each step over every player takes tens of ms at 10,000 players; in embedded mode nothing awaits I/O between
      // them, so yield to waiting sockets and other games between the reads, the scoring and the write.
      await nextTurn();
      const scored = scoreQuestion(q, players, answers, tallies, rules);
      await nextTurn();
      const applied = await store.applyScores(pin, { index, ...scored });
      await nextTurn();
      // A lock that landed while this job was computing froze the game first: the Lua step took nothing.
      if (!applied && (await store.scoresFrozen(pin))) return void (await refuse());
    }
    const res = await this.transition(pin, { type: 'scored', index });
    if (res.ok) return this.deps.onScored?.((Date.now() - started) / 1000);
    // A worker that died after moving the game to reveal may not have announced it: a retry announces again
    // (clients ignore a view they already have, and a repeated personal result carries the same numbers).
    const state = await store.getState(pin);
    if (state?.phase === 'reveal' && state.index === index) {
      this.broadcaster?.revealed(pin, index, await this.views(pin));
    }
  }

  // ------------------------------------------------------------------ contestants

  /** `address`: the client's address (realtime/play.ts), kept only as a hash for the host's join-burst warning. */
  async join(payload: JoinPayload, address?: string): Promise<{ result: JoinResult; player: PlayerRecord }> {
    const { store } = this.deps;
    const nick = checkNickname(payload.nickname);
    if (!nick.ok) throw new GameError(nick.code, nick.message);
    const game = await this.requireGame(payload.pin);
    if (payload.unit) {
      const contest = this.deps.contests.get(game.contestId);
      if (!contest?.units.some((u) => u.id === payload.unit))
        throw new GameError('UNIT_UNKNOWN', `unknown unit '${payload.unit}'`);
    }
    if (!payload.unit && this.deps.contests.get(game.contestId)?.rounds.find((r) => r.id === game.roundId)?.teams)
      throw new GameError('UNIT_REQUIRED', 'this round is played by units: choose one');
    const token = randomToken();
    const now = store.clockEstimate();
    const id = randomToken(9);
    const admitted = await this.deps.admit?.(
      { pin: payload.pin, contestId: game.contestId, roundId: game.roundId },
      payload.invitation,
      id,
    );
    const player: PlayerRecord = {
      id,
      nickname: nick.nickname,
      group: payload.group,
      ...(payload.unit ? { unit: payload.unit } : {}),
      // An invited contestant plays as their registered self: same group, unit and contestant id as in the online round.
      ...(admitted ? { group: admitted.group, unit: admitted.unit, contestantId: admitted.contestantId } : {}),
      joinedAt: now,
      consentAt: now,
      ...(payload.device ? { device: deviceKey(payload.pin, payload.device) } : {}),
      ...(address ? { origin: originKey(payload.pin, address) } : {}),
    };
    const release = await this.admitDevice(payload.pin, player.device);
    const added = await store.addPlayer(payload.pin, player, nick.key, hashToken(token)).catch(async (err: unknown) => {
      release();
      await admitted?.release();
      throw err;
    });
    if (!added.ok) {
      release();
      await admitted?.release();
      throw new GameError(
        added.code,
        added.code === 'WRONG_PHASE'
          ? 'the game has ended'
          : added.code === 'DEVICE_ALREADY_JOINED'
            ? DEVICE_JOINED_MESSAGE
            : added.code.toLowerCase().replace('_', ' '),
      );
    }
    this.broadcaster?.playersChanged(payload.pin, summary(player));
    const { play } = await this.views(payload.pin);
    return {
      player,
      result: {
        token,
        me: standing(player, EMPTY_TALLY, null),
        // A lobby view is cached until the phase changes: its count predates this join (the first player saw 0).
        state: { ...play, players: added.players },
        answered: false,
        serverTime: store.clockEstimate(),
      },
    };
  }

  /** One player per device, never a kicked device again (device-gate.ts); a join without a device id passes. */
  private async admitDevice(pin: string, device: string | undefined): Promise<() => void> {
    if (!device) return () => {};
    const state = await this.deps.store.getState(pin);
    if (!state) throw new GameError('GAME_NOT_FOUND', `no game ${pin}`);
    return this.devices.reserve(pin, device, state);
  }

  async resume(pin: string, token: string): Promise<{ result: JoinResult; player: PlayerRecord }> {
    const { store } = this.deps;
    await this.requireGame(pin);
    const player = await store.findPlayerByToken(pin, hashToken(token));
    if (!player) throw new GameError('TOKEN_INVALID', 'no player of this game holds this token');
    const [{ play }, [tally], rank, players] = await Promise.all([
      this.views(pin),
      store.getTalliesFor(pin, [player.id]),
      store.rankOf(pin, player.id),
      store.playerCount(pin),
    ]);
    const me = standing(player, tally ?? EMPTY_TALLY, rank);
    // The cached view's count can be older than the joins since (a reload in the lobby showed a wrong count).
    const state = { ...play, players };
    const result: JoinResult = { token, me, state, answered: false, serverTime: store.clockEstimate() };
    if (state.phase === 'open') result.answered = await store.hasAnswered(pin, play.index, player.id);
    if (state.phase === 'reveal') {
      const [r] = await this.personalResults(pin, state.index, [player]);
      if (r) result.lastResult = r;
    }
    return { result, player };
  }

  async submitAnswer(pin: string, playerId: string, payload: AnswerPayload): Promise<AnswerResult> {
    const { store } = this.deps;
    const game = await this.requireGame(pin);
    const q = game.questions[payload.questionIndex];
    if (!q) throw new GameError('WRONG_QUESTION', `no question ${payload.questionIndex}`);
    const choice = validateChoice(q, payload.choice);
    if (!choice.ok) throw new GameError(choice.code, choice.message);
    // The phone chose among the options as shown; the answer is recorded in the bank's order, so scoring, the
    // reveal, exports and statistics never need to know the game's order.
    const bankChoice = toBankChoice(q, optionOrder(game, payload.questionIndex), choice.choice);
    const r = await store.recordAnswer(pin, payload.questionIndex, playerId, bankChoice, this.deps.graceMs);
    if (!r.ok) throw new GameError(r.code, r.code.toLowerCase().replace('_', ' '));
    this.broadcaster?.answersChanged(pin, payload.questionIndex);
    // The counts include answers of players kicked since: only a check of who answered can close the question early.
    if (r.answered >= r.players) await this.closeIfAllAnswered(pin, payload.questionIndex);
    return { questionIndex: payload.questionIndex, elapsedMs: r.elapsedMs };
  }

  /** Closes question `index` early when every player still in the game (kicked ones aside) has answered it. */
  private async closeIfAllAnswered(pin: string, index: number) {
    const { store } = this.deps;
    const [answers, players] = await Promise.all([store.getAnswers(pin, index), store.getPlayers(pin)]);
    if (!players.length || !players.every((p) => answers.has(p.id))) return;
    await this.deps.jobs.enqueue(
      'question.close',
      { pin, index, reason: 'all-answered' },
      { jobId: `close-${pin}-${index}-all` },
    );
  }

  /**
   * Personal results of some players (this node's own), read in a few bulk calls. `boardRanks`: the game board's
   * ranks (store.ranks) when the caller has read them already, as the reveal does once for all its chunks of phones.
   */
  async personalResults(
    pin: string,
    index: number,
    players: PlayerRecord[],
    boardRanks?: Map<string, number>,
  ): Promise<(PlayerResult | null)[]> {
    const { store } = this.deps;
    const ids = players.map((p) => p.id);
    const [outcomes, tallies, ranks, count] = await Promise.all([
      store.getOutcomes(pin, index, ids),
      store.getTalliesFor(pin, ids),
      boardRanks ??
        (players.length > 20
          ? store.ranks(pin)
          : Promise.all(ids.map((id) => store.rankOf(pin, id))).then((r) => new Map(ids.map((id, i) => [id, r[i]!])))),
      store.playerCount(pin),
    ]);
    return players.map((p, i) => {
      const o = outcomes[i];
      if (!o) return null;
      return {
        questionIndex: index,
        answered: o.answered,
        correct: o.correct,
        pointsGained: o.points,
        streakBonus: o.streakBonus,
        standing: standing(p, tallies[i] ?? EMPTY_TALLY, ranks.get(p.id) ?? null),
        players: count,
      };
    });
  }

  // ------------------------------------------------------------------ host

  async attachHost(pin: string, hostToken: string): Promise<HostSnapshot> {
    const game = await this.requireGame(pin);
    checkHostToken(game, await this.deps.store.getState(pin), hostToken, await this.deps.store.now());
    const [screen, players] = await Promise.all([this.attachScreen(pin), this.listPlayers(pin)]);
    return { ...screen, players };
  }

  /** What a projector needs on (re)attaching: the viewers' view, the public join link and the answered count. */
  async attachScreen(pin: string): Promise<ScreenSnapshot> {
    const [views, state] = await Promise.all([this.views(pin), this.deps.store.getState(pin)]);
    const answered = state && state.index >= 0 ? await this.deps.store.answeredCount(pin, state.index) : 0;
    return { state: views.viewers, joinUrl: this.joinUrl(pin), answered };
  }

  /** The hash of the host token that controls the game now (a takeover replaces the one issued at creation). */
  async hostTokenHash(pin: string): Promise<string> {
    const [game, state] = await Promise.all([this.requireGame(pin), this.deps.store.getState(pin)]);
    return hostTokenHashOf(game, state);
  }

  /**
   * An organiser takes a running game over (a lost host tab, a laptop swap, a second operator): a new host token
   * replaces the current one through the engine (compare-and-set, so every node sees it), and the consoles holding
   * the old token are told, on whichever node they are.
   */
  async takeOverHost(pin: string): Promise<HostTakeover> {
    const game = await this.requireGame(pin);
    const before = await this.deps.store.getState(pin);
    if (!before) throw new GameError('GAME_NOT_FOUND', `no game ${pin}`);
    const hostToken = randomToken();
    const res = await this.transition(pin, { type: 'host-token', tokenHash: hashToken(hostToken) });
    if (!res.ok) throw new GameError(res.code, res.code === 'WRONG_PHASE' ? 'the game has ended' : res.message);
    const at = await this.deps.store.now();
    this.broadcaster?.hostReplaced(pin, hostTokenHashOf(game, before), { pin, at });
    this.deps.log.info({ pin }, 'host taken over');
    return { pin, hostToken, joinUrl: this.joinUrl(pin), at };
  }

  /** Games not yet ended, newest first, for an organiser to pick one to take over. */
  async runningGames(): Promise<RunningGame[]> {
    const { store } = this.deps;
    const indexed = await store.organiser.listGames();
    const rows = await Promise.all(
      indexed.map(async (g): Promise<RunningGame | null> => {
        const [game, state, players] = await Promise.all([
          store.getGame(g.pin),
          store.getState(g.pin),
          store.playerCount(g.pin),
        ]);
        if (!game || !state || state.phase === 'ended') return null;
        return {
          pin: g.pin,
          contestId: g.contestId,
          roundId: g.roundId,
          title: game.title,
          roundTitle: game.roundTitle,
          phase: state.phase,
          index: state.index,
          total: game.questions.length,
          players,
          createdAt: g.createdAt,
          ...(g.practice ? { practice: true } : {}),
        };
      }),
    );
    return rows.filter((r): r is RunningGame => r !== null).sort((a, b) => b.createdAt - a.createdAt);
  }

  async listPlayers(pin: string, query?: string): Promise<PlayerSummary[]> {
    const q = query?.trim().toLowerCase();
    return (await this.deps.store.getPlayers(pin))
      .filter((p) => !q || p.nickname.toLowerCase().includes(q))
      .slice(0, 500)
      .map(summary);
  }

  async command(pin: string, cmd: HostCommand): Promise<PhaseView> {
    if (cmd.type === 'kick' || cmd.type === 'kick-burst') {
      const { store } = this.deps;
      const players =
        cmd.type === 'kick'
          ? [await store.getPlayer(pin, cmd.playerId)].filter((p): p is PlayerRecord => !!p)
          : burstMembers(await store.getPlayers(pin), cmd);
      if (!players.length && cmd.type === 'kick') throw new GameError('BAD_REQUEST', 'no such player');
      await this.kick(pin, players);
      return (await this.views(pin)).viewers;
    }
    const res = await this.transition(pin, cmd);
    if (!res.ok) throw new GameError(res.code, res.message);
    return (await this.views(pin)).viewers;
  }

  /**
   * Removes players: their devices first (so none can join again while the kick runs), then the players; a question
   * they leave open closes when everyone left has answered it.
   */
  private async kick(pin: string, players: PlayerRecord[]) {
    const { store } = this.deps;
    if (players.length && (await store.scoresFrozen(pin))) {
      await this.deps.onRefusedWrite?.(pin, 'kick', { playerId: players[0]!.id, players: players.length });
      throw new GameError('RESULTS_LOCKED', 'the results of this game are locked');
    }
    const devices = players.flatMap((p) => (p.device ? [p.device] : []));
    // An ended game takes no ban (and no new player either).
    if (devices.length) await this.transition(pin, { type: 'ban', devices });
    for (const p of players) {
      // The kick step itself refuses a frozen (locked) game; only then is it worth asking why it refused.
      if (!(await store.kickPlayer(pin, p.id))) {
        if (!(await store.scoresFrozen(pin))) continue; // kicked meanwhile
        await this.deps.onRefusedWrite?.(pin, 'kick', { playerId: p.id });
        throw new GameError('RESULTS_LOCKED', 'the results of this game are locked');
      }
      this.broadcaster?.kicked(pin, p.id);
    }
    this.broadcaster?.playersChanged(pin);
    const state = await store.getState(pin);
    if (state?.phase === 'open') await this.closeIfAllAnswered(pin, state.index);
  }

  /** The join bursts of a game, for the host (see JoinBurst). */
  async joinBursts(pin: string): Promise<JoinBurst[]> {
    return joinBursts(await this.deps.store.getPlayers(pin), this.deps.burstRule ?? DEFAULT_BURST_RULE);
  }

  // ------------------------------------------------------------------ results

  /** Final (or current) results, ranked by the contest's tie-break order. */
  async results(pin: string): Promise<ResultRow[]> {
    const { store } = this.deps;
    const game = await this.requireGame(pin);
    const contest = this.deps.contests.get(game.contestId);
    const [players, tallies] = await Promise.all([store.getPlayers(pin), store.getTallies(pin)]);
    const tieBreak = contest?.ranking.tieBreak;
    const keys = tieBreak?.length ? rankKeysFor(tieBreak, game.scoring === 'accuracy') : defaultRankKeys(game.scoring);
    const byId = new Map(players.map((p) => [p.id, p]));
    return rankPlayers(
      players.map((p) => ({ playerId: p.id, tally: tallies.get(p.id) ?? EMPTY_TALLY })),
      keys,
    ).map(({ playerId, tally, rank }) => {
      const p = byId.get(playerId)!;
      return {
        rank,
        playerId,
        nickname: p.nickname,
        group: p.group,
        ...(p.unit ? { unit: p.unit } : {}),
        score: tally.score,
        correct: tally.correct,
        answered: tally.answered,
        totalTimeMs: tally.timeMs,
        predictionError: tally.predictionError,
        lastAnswerAt: tally.lastAnswerAt,
      };
    });
  }
}

function standing(p: PlayerRecord, t: Tally, rank: number | null): PlayerStanding {
  return {
    playerId: p.id,
    nickname: p.nickname,
    group: p.group,
    ...(p.unit ? { unit: p.unit } : {}),
    score: t.score,
    streak: t.streak,
    correct: t.correct,
    rank,
  };
}

function summary(p: PlayerRecord): PlayerSummary {
  return { playerId: p.id, nickname: p.nickname, group: p.group, ...(p.unit ? { unit: p.unit } : {}) };
}
