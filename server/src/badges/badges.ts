// Badges: evaluated by queued jobs after scoring (each scored online attempt, each completed practice session, the
// last scored question of a live game) and awarded through the store's set-once step, so a retried or duplicated job
// never awards twice. Subjects: `c:<contestant id>` (online, and invited live players), `d:<hashed device>`
// (practice on a phone without registration), `p:<pin>:<player id>` (an open live game's player).
import type { Contest, Question } from '../../../protocol/contest';
import type { BadgeView, EarnedBadge, MyBadges } from '../../../protocol/practice';
import { hashToken } from '../auth';
import { GameError } from '../errors';
import { isCorrect } from '../game/scoring';
import type { JobRunner, Processors } from '../jobs/jobs';
import type { OnlineStore } from '../online/store';
import { contestantLearner, deviceLearner } from '../practice/practice';
import type { PracticeStore } from '../practice/store';
import type { Store } from '../store/store';
import { earnedBadges, NO_EVIDENCE, type BadgeEvidence } from './rules';

export interface BadgeDeps {
  store: PracticeStore;
  online: OnlineStore;
  live: Store;
  contests: Map<string, Contest>;
  jobs: JobRunner;
}

type Tallies = NonNullable<BadgeEvidence['areas']>;
const tally = (areas: Tallies, q: Question, correct: boolean) => {
  const a = (areas[q.area] ??= { asked: 0, correct: 0 });
  a.asked++;
  if (correct) a.correct++;
};

export const badgeView = (b: Contest['badges'][number]): BadgeView => ({
  id: b.id,
  name: b.name,
  description: b.description,
  icon: b.icon,
});

export class BadgeService {
  constructor(private readonly deps: BadgeDeps) {}

  get processors(): Pick<Processors, 'badges.learner' | 'badges.game'> {
    return {
      'badges.learner': ({ contestId, subject }) => this.awardLearner(contestId, subject),
      'badges.game': ({ pin }) => this.awardGame(pin),
    };
  }

  /**
   * The scoring processors, each followed by queuing its badge check: an online attempt's contestant once it is
   * scored, a live game's players once its last question is. A retried scoring job queues the check again: harmless.
   */
  after(processors: Processors): Processors {
    const { jobs, online, live, contests } = this.deps;
    return {
      ...processors,
      'attempt.score': async (data) => {
        await processors['attempt.score'](data);
        const attempt = await online.getAttempt(data.contestId, data.attemptId);
        if (attempt?.status === 'scored' && contests.get(data.contestId)?.badges.length)
          await jobs.enqueue(
            'badges.learner',
            { contestId: data.contestId, subject: contestantLearner(attempt.contestantId) },
            { jobId: `badges-attempt-${data.contestId}-${data.attemptId}` },
          );
      },
      'question.score': async (data) => {
        await processors['question.score'](data);
        const game = await live.getGame(data.pin);
        if (game && data.index === game.questions.length - 1 && contests.get(game.contestId)?.badges.length)
          await jobs.enqueue('badges.game', { pin: data.pin }, { jobId: `badges-game-${data.pin}` });
      },
    };
  }

  /** Queues the check of a learner (contestant or device) who completed a practice session. */
  async practiceCompleted(contestId: string, subject: string, sessionId: string) {
    if (!this.deps.contests.get(contestId)?.badges.length) return;
    await this.deps.jobs.enqueue(
      'badges.learner',
      { contestId, subject },
      { jobId: `badges-practice-${contestId}-${sessionId}-${subject.slice(0, 1)}` },
    );
  }

  private async awardLearner(contestId: string, subject: string) {
    const contest = this.deps.contests.get(contestId);
    if (!contest?.badges.length) return;
    const evidence = subject.startsWith('c:')
      ? await this.contestantEvidence(contest, subject.slice(2))
      : { ...NO_EVIDENCE, practiceSessions: await this.deps.store.practiceSessions(contestId, subject) };
    await this.award(contest, subject, evidence);
  }

  private async award(contest: Contest, subject: string, evidence: BadgeEvidence) {
    const earned = earnedBadges(contest, evidence);
    if (earned.length) await this.deps.store.awardBadges(contest.id, subject, earned, await this.deps.store.now());
  }

  /** The answers of the attempt that counts in each self-paced round; rounds with one are finished. */
  private async contestantEvidence(contest: Contest, contestantId: string): Promise<BadgeEvidence> {
    const areas: Tallies = {};
    const finished = new Set<string>();
    const playable = new Set<string>();
    const bank = new Map(contest.questions.map((q) => [q.id, q]));
    for (const round of contest.rounds) {
      if (round.mode !== 'self-paced') continue;
      playable.add(round.id);
      const mine = await this.deps.online.myRound(contest.id, round.id, contestantId);
      const attempt = mine.counting ? await this.deps.online.getAttempt(contest.id, mine.counting) : null;
      if (!attempt?.result) continue;
      finished.add(round.id);
      for (const drawn of attempt.questions) {
        const q = bank.get(drawn.id);
        if (!q || q.id === round.prediction || q.type === 'poll') continue;
        const answer = attempt.answers[drawn.id];
        tally(areas, q, !!answer && isCorrect(q as never, answer.choice));
      }
    }
    const practiceSessions = await this.deps.store.practiceSessions(contest.id, contestantLearner(contestantId));
    return { areas, finished, playable, practiceSessions };
  }

  /** Every player of a (non-rehearsal) live game: this game's answers; finished when every question was answered. */
  private async awardGame(pin: string) {
    const { live } = this.deps;
    const game = await live.getGame(pin);
    const contest = game && this.deps.contests.get(game.contestId);
    if (!game || !contest?.badges.length) return;
    const indexed = (await live.organiser.listGames(game.contestId)).find((g) => g.pin === pin);
    if (indexed?.practice) return; // a rehearsal earns nothing
    const players = await live.getPlayers(pin);
    const answers = await Promise.all(game.questions.map((_, i) => live.getAnswers(pin, i)));
    for (const player of players) {
      const areas: Tallies = {};
      let answeredAll = true;
      game.questions.forEach((q, i) => {
        const answer = answers[i]!.get(player.id);
        if (!answer) answeredAll = false;
        if (q.type === 'poll' || i === game.predictionIndex) return;
        tally(areas, q, !!answer && isCorrect(q, answer.choice));
      });
      const subject = player.contestantId ? contestantLearner(player.contestantId) : `p:${pin}:${player.id}`;
      const practiceSessions = player.contestantId ? await this.deps.store.practiceSessions(contest.id, subject) : 0;
      await this.award(contest, subject, {
        areas,
        finished: answeredAll ? new Set([game.roundId]) : new Set(),
        playable: new Set([game.roundId]),
        practiceSessions,
      });
    }
  }

  // ------------------------------------------------------------------ reading

  private contest(contestId: string): Contest {
    const contest = this.deps.contests.get(contestId);
    if (!contest) throw new GameError('CONTEST_NOT_FOUND', `no contest '${contestId}'`);
    return contest;
  }

  private async earned(contest: Contest, subject: string): Promise<EarnedBadge[]> {
    const held = new Map((await this.deps.store.badgesOf(contest.id, subject)).map((b) => [b.id, b.at]));
    return contest.badges.filter((b) => held.has(b.id)).map((b) => ({ ...badgeView(b), at: held.get(b.id)! }));
  }

  /** An online contestant's badges (their id), or a phone's practice badges (its device id). */
  async mine(contestId: string, who: { contestantId?: string; deviceId?: string }): Promise<MyBadges> {
    const contest = this.contest(contestId);
    const subject = who.contestantId
      ? contestantLearner(who.contestantId)
      : who.deviceId
        ? deviceLearner(contestId, who.deviceId)
        : null;
    if (!subject) throw new GameError('NOT_REGISTERED', 'send the contestant token or ?device=');
    return {
      badges: contest.badges.map(badgeView),
      earned: await this.earned(contest, subject),
      practiceSessions: await this.deps.store.practiceSessions(contestId, subject),
    };
  }

  /** A live player's badges, for the phone's final screen: the reconnect token proves who they are. */
  async ofPlayer(pin: string, token: string): Promise<EarnedBadge[]> {
    const player = await this.deps.live.findPlayerByToken(pin, hashToken(token));
    const game = player && (await this.deps.live.getGame(pin));
    if (!player || !game) throw new GameError('TOKEN_INVALID', 'no player of this game holds this token');
    const contest = this.contest(game.contestId);
    return this.earned(contest, player.contestantId ? contestantLearner(player.contestantId) : `p:${pin}:${player.id}`);
  }

  /** How many players of a live game hold each badge (no names): the projector's final screen. */
  async gameCounts(pin: string): Promise<(BadgeView & { holders: number })[]> {
    const game = await this.deps.live.getGame(pin);
    if (!game) throw new GameError('GAME_NOT_FOUND', 'no such game');
    const contest = this.contest(game.contestId);
    if (!contest.badges.length) return [];
    const players = await this.deps.live.getPlayers(pin);
    const held = await Promise.all(
      players.map((p) =>
        this.deps.store.badgesOf(contest.id, p.contestantId ? contestantLearner(p.contestantId) : `p:${pin}:${p.id}`),
      ),
    );
    const holders = new Map<string, number>();
    for (const list of held) for (const b of list) holders.set(b.id, (holders.get(b.id) ?? 0) + 1);
    return contest.badges.map((b) => ({ ...badgeView(b), holders: holders.get(b.id) ?? 0 }));
  }

  /** The contest's badges and how many hold each (no names). */
  async counts(contestId: string): Promise<(BadgeView & { holders: number })[]> {
    const contest = this.contest(contestId);
    const holders = await this.deps.store.badgeHolders(contestId);
    return contest.badges.map((b) => ({ ...badgeView(b), holders: holders[b.id] ?? 0 }));
  }
}
