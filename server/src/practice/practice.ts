// The practice page's service: a session draws questions from the practice pool (practice/pool.ts), each answer is
// checked on the server and only then is the key, the explanation and the source sent. Nothing here touches results,
// rankings or prizes; the statistics it keeps are anonymous counters per competence area, labelled as practice.
import { randomBytes } from 'node:crypto';
import { COMPETENCE_AREAS, type CompetenceArea, type Contest, type Question } from '../../../protocol/contest';
import {
  PRACTICE_WEAK_BELOW,
  type PracticeAnswerBody,
  type PracticeAnswered,
  type PracticeFeedback,
  type PracticeInfo,
  type PracticeQuestion,
  type PracticeSessionView,
  type PracticeStats,
  type PracticeSummary,
  type StartPracticeBody,
} from '../../../protocol/practice';
import { hashToken } from '../auth';
import { GameError } from '../errors';
import { optionPermutation, shownOptions, toBankChoice, toShownChoice } from '../game/option-order';
import type { PlayableQuestion } from '../game/question';
import { correctOptions, isCorrect, validateChoice } from '../game/scoring';
import { practicePool, selfPacedRoundOver } from './pool';
import type { PracticeSessionRecord, PracticeStore } from './store';

/** A session is kept this long after it starts. */
export const PRACTICE_SESSION_TTL_MS = 24 * 3600_000;
/** How long the set of rounds that are over is reused before it is read again. */
const OVER_CACHE_MS = 5000;

export interface PracticeDeps {
  store: PracticeStore;
  contests: Map<string, Contest>;
  /** Whether a live round's results are locked (round or contest lock): it is then over. */
  liveRoundLocked(contestId: string, roundId: string): Promise<boolean>;
  /** The online contestant holding this bearer token, if any (their completed sessions count for their badges). */
  contestantOf(contestId: string, token: string): Promise<string | null>;
  /** Called for each learner key of a session once it is complete (queues their badge check). */
  onCompleted?(contestId: string, learner: string, sessionId: string): Promise<void>;
  graceMs: number;
  random?: () => number;
}

/** The learner key of a phone's device id: hashed per contest, so the store never holds the id itself. */
export const deviceLearner = (contestId: string, deviceId: string) =>
  `d:${hashToken(`${contestId}:practice-device:${deviceId}`).slice(0, 22)}`;
export const contestantLearner = (contestantId: string) => `c:${contestantId}`;

export class PracticeService {
  private readonly random: () => number;
  private overCache = new Map<string, { at: number; over: Set<string> }>();

  constructor(private readonly deps: PracticeDeps) {
    this.random = deps.random ?? Math.random;
  }

  private contest(contestId: string): Contest & { practice: NonNullable<Contest['practice']> } {
    const contest = this.deps.contests.get(contestId);
    if (!contest?.practice) throw new GameError('CONTEST_NOT_FOUND', `no practice for '${contestId}'`);
    return contest as Contest & { practice: NonNullable<Contest['practice']> };
  }

  /** Rounds over now: self-paced ones past their window (and any attempt's time), live ones with locked results. */
  private async roundsOver(contest: Contest): Promise<Set<string>> {
    const now = await this.deps.store.now();
    const cached = this.overCache.get(contest.id);
    if (cached && now - cached.at < OVER_CACHE_MS) return cached.over;
    const over = new Set<string>();
    for (const round of contest.rounds) {
      const done =
        round.mode === 'self-paced'
          ? selfPacedRoundOver(round, now, this.deps.graceMs)
          : await this.deps.liveRoundLocked(contest.id, round.id);
      if (done) over.add(round.id);
    }
    this.overCache.set(contest.id, { at: now, over });
    return over;
  }

  private async pool(contest: Contest): Promise<Question[]> {
    return practicePool(contest, await this.roundsOver(contest));
  }

  async info(contestId: string): Promise<PracticeInfo> {
    const contest = this.contest(contestId);
    const pool = await this.pool(contest);
    if (!pool.length) throw new GameError('CONTEST_NOT_FOUND', `no practice questions in '${contestId}' yet`);
    return {
      contestId,
      title: contest.title,
      organiser: contest.organiser,
      questionsPerSession: contest.practice.questionsPerSession,
      areas: COMPETENCE_AREAS.map((area) => ({ area, questions: pool.filter((q) => q.area === area).length })).filter(
        (a) => a.questions > 0,
      ),
    };
  }

  async start(contestId: string, body: StartPracticeBody, token: string | undefined): Promise<PracticeSessionView> {
    const contest = this.contest(contestId);
    const pool = (await this.pool(contest)).filter((q) => !body.area || q.area === body.area);
    if (!pool.length) throw new GameError('BAD_REQUEST', 'no practice questions in this area yet');
    const chosen: Question[] = [];
    for (let i = 0; i < contest.practice.questionsPerSession && pool.length; i++)
      chosen.push(pool.splice(Math.floor(this.random() * pool.length), 1)[0]!);
    const learners: string[] = [];
    if (body.deviceId) learners.push(deviceLearner(contestId, body.deviceId));
    const contestantId = token ? await this.deps.contestantOf(contestId, token) : null;
    if (contestantId) learners.push(contestantLearner(contestantId));
    const now = await this.deps.store.now();
    const session: PracticeSessionRecord = {
      id: randomBytes(18).toString('base64url'),
      area: body.area ?? null,
      questions: chosen.map((q) => ({ id: q.id, perm: optionPermutation(q, this.random), area: q.area })),
      learners,
      createdAt: now,
      expiresAt: now + PRACTICE_SESSION_TTL_MS,
      answers: {},
    };
    await this.deps.store.createPracticeSession(contestId, session);
    return this.view(contest, session);
  }

  async read(contestId: string, sessionId: string): Promise<PracticeSessionView> {
    const contest = this.contest(contestId);
    return this.view(contest, await this.session(contestId, sessionId));
  }

  private async session(contestId: string, sessionId: string) {
    const session = await this.deps.store.getPracticeSession(contestId, sessionId);
    if (!session) throw new GameError('NOT_FOUND', 'no such practice session (it may have expired)');
    return session;
  }

  async answer(contestId: string, sessionId: string, body: PracticeAnswerBody): Promise<PracticeAnswered> {
    const contest = this.contest(contestId);
    const session = await this.session(contestId, sessionId);
    const drawn = session.questions.find((q) => q.id === body.questionId);
    if (!drawn) throw new GameError('QUESTION_NOT_IN_ATTEMPT', `question '${body.questionId}' is not in this session`);
    const q = questionOf(contest, drawn.id);
    const valid = validateChoice(q as PlayableQuestion, body.choice);
    if (!valid.ok) throw new GameError(valid.code, valid.message);
    const choice = toBankChoice(q, drawn.perm, valid.choice);
    const correct = isCorrect(q as PlayableQuestion, choice);
    const saved = await this.deps.store.answerPractice(contestId, sessionId, drawn.id, { choice, correct });
    if (!saved.ok)
      throw new GameError(
        saved.code,
        saved.code === 'ALREADY_ANSWERED' ? 'this question was already answered in this session' : 'no such session',
      );
    session.answers[drawn.id] = { choice, correct };
    // Completed: each learner it counts for (device, contestant) gets its badges checked.
    if (saved.complete)
      for (const learner of session.learners) await this.deps.onCompleted?.(contestId, learner, sessionId);
    return { feedback: feedback(q, drawn.perm, correct), summary: summarise(session) };
  }

  /** Organisers: practice figures per area (anonymous) and the holders of each badge. */
  async stats(contestId: string): Promise<PracticeStats> {
    const contest = this.deps.contests.get(contestId);
    if (!contest) throw new GameError('CONTEST_NOT_FOUND', `no contest '${contestId}'`);
    const [counters, holders, at] = await Promise.all([
      this.deps.store.practiceCounters(contestId),
      this.deps.store.badgeHolders(contestId),
      this.deps.store.now(),
    ]);
    return {
      contestId,
      at,
      sessions: { started: counters.started, completed: counters.completed },
      areas: COMPETENCE_AREAS.flatMap((area) => {
        const a = counters.areas[area];
        return a ? [{ area, ...a, correctRate: a.answered ? a.correct / a.answered : null }] : [];
      }),
      badges: contest.badges.map((b) => ({ id: b.id, name: b.name, icon: b.icon, holders: holders[b.id] ?? 0 })),
    };
  }

  private view(contest: Contest, session: PracticeSessionRecord): PracticeSessionView {
    const answers: PracticeSessionView['answers'] = {};
    for (const drawn of session.questions) {
      const a = session.answers[drawn.id];
      if (!a) continue;
      const q = questionOf(contest, drawn.id);
      answers[drawn.id] = {
        choice: toShownChoice(q, drawn.perm, a.choice),
        feedback: feedback(q, drawn.perm, a.correct),
      };
    }
    return {
      id: session.id,
      contestId: contest.id,
      area: session.area,
      questions: session.questions.map((d) => publicQuestion(questionOf(contest, d.id), d.perm)),
      answers,
      summary: summarise(session),
      expiresAt: session.expiresAt,
    };
  }
}

function questionOf(contest: Contest, id: string): Question {
  const q = contest.practice?.questions.find((x) => x.id === id) ?? contest.questions.find((x) => x.id === id);
  if (!q) throw new GameError('NOT_FOUND', `question '${id}' left the contest; start a new session`);
  return q;
}

function publicQuestion(q: Question, perm: number[]): PracticeQuestion {
  const out: PracticeQuestion = { id: q.id, type: q.type as PracticeQuestion['type'], area: q.area, text: q.text };
  if (q.type === 'true-false') out.options = ['Đúng', 'Sai'];
  else if (q.type !== 'numeric') out.options = shownOptions(q.options, perm);
  if (q.type === 'numeric') {
    out.min = q.min;
    out.max = q.max;
    if (q.unit) out.unit = q.unit;
  }
  if (q.image) out.image = q.image;
  return out;
}

function feedback(q: Question, perm: number[], correct: boolean): PracticeFeedback {
  const out: PracticeFeedback = {
    questionId: q.id,
    correct,
    correctOptions: correctOptions(q as PlayableQuestion)
      .map((i) => perm.indexOf(i))
      .sort((a, b) => a - b),
    explanation: q.explanation,
    source: q.source,
  };
  if (q.type === 'numeric') out.answer = q.answer;
  return out;
}

/** Answered and correct per area; weak: answered below PRACTICE_WEAK_BELOW correct, weakest first. */
export function summarise(session: Pick<PracticeSessionRecord, 'questions' | 'answers'>): PracticeSummary {
  const byArea = new Map<CompetenceArea, { answered: number; correct: number }>();
  let answered = 0;
  let correct = 0;
  for (const q of session.questions) {
    const a = session.answers[q.id];
    if (!a) continue;
    const tally = byArea.get(q.area) ?? { answered: 0, correct: 0 };
    tally.answered++;
    answered++;
    if (a.correct) {
      tally.correct++;
      correct++;
    }
    byArea.set(q.area, tally);
  }
  const areas = [...byArea].map(([area, t]) => ({ area, ...t }));
  const weakAreas = areas
    .filter((a) => a.correct / a.answered < PRACTICE_WEAK_BELOW)
    .sort((a, b) => a.correct / a.answered - b.correct / b.answered)
    .map((a) => a.area);
  return {
    answered,
    correct,
    total: session.questions.length,
    areas,
    weakAreas,
    complete: answered === session.questions.length,
  };
}
