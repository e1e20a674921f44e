// The online (self-paced) round service: registration, attempts, answers, submission, scoring, "me". Request and
// response; any node serves any request because all state is in the OnlineStore and times come from its clock.
import {
  prizeRounds,
  prizeSets,
  TARGET_GROUP_LABELS_VI,
  TARGET_GROUPS,
  type Contest,
  type PrizeTier,
  type Question,
  type Round,
} from '../../../protocol/contest';
import type { Choice, ClaimNotice } from '../../../protocol/events';
import { onlinePin, type AnswerRow } from '../../../protocol/organiser';
import type {
  AttemptQuestion,
  AttemptResultReply,
  AttemptView,
  ContestantView,
  Me,
  MyRound,
  OnlineContestInfo,
  Registered,
  RegisterBody,
  Resumed,
  ResumeBody,
  ReviewItem,
  SaveAnswerBody,
  SavedAnswer,
  Submitted,
  SuspiciousQuery,
  SuspiciousReport,
} from '../../../protocol/online';
import { hashToken, randomToken } from '../auth';
import { GameError } from '../errors';
import type { PlayableQuestion } from '../game/question';
import { correctOptions, isCorrect, validateChoice } from '../game/scoring';
import { rankKeysFor } from '../game/ranking';
import type { JobRunner, Processors } from '../jobs/jobs';
import { rulesFor } from './accommodations';
import { drawAttemptQuestions, type DrawnQuestion } from './attempt-draw';
import { optionPermutation, shownOptions, toBankChoice, toShownChoice } from '../game/option-order';
import { scoreAttempt } from './attempt-scoring';
import { contestantCodeCheck, hashCode, newContestantCode, type IdentityCheck } from './contestant-code';
import { maskPhone, normalisePhone } from './phone';
import { onlineRankKeys, rankMember, rankScore } from './ranking-key';
import { attemptRules, nextAttemptAt, roundStatus, windowOf } from './round-window';
import { invitationsOf } from './invitations';
import { originHash, suspiciousActivity } from './suspicious';
import { onlineRoundAnswers, onlineRoundRows, type OnlineRoundRows } from './round-results';
import type { AttemptRecord, ContestantRecord, OnlineStore } from './store';

/** Answers arriving this long after the deadline still count: a phone on 3G that sent in time. */
export const ONLINE_GRACE_MS = 2000;

/** An error with a protocol code: routes answer it as `{ ok: false, error }`. */
export interface OnlineRoundsDeps {
  store: OnlineStore;
  jobs: JobRunner;
  contests: Map<string, Contest>;
  /** How a returning contestant proves the number is theirs (default: the contestant code). */
  identity?: IdentityCheck;
  graceMs?: number;
  random?: () => number;
  log?: { error(obj: object, msg: string): void };
  /** Prizes a contestant won in an online round's locked results (the claim desk; `pin` is the round's online PIN). */
  claimsOf?: (pin: string, contestantId: string) => Promise<ClaimNotice[]>;
}

type SelfPacedRound = Round & { online: NonNullable<Round['online']> };

export class OnlineRounds {
  private readonly graceMs: number;
  private readonly random: () => number;
  private readonly identity: IdentityCheck;
  /** Per node: token → contestant for a minute, attempt → owner and questions (both bounded, oldest dropped first). */
  private readonly tokens = new Map<string, { contestant: ContestantRecord; until: number }>();
  private readonly skeletons = new Map<string, { contestantId: string; questions: DrawnQuestion[] }>();

  constructor(private readonly deps: OnlineRoundsDeps) {
    this.graceMs = deps.graceMs ?? ONLINE_GRACE_MS;
    this.random = deps.random ?? Math.random;
    this.identity = deps.identity ?? contestantCodeCheck;
  }

  get processors(): Pick<Processors, 'attempt.score' | 'attempt.deadline'> {
    return {
      'attempt.score': ({ contestId, attemptId }) => this.scoreAttempt(contestId, attemptId),
      'attempt.deadline': ({ contestId, attemptId }) => this.expireAttempt(contestId, attemptId),
    };
  }

  // ------------------------------------------------------------------ lookups

  private contest(contestId: string): Contest {
    const contest = this.deps.contests.get(contestId);
    if (!contest || !contest.rounds.some((r) => r.mode === 'self-paced' && r.online))
      throw new GameError('CONTEST_NOT_FOUND', `no online contest '${contestId}'`);
    return contest;
  }
  private round(contest: Contest, roundId: string): SelfPacedRound {
    const round = contest.rounds.find((r) => r.id === roundId);
    if (!round || round.mode !== 'self-paced' || !round.online)
      throw new GameError('CONTEST_NOT_FOUND', `no online round '${roundId}'`);
    return round as SelfPacedRound;
  }
  private question(contest: Contest, id: string): Question {
    const q = contest.questions.find((x) => x.id === id);
    if (!q) throw new GameError('INTERNAL', `question '${id}' left the contest`);
    return q;
  }

  /** The contestant holding this token, or NOT_REGISTERED. */
  async authenticate(contestId: string, token: string | undefined): Promise<ContestantRecord> {
    this.contest(contestId);
    if (!token) throw new GameError('NOT_REGISTERED', 'register or resume first (Authorization: Bearer <token>)');
    const key = `${contestId}|${hashToken(token)}`;
    const hit = this.tokens.get(key);
    if (hit && hit.until > Date.now()) return hit.contestant;
    const c = await this.deps.store.contestantByToken(contestId, key.slice(contestId.length + 1));
    if (!c) throw new GameError('NOT_REGISTERED', 'register or resume first (Authorization: Bearer <token>)');
    remember(this.tokens, key, { contestant: c, until: Date.now() + TOKEN_CACHE_MS });
    return c;
  }

  /** An attempt's owner and questions (never change once drawn): read once per node, not on every answer. */
  private async attemptSkeleton(contestId: string, attemptId: string) {
    const key = `${contestId}|${attemptId}`;
    const hit = this.skeletons.get(key);
    if (hit) return hit;
    const attempt = await this.deps.store.getAttempt(contestId, attemptId);
    if (!attempt) return null;
    const skeleton = { contestantId: attempt.contestantId, questions: attempt.questions };
    remember(this.skeletons, key, skeleton);
    return skeleton;
  }

  // ------------------------------------------------------------------ contest and registration

  async info(contestId: string): Promise<OnlineContestInfo> {
    const contest = this.contest(contestId);
    const now = await this.deps.store.now();
    const rounds = contest.rounds.filter((r): r is SelfPacedRound => r.mode === 'self-paced' && !!r.online);
    // Several prize sets (tiers with their own rounds): each line names its set, and the rules list each set's order.
    const sets = prizeSets(contest);
    const setOf = new Map(
      sets.flatMap((s) => [...s.prizes.individual, ...s.prizes.perGroup, ...s.prizes.collective].map((t) => [t, s])),
    );
    const prize = (p: PrizeTier) => ({
      id: p.id,
      label: p.label,
      count: p.count,
      ...(sets.length > 1 ? { rounds: setOf.get(p)!.rounds } : {}),
      ...(p.by === 'participants' ? { byParticipants: true as const } : {}),
    });
    const titled = (ids: string[]) =>
      ids.map((id) => ({ id, title: contest.rounds.find((r) => r.id === id)?.title ?? id }));
    // As the results rank: `score` counts correct answers when every prize round scores accuracy.
    const orderOf = (ids: string[]) => [
      ...new Set(
        rankKeysFor(
          contest.ranking.tieBreak,
          ids.every((id) => contest.rounds.find((r) => r.id === id)?.scoring === 'accuracy'),
        ),
      ),
    ];
    return {
      id: contest.id,
      title: contest.title,
      organiser: contest.organiser,
      description: contest.description,
      privacyNotice: contest.privacyNotice,
      personalDataRetentionDays: contest.personalDataRetentionDays,
      maskNames: contest.maskNames,
      groups: TARGET_GROUPS.map((id) => ({ id, label: TARGET_GROUP_LABELS_VI[id] })),
      units: contest.units.map((u) => ({ id: u.id, name: u.name, kind: u.kind })),
      rounds: rounds.map((r) => {
        const { opensAt, closesAt } = windowOf(r.online);
        return {
          id: r.id,
          title: r.title,
          status: roundStatus(r.online, now),
          opensAt: r.online.opensAt,
          closesAt: r.online.closesAt,
          opensAtMs: opensAt,
          closesAtMs: closesAt,
          timeLimitMin: r.online.timeLimitMin,
          questionCount:
            r.questions.filter((id) => id !== r.prediction).length +
            r.draw.reduce((n, d) => n + d.count, 0) +
            (r.prediction ? 1 : 0),
          attempts: r.online.attempts,
          ...(r.online.perPeriod ? { perPeriod: r.online.perPeriod } : {}),
          counts: r.online.counts,
          revealAnswers: r.online.revealAnswers,
          drawByGroup: r.online.drawByGroup,
        };
      }),
      prizes: {
        individual: contest.prizes.individual.map(prize),
        perGroup: contest.prizes.perGroup.map(prize),
        collective: contest.prizes.collective.map(prize),
      },
      serverTime: now,
      prizeRules: {
        rounds: titled(prizeRounds(contest)),
        eligibility: { ...contest.prizes.eligibility },
        onePerPerson: contest.prizes.onePerPerson,
        tieBreak: orderOf(prizeRounds(contest)),
        ...(sets.length > 1
          ? { sets: sets.map((s) => ({ rounds: titled(s.rounds), tieBreak: orderOf(s.rounds) })) }
          : {}),
      },
    };
  }

  /** Registers a contestant; `from` (the address, and the body's device id) is kept only hashed, for the abuse list. */
  async register(contestId: string, body: RegisterBody, from: { address?: string } = {}): Promise<Registered> {
    const contest = this.contest(contestId);
    const phone = normalisePhone(body.phone);
    if (!phone) throw new GameError('PHONE_INVALID', 'not a Vietnamese mobile number');
    if (!contest.units.some((u) => u.id === body.unit))
      throw new GameError('UNIT_UNKNOWN', `unknown unit '${body.unit}'`);
    const now = await this.deps.store.now();
    const id = randomToken(9);
    const code = newContestantCode();
    const contestant: ContestantRecord = {
      id,
      fullName: body.fullName,
      phone,
      group: body.group,
      unit: body.unit,
      ...(body.birthYear !== undefined ? { birthYear: body.birthYear } : {}),
      ...(body.extraTime ? { extraTime: true as const } : {}),
      consentAt: now,
      registeredAt: now,
      codeHash: hashCode(id, code),
    };
    const origins = [
      ...(from.address ? [originHash(contestId, 'address', from.address)] : []),
      ...(body.deviceId ? [originHash(contestId, 'device', body.deviceId)] : []),
    ];
    if (origins.length) contestant.originHashes = origins;
    const token = randomToken();
    const added = await this.deps.store.register(contestId, contestant, hashToken(token));
    if (!added.ok)
      throw new GameError('ALREADY_REGISTERED', 'this number is registered: resume with the contestant code');
    for (const origin of origins) await this.deps.store.addOrigin(contestId, origin, id);
    return { contestant: view(contestant), token, code };
  }

  async resume(contestId: string, body: ResumeBody): Promise<Resumed> {
    this.contest(contestId);
    const phone = normalisePhone(body.phone);
    const contestant = phone ? await this.deps.store.contestantByPhone(contestId, phone) : null;
    // One answer for an unknown number and a wrong code: the route does not tell which numbers are registered.
    if (!contestant || !(await this.identity.verify(contestant, body.code)))
      throw new GameError('BAD_CODE', 'phone number and code do not match');
    const token = randomToken();
    await this.deps.store.addToken(contestId, contestant.id, hashToken(token));
    return { contestant: view(contestant), token };
  }

  // ------------------------------------------------------------------ attempts

  async startAttempt(
    contestId: string,
    roundId: string,
    who: ContestantRecord,
  ): Promise<{ created: boolean; attempt: AttemptView }> {
    const contest = this.contest(contestId);
    const round = this.round(contest, roundId);
    const questions = drawAttemptQuestions(contest, round, who.group, this.random);
    const draft = {
      id: randomToken(18),
      roundId,
      contestantId: who.id,
      questions: questions.map((q) => ({ id: q.id, perm: optionPermutation(q, this.random) })),
    };
    const rules = rulesFor(round.online, who);
    const started = await this.deps.store.startAttempt(contestId, draft, rules, this.graceMs);
    if (started.ok !== 'existing' && started.expired) await this.enqueueScore(contestId, started.expired);
    if (started.ok === 'existing')
      return { created: false, attempt: await this.readAttempt(contestId, started.attemptId, who) };
    if (!started.ok) {
      const messages: Record<typeof started.code, string> = {
        ROUND_NOT_OPEN: `the round opens at ${round.online.opensAt}`,
        ROUND_CLOSED: `the round closed at ${round.online.closesAt}`,
        NO_ATTEMPTS_LEFT: `all ${round.online.attempts} attempts are used`,
        ATTEMPT_TOO_SOON: `the next attempt may start at ${new Date(started.nextAt ?? 0).toISOString()}`,
      };
      throw new GameError(
        started.code,
        messages[started.code],
        started.nextAt ? { nextAttemptAt: started.nextAt } : undefined,
      );
    }
    const { attempt } = started;
    // The attempt ends at its deadline even if the phone never comes back (a fresh job id per attempt).
    await this.deps.jobs.enqueue(
      'attempt.deadline',
      { contestId, attemptId: attempt.id },
      {
        jobId: `attempt-deadline-${contestId}-${attempt.id}`,
        delayMs: attempt.deadline + this.graceMs + 50 - (await this.deps.store.now()),
      },
    );
    return { created: true, attempt: this.attemptView(contest, round, attempt, await this.deps.store.now()) };
  }

  /** The attempt, if it belongs to this contestant; an open one past its deadline is submitted first. */
  private async ownAttempt(contestId: string, attemptId: string, who: ContestantRecord): Promise<AttemptRecord> {
    let attempt = await this.deps.store.getAttempt(contestId, attemptId);
    if (!attempt || attempt.contestantId !== who.id)
      throw new GameError('ATTEMPT_NOT_FOUND', 'no such attempt of yours');
    if (attempt.status === 'open' && (await this.deps.store.now()) > attempt.deadline + this.graceMs) {
      await this.expireAttempt(contestId, attemptId);
      attempt = (await this.deps.store.getAttempt(contestId, attemptId))!;
    }
    return attempt;
  }

  async readAttempt(contestId: string, attemptId: string, who: ContestantRecord): Promise<AttemptView> {
    const contest = this.contest(contestId);
    const attempt = await this.ownAttempt(contestId, attemptId, who);
    return this.attemptView(contest, this.round(contest, attempt.roundId), attempt, await this.deps.store.now());
  }

  async saveAnswer(
    contestId: string,
    attemptId: string,
    who: ContestantRecord,
    body: SaveAnswerBody,
  ): Promise<SavedAnswer> {
    const contest = this.contest(contestId);
    // Status and deadline are checked by the store's atomic save; what is read here never changes.
    const attempt = await this.attemptSkeleton(contestId, attemptId);
    if (!attempt || attempt.contestantId !== who.id)
      throw new GameError('ATTEMPT_NOT_FOUND', 'no such attempt of yours');
    const drawn = attempt.questions.find((q) => q.id === body.questionId);
    if (!drawn) throw new GameError('QUESTION_NOT_IN_ATTEMPT', `question '${body.questionId}' is not in this attempt`);
    const q = this.question(contest, drawn.id);
    // Validated against the question as shown (same option count), then mapped back to the bank's order.
    const valid = validateChoice(q as PlayableQuestion, body.choice);
    if (!valid.ok) throw new GameError(valid.code, valid.message);
    const saved = await this.deps.store.saveAnswer(
      contestId,
      attemptId,
      who.id,
      drawn.id,
      toBankChoice(q, drawn.perm, valid.choice),
      this.graceMs,
    );
    if (!saved.ok)
      throw new GameError(
        saved.code,
        saved.code === 'ATTEMPT_OVER' ? 'the attempt was submitted or its time is up' : saved.code.toLowerCase(),
      );
    return { questionId: drawn.id, remainingMs: saved.remainingMs };
  }

  async submit(contestId: string, attemptId: string, who: ContestantRecord): Promise<Submitted> {
    this.contest(contestId);
    const done = await this.deps.store.submitAttempt(contestId, attemptId, who.id, this.graceMs);
    if (!done.ok) throw new GameError('ATTEMPT_NOT_FOUND', 'no such attempt of yours');
    if (done.status === 'submitted') await this.enqueueScore(contestId, attemptId);
    return { id: attemptId, status: done.status, submittedAt: done.submittedAt };
  }

  /** The result once scored; waits up to `waitMs` for the scoring job. */
  async result(
    contestId: string,
    attemptId: string,
    who: ContestantRecord,
    waitMs = 5000,
  ): Promise<AttemptResultReply> {
    const until = Date.now() + waitMs;
    for (;;) {
      const attempt = await this.ownAttempt(contestId, attemptId, who);
      if (attempt.status === 'scored') return { status: 'scored', result: attempt.result! };
      if (attempt.status === 'open') return { status: 'open' };
      if (Date.now() >= until) return { status: 'pending' };
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async enqueueScore(contestId: string, attemptId: string) {
    await this.deps.jobs.enqueue(
      'attempt.score',
      { contestId, attemptId },
      { jobId: `attempt-score-${contestId}-${attemptId}` },
    );
  }

  /** The deadline job (and read-time check): submits the attempt as it stands once its time is up. */
  async expireAttempt(contestId: string, attemptId: string): Promise<void> {
    const done = await this.deps.store.submitAttempt(contestId, attemptId, null, this.graceMs);
    if (done.ok && done.status === 'submitted') await this.enqueueScore(contestId, attemptId);
    // NOT_DUE: a job that fired early (clocks differ by milliseconds between hosts) tries again.
    if (!done.ok && done.code === 'NOT_DUE') throw new GameError('CONFLICT', 'deadline not reached yet; retried');
  }

  /** The scoring job: idempotent, applied once behind the store's guard. */
  async scoreAttempt(contestId: string, attemptId: string): Promise<void> {
    const contest = this.deps.contests.get(contestId);
    const attempt = await this.deps.store.getAttempt(contestId, attemptId);
    if (!contest || !attempt || attempt.status !== 'submitted') return;
    const round = this.round(contest, attempt.roundId);
    const who = await this.deps.store.getContestant(contestId, attempt.contestantId);
    if (!who) return;
    const result = scoreAttempt({
      questions: attempt.questions.map((d) => this.question(contest, d.id)),
      answers: new Map(Object.entries(attempt.answers)),
      predictionId: round.prediction,
      startedAt: attempt.startedAt,
      submittedAt: attempt.submittedAt!,
      limitMs: rulesFor(round.online, who).limitMs,
    });
    const keys = onlineRankKeys(contest.ranking.tieBreak);
    await this.deps.store.applyScore(contestId, {
      attemptId,
      roundId: round.id,
      contestantId: who.id,
      unit: who.unit,
      group: who.group,
      result,
      score: rankScore(keys, result),
      member: rankMember(result.submittedAt, who.id),
      counts: round.online.counts,
    });
  }

  // ------------------------------------------------------------------ me and rankings

  async me(contestId: string, who: ContestantRecord): Promise<Me> {
    const contest = this.contest(contestId);
    const { store } = this.deps;
    const now = await store.now();
    const rounds: MyRound[] = [];
    for (const round of contest.rounds) {
      if (round.mode !== 'self-paced' || !round.online) continue;
      const mine = await store.myRound(contestId, round.id, who.id);
      const [{ rank, ranked }, counting, open] = await Promise.all([
        store.rankOf(contestId, round.id, mine.member),
        mine.counting ? store.getAttempt(contestId, mine.counting) : null,
        mine.open ? store.getAttempt(contestId, mine.open) : null,
      ]);
      const rules = attemptRules(round.online);
      rounds.push({
        roundId: round.id,
        attemptsUsed: mine.starts.length,
        attemptsLeft: Math.max(0, round.online.attempts - mine.starts.length),
        nextAttemptAt: mine.starts.length < rules.total ? nextAttemptAt(rules, mine.starts, now) : null,
        openAttempt:
          open?.status === 'open' && now <= open.deadline + this.graceMs
            ? { id: open.id, deadline: open.deadline }
            : null,
        counting: counting?.result ? { attemptId: counting.id, ...counting.result } : null,
        rank,
        ranked,
      });
    }
    const claims: ClaimNotice[] = [];
    for (const r of rounds)
      claims.push(...((await this.deps.claimsOf?.(onlinePin(contestId, r.roundId), who.id)) ?? []));
    return {
      contestant: view(who),
      rounds,
      invitations: await invitationsOf(store, contest, who.id),
      ...(claims.length ? { claims } : {}),
      serverTime: now,
    };
  }

  /** Counting attempts of a round in ranking order, with their results (boards, results and qualifiers build on this). */
  async rankedAttempts(contestId: string, roundId: string, offset = 0, limit = 100) {
    const entries = await this.deps.store.ranking(contestId, roundId, offset, limit);
    return Promise.all(
      entries.map(async (e, i) => {
        const [attempt, contestant] = await Promise.all([
          this.deps.store.getAttempt(contestId, e.attemptId),
          this.deps.store.getContestant(contestId, e.contestantId),
        ]);
        return {
          position: offset + i + 1,
          contestantId: e.contestantId,
          attemptId: e.attemptId,
          result: attempt?.result ?? null,
          contestant,
        };
      }),
    );
  }

  /** Suspicious activity for organisers to review (online/suspicious.ts). */
  suspicious(contestId: string, query: SuspiciousQuery): Promise<SuspiciousReport> {
    return suspiciousActivity(this.deps.store, this.contest(contestId), query);
  }

  /** When the round's results are final (no attempt can start or still run), on the store's clock: no data read. */
  async roundTimes(contestId: string, roundId: string): Promise<{ closesAt: number; finalAt: number; now: number }> {
    const round = this.round(this.contest(contestId), roundId);
    const { closesAt } = windowOf(round.online);
    return {
      closesAt,
      finalAt: closesAt + attemptRules(round.online).limitMs + this.graceMs,
      now: await this.deps.store.now(),
    };
  }

  /** The round as result rows for organisers' result sets (the port organiser/results.ts reads). */
  roundRows(contestId: string, roundId: string): Promise<OnlineRoundRows> {
    const contest = this.contest(contestId);
    return onlineRoundRows(this.deps.store, contest, this.round(contest, roundId), this.graceMs);
  }

  /** Every answer of the round's counting attempts, a page at a time (exports stream them). */
  roundAnswers(contestId: string, roundId: string): AsyncGenerator<AnswerRow[]> {
    const contest = this.contest(contestId);
    return onlineRoundAnswers(this.deps.store, contest, this.round(contest, roundId));
  }

  // ------------------------------------------------------------------ views

  private attemptView(contest: Contest, round: SelfPacedRound, attempt: AttemptRecord, now: number): AttemptView {
    const questions = attempt.questions.map((d) => ({ drawn: d, q: this.question(contest, d.id) }));
    const answers: Record<string, Choice> = {};
    for (const { drawn, q } of questions) {
      const a = attempt.answers[drawn.id];
      if (a) answers[drawn.id] = toShownChoice(q, drawn.perm, a.choice);
    }
    const over = attempt.status !== 'open';
    // Answers are revealed after the attempt (if the round says so) or once the round has closed, never before.
    const reveal = over && (round.online.revealAnswers === 'after-attempt' || now > windowOf(round.online).closesAt);
    return {
      id: attempt.id,
      roundId: attempt.roundId,
      status: attempt.status,
      startedAt: attempt.startedAt,
      deadline: attempt.deadline,
      remainingMs: over ? 0 : Math.max(0, attempt.deadline - now),
      serverTime: now,
      questions: questions.map(({ drawn, q }) => publicQuestion(q, drawn.perm, q.id === round.prediction)),
      answers,
      ...(attempt.result ? { result: attempt.result } : {}),
      ...(reveal
        ? { review: questions.map(({ drawn, q }) => reviewItem(q, drawn.perm, attempt.answers[drawn.id]?.choice)) }
        : {}),
    };
  }
}

/** A contestant record is written once, so a token read a minute ago still names the same record. */
const TOKEN_CACHE_MS = 60_000;
const CACHE_ENTRIES = 50_000;

/** Sets a value in an insertion-ordered map, dropping the oldest entry past the bound. */
function remember<V>(map: Map<string, V>, key: string, value: V) {
  map.delete(key);
  map.set(key, value);
  if (map.size > CACHE_ENTRIES) map.delete(map.keys().next().value!);
}

function view(c: ContestantRecord): ContestantView {
  return {
    id: c.id,
    fullName: c.fullName,
    phoneMasked: maskPhone(c.phone),
    group: c.group,
    unit: c.unit,
    ...(c.birthYear !== undefined ? { birthYear: c.birthYear } : {}),
    registeredAt: c.registeredAt,
    ...(c.extraTime ? { extraTime: true as const } : {}),
  };
}

function publicQuestion(q: Question, perm: number[], prediction: boolean): AttemptQuestion {
  const out: AttemptQuestion = { id: q.id, type: q.type, text: q.text };
  if (q.type === 'true-false') out.options = ['Đúng', 'Sai'];
  else if (q.type !== 'numeric') out.options = shownOptions(q.options, perm);
  if (q.type === 'numeric') {
    out.min = q.min;
    out.max = q.max;
    if (q.unit) out.unit = q.unit;
  }
  if (q.image) out.image = q.image;
  if (prediction) out.prediction = true;
  return out;
}

function reviewItem(q: Question, perm: number[], choice: number | number[] | undefined): ReviewItem {
  const playable = q as PlayableQuestion;
  const item: ReviewItem = {
    questionId: q.id,
    correctOptions: correctOptions(playable)
      .map((i) => perm.indexOf(i))
      .sort((a, b) => a - b),
    explanation: q.explanation,
    source: q.source,
    correct: choice !== undefined && !(q.type === 'numeric' && q.answerKnownAfterRound) && isCorrect(playable, choice),
  };
  if (q.type === 'numeric' && !q.answerKnownAfterRound) item.answer = q.answer;
  return item;
}
