import { z } from 'zod';

/** The four target groups of the "Bình dân học vụ số" movement. Ids are stable; labels are for display. */
export const TARGET_GROUPS = ['can-bo', 'hoc-sinh', 'nguoi-lao-dong', 'nguoi-dan'] as const;
export const TargetGroup = z.enum(TARGET_GROUPS);
export type TargetGroup = z.infer<typeof TargetGroup>;

/** Vietnamese names of the target groups, as the plans write them. */
export const TARGET_GROUP_LABELS_VI: Record<TargetGroup, string> = {
  'can-bo': 'Cán bộ, công chức, viên chức',
  'hoc-sinh': 'Học sinh, sinh viên',
  'nguoi-lao-dong': 'Người lao động trong doanh nghiệp',
  'nguoi-dan': 'Người dân',
};

/**
 * Competence areas of the basic digital knowledge and skills framework (Decision 757/QĐ-BKHCN),
 * in the fallback wording of the content issue.
 */
export const COMPETENCE_AREAS = [
  'devices-software',
  'information-data',
  'communication-collaboration',
  'digital-content',
  'safety',
  'digital-services',
  'ai',
] as const;
export const CompetenceArea = z.enum(COMPETENCE_AREAS);
export type CompetenceArea = z.infer<typeof CompetenceArea>;

/** Vietnamese names of the competence areas, for every screen, export and report (ids stay in the data). */
export const COMPETENCE_AREA_LABELS_VI: Record<CompetenceArea, string> = {
  'devices-software': 'Thiết bị và phần mềm',
  'information-data': 'Thông tin và dữ liệu',
  'communication-collaboration': 'Giao tiếp và hợp tác',
  'digital-content': 'Sáng tạo nội dung số',
  safety: 'An toàn',
  'digital-services': 'Dịch vụ số',
  ai: 'Trí tuệ nhân tạo',
};

/** Topics: a second axis across competence areas. */
export const TOPICS = [
  'scams',
  'vneid',
  'public-services',
  'payments',
  'personal-data',
  'fake-news',
  'ai',
  'cybersecurity',
] as const;
export const Topic = z.enum(TOPICS);
export type Topic = z.infer<typeof Topic>;

/** Stable ids: lower-case letters, digits and dashes. */
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'dùng chữ thường không dấu, số và dấu gạch ngang');

export const TIME_LIMIT_MIN_SEC = 5;
export const TIME_LIMIT_MAX_SEC = 240;
export const TimeLimitSec = z.number().int().min(TIME_LIMIT_MIN_SEC).max(TIME_LIMIT_MAX_SEC);
/** Points a question is worth: 0 (practice), standard or double. */
export const Points = z.union([z.literal(0), z.literal(1000), z.literal(2000)]);
export type Points = z.infer<typeof Points>;

const OptionText = z.string().trim().min(1).max(200);
const Options = z.array(OptionText).min(2).max(6);

const QuestionBase = z.object({
  id: Slug,
  text: z.string().trim().min(1).max(600),
  timeLimitSec: TimeLimitSec.optional(),
  points: Points.optional(),
  /** Shown after the reveal: people should learn from every question. */
  explanation: z.string().trim().min(1).max(1500),
  /** The law, decision or official page the correct answer rests on; phones get the link, so only http(s). */
  source: z.object({
    title: z.string().trim().min(1).max(300),
    url: z
      .url({ protocol: /^https?$/, error: 'liên kết nguồn phải bắt đầu bằng http:// hoặc https://' })
      .max(2000)
      .optional(),
  }),
  area: CompetenceArea,
  topics: z.array(Topic).default([]),
  groups: z
    .array(TargetGroup)
    .min(1)
    .default([...TARGET_GROUPS]),
  difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
  image: z.object({ src: z.string().min(1).max(200), alt: z.string().trim().min(1).max(300) }).optional(),
  /**
   * Online rounds show each contestant the options in their own random order; `false` keeps the bank's order
   * (e.g. "All of the above" last). True/false questions always keep their order.
   */
  shuffle: z.boolean().default(true),
});

const SingleQuestion = QuestionBase.extend({
  type: z.literal('single'),
  options: Options,
  correct: z.number().int().min(0),
});
const MultipleQuestion = QuestionBase.extend({
  type: z.literal('multiple'),
  options: Options,
  correct: z.array(z.number().int().min(0)).min(1),
});
const TrueFalseQuestion = QuestionBase.extend({
  type: z.literal('true-false'),
  correct: z.boolean(),
});
const NumericQuestion = QuestionBase.extend({
  type: z.literal('numeric'),
  /**
   * The correct value. When `answerKnownAfterRound` is true this is a placeholder: the true value
   * (e.g. how many contestants answered every question correctly) is set by the organisers after the round.
   */
  answer: z.number().finite(),
  /** A prediction question: the answer exists only once the round has closed. Must score 0 points. */
  answerKnownAfterRound: z.boolean().default(false),
  /** Answers within the tolerance score full points; closeness decays to 0 at `min`/`max`. */
  tolerance: z.number().min(0).default(0),
  min: z.number().finite(),
  max: z.number().finite(),
  unit: z.string().max(30).optional(),
});
const PollQuestion = QuestionBase.extend({
  type: z.literal('poll'),
  options: Options,
  explanation: z.string().trim().max(1500).default(''),
  source: z.object({ title: z.string().trim().max(300), url: z.url().optional() }).default({ title: '' }),
});

/** A question of the bank, with its correct answer: server-side only, never sent before the question closes. */
export const Question = z
  .discriminatedUnion('type', [SingleQuestion, MultipleQuestion, TrueFalseQuestion, NumericQuestion, PollQuestion])
  .superRefine((q, ctx) => {
    if (q.type === 'single' && q.correct >= q.options.length)
      ctx.addIssue({
        code: 'custom',
        path: ['correct'],
        message: `đáp án ${q.correct} nằm ngoài ${q.options.length} lựa chọn`,
      });
    if (q.type === 'multiple') {
      for (const c of q.correct)
        if (c >= q.options.length)
          ctx.addIssue({
            code: 'custom',
            path: ['correct'],
            message: `đáp án ${c} nằm ngoài ${q.options.length} lựa chọn`,
          });
      if (new Set(q.correct).size !== q.correct.length)
        ctx.addIssue({ code: 'custom', path: ['correct'], message: 'đáp án bị lặp' });
    }
    if (q.type === 'numeric') {
      if (!(q.min < q.max)) ctx.addIssue({ code: 'custom', path: ['min'], message: 'min phải nhỏ hơn max' });
      if (q.answer < q.min || q.answer > q.max)
        ctx.addIssue({ code: 'custom', path: ['answer'], message: 'đáp án phải nằm trong [min, max]' });
    }
  });
export type Question = z.infer<typeof Question>;
export type QuestionType = Question['type'];
export const QUESTION_TYPES = [
  'single',
  'multiple',
  'true-false',
  'numeric',
  'poll',
] as const satisfies readonly QuestionType[];

export const UNIT_KINDS = ['department', 'ward', 'school', 'enterprise', 'other'] as const;
export const Unit = z.object({
  id: Slug,
  name: z.string().trim().min(1).max(200),
  kind: z.enum(UNIT_KINDS),
  /** People the unit could send: gives the participation rate. */
  headcount: z.number().int().positive().optional(),
});
export type Unit = z.infer<typeof Unit>;

export const ScoringMode = z.enum(['speed', 'accuracy']);
export type ScoringMode = z.infer<typeof ScoringMode>;

/** Draw `count` questions at random from those matching the filter. */
export const QuestionDraw = z.object({
  count: z.number().int().positive().max(200),
  area: CompetenceArea.optional(),
  topic: Topic.optional(),
  group: TargetGroup.optional(),
});

/** A date-time with its offset, e.g. `2025-09-22T00:00+07:00` (Asia/Ho_Chi_Minh); seconds optional. */
export const OffsetDateTime = z
  .string()
  .refine(
    (v) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
    {
      message: 'ghi ngày giờ kèm múi giờ, vd: 2025-09-22T00:00+07:00',
    },
  );

/** Which attempt of a contestant counts for the ranking. */
export const COUNTING_ATTEMPTS = ['best', 'last'] as const;
/** When contestants see correct answers and explanations of their own attempt. */
export const REVEAL_ANSWERS = ['after-attempt', 'after-round'] as const;

/**
 * Settings of a self-paced (online) round: required when `mode: self-paced`, refused on a live round.
 * Times are checked on the server's clock, never the phone's.
 */
export const OnlineRoundSettings = z.object({
  /** The window: no attempt starts before `opensAt` or after `closesAt`. */
  opensAt: OffsetDateTime,
  closesAt: OffsetDateTime,
  /** Time for a whole attempt, in minutes (may be fractional: 1.5 = 90 s). */
  timeLimitMin: z.number().positive().max(600),
  /** Attempts allowed per contestant in the round. */
  attempts: z.number().int().min(1).max(100).default(1),
  /** Optionally at most `attempts` attempts started within any `days` days (e.g. 1 per 7 days). */
  perPeriod: z
    .object({ attempts: z.number().int().min(1).max(100), days: z.number().int().min(1).max(366) })
    .optional(),
  /** `best`: the contestant's best attempt counts; `last`: the last one submitted. */
  counts: z.enum(COUNTING_ATTEMPTS).default('best'),
  /** `after-attempt`: the review shows answers once submitted; `after-round`: only once the round has closed. */
  revealAnswers: z.enum(REVEAL_ANSWERS).default('after-round'),
  /** Never draw a question that a live round of the same contest asks (the final's questions stay unseen). */
  excludeLiveQuestions: z.boolean().default(true),
  /** Draw only questions tagged with the contestant's target group. */
  drawByGroup: z.boolean().default(false),
  /** Contestants who asked for extra time at registration (elderly, disabled) get the time limit times this. */
  extraTimeFactor: z.number().min(1).max(3).default(1.5),
  /** Who goes on (for later rounds): the top `overall` and/or the top `perGroup` of each target group. */
  qualifiers: z
    .object({ overall: z.number().int().min(1).optional(), perGroup: z.number().int().min(1).optional() })
    .optional(),
});
export type OnlineRoundSettings = z.infer<typeof OnlineRoundSettings>;

/**
 * A live round played by units ("Units as teams"): each contestant plays for the unit they chose at joining. The
 * unit's score is the average of its members' scores (`average`) or the sum of its best `n` (`bestN`); units with
 * fewer than `minPlayers` players are shown but not ranked.
 */
export const TeamSettings = z
  .object({
    by: z.literal('unit'),
    score: z.enum(['average', 'bestN']).default('average'),
    /** For `bestN`: how many of a unit's best scores are summed. */
    n: z.number().int().min(1).max(1000).optional(),
    minPlayers: z.number().int().min(1).max(1000).default(1),
  })
  .superRefine((t, ctx) => {
    if (t.score === 'bestN' && t.n === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['n'],
        message: 'score: bestN cần n (số người có điểm cao nhất được cộng)',
      });
    if (t.score === 'average' && t.n !== undefined)
      ctx.addIssue({ code: 'custom', path: ['n'], message: 'n chỉ dùng với score: bestN' });
  });
export type TeamSettings = z.infer<typeof TeamSettings>;

export const Round = z.object({
  id: Slug,
  title: z.string().trim().min(1).max(200),
  mode: z.enum(['live', 'self-paced']).default('live'),
  scoring: ScoringMode.default('speed'),
  /** +100 per consecutive correct answer after the first, capped at 500. */
  streakBonus: z.boolean().default(false),
  defaultTimeLimitSec: TimeLimitSec.default(20),
  defaultPoints: Points.default(1000),
  /** Question ids from the bank, in order. */
  questions: z.array(Slug).default([]),
  /** Further questions drawn at random (after the fixed ones). */
  draw: z.array(QuestionDraw).default([]),
  /** A numeric question asked last, whose error breaks ties in accuracy ranking. */
  prediction: Slug.optional(),
  /** Window, time limit, attempts, reveal policy: required for `mode: self-paced` (see {@link OnlineRoundSettings}). */
  online: OnlineRoundSettings.optional(),
  /**
   * Who may join a live round's games: `open` (anyone with the PIN, the default) or `invited` (only with an
   * invitation code issued to a qualifier of an online round; the player is then that contestant, one entry each).
   */
  entry: z.enum(['open', 'invited']).default('open'),
  /** Play the (live) round as a unit contest: see {@link TeamSettings}. */
  teams: TeamSettings.optional(),
});
export type Round = z.infer<typeof Round>;

export const TIE_BREAKS = ['score', 'correct', 'time', 'prediction', 'submitted'] as const;
export const TieBreak = z.enum(TIE_BREAKS);

export const PrizeTier = z.object({
  id: Slug,
  label: z.string().trim().min(1).max(100),
  count: z.number().int().min(0).max(1000),
  /**
   * The rounds this tier ranks, when not `prizes.rounds`: e.g. the online round's own prizes beside the final's.
   * Tiers that rank the same rounds form one prize set (see {@link prizeSets}), awarded by the lock that holds
   * those rounds; one prize per person applies within a set.
   */
  rounds: z.array(Slug).min(1).optional(),
  /**
   * Collective tiers only: how units are ranked, `average` (the default: average score, or average correct answers
   * in accuracy rounds, then participants) or `participants` (most contestants first, then the average).
   */
  by: z.enum(['average', 'participants']).optional(),
});
export type PrizeTier = z.infer<typeof PrizeTier>;

/** Defaults of `prizes.eligibility`: a prize needs at least one correct answer. */
export const PRIZE_ELIGIBILITY_DEFAULT = { minCorrect: 1, minScore: 0, minEntrantsPerGroup: 1 };

/**
 * Who wins what. `rounds` is the prize scope: the rounds whose (non-practice) games the prize lists rank
 * together. It may be left out only when the contest has one round; with several rounds it must be given (or
 * every tier names its own `rounds`), so a warm-up or trial round never hands out prizes by accident. A tier with
 * its own `rounds` belongs to that prize set instead (e.g. the online round's prizes beside the final's). A result
 * set names a set's prizes only when it holds every game of its rounds (a round or contest lock, or the lone game
 * of a one-game round).
 */
export const Prizes = z.object({
  rounds: z.array(Slug).min(1).optional(),
  /** Who may win at all. Entrants below a minimum are passed over and the next eligible one takes the place. */
  eligibility: z
    .object({
      /** Correct answers needed to win any individual or group prize (default 1: nobody wins with none right). */
      minCorrect: z.number().int().min(0).default(PRIZE_ELIGIBILITY_DEFAULT.minCorrect),
      /** Points needed to win any individual or group prize (default 0). */
      minScore: z.number().int().min(0).default(PRIZE_ELIGIBILITY_DEFAULT.minScore),
      /** Entrants a target group needs before its group prizes are awarded (default 1). */
      minEntrantsPerGroup: z.number().int().min(1).default(PRIZE_ELIGIBILITY_DEFAULT.minEntrantsPerGroup),
    })
    .default(PRIZE_ELIGIBILITY_DEFAULT),
  /**
   * One prize per person (default): a contestant keeps the first prize reached going down the individual tiers,
   * then the group tiers; the next eligible contestant takes the place they leave. `false` lets one person hold
   * an individual and a group prize.
   */
  onePerPerson: z.boolean().default(true),
  individual: z.array(PrizeTier).default([]),
  perGroup: z.array(PrizeTier).default([]),
  collective: z.array(PrizeTier).default([]),
});
export type Prizes = z.infer<typeof Prizes>;

/** The rounds a contest's prizes rank: `prizes.rounds`, or the only round when it is left out. */
export function prizeRounds(contest: Pick<Contest, 'prizes' | 'rounds'>): string[] {
  return contest.prizes.rounds ?? (contest.rounds.length === 1 ? [contest.rounds[0]!.id] : []);
}

/** Whether any prize list awards anything. */
export const hasPrizes = (prizes: Pick<Prizes, 'individual' | 'perGroup' | 'collective'>) =>
  [...prizes.individual, ...prizes.perGroup, ...prizes.collective].some((t) => t.count > 0);

/**
 * Tiers that rank the same rounds together: `rounds` (in the contest's round order), and `prizes` holding only
 * those tiers (eligibility and one-prize-per-person are the contest's). The key names the set in winners and claims.
 */
export interface PrizeSet {
  key: string;
  rounds: string[];
  prizes: Prizes;
}

/**
 * The contest's prize sets, in the order their first tier is written (individual, then group, then collective
 * lists). A tier without `rounds` ranks `prizeRounds(contest)`. A contest with no tier at all has one empty set.
 */
export function prizeSets(contest: Pick<Contest, 'prizes' | 'rounds'>): PrizeSet[] {
  const order = contest.rounds.map((r) => r.id);
  const fallback = prizeRounds(contest);
  const sets = new Map<string, PrizeSet>();
  const setOf = (tier: PrizeTier) => {
    const rounds = [...new Set(tier.rounds ?? fallback)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const key = rounds.join(',');
    let set = sets.get(key);
    if (!set)
      sets.set(
        key,
        (set = { key, rounds, prizes: { ...contest.prizes, individual: [], perGroup: [], collective: [] } }),
      );
    return set;
  };
  for (const list of ['individual', 'perGroup', 'collective'] as const)
    for (const tier of contest.prizes[list]) setOf(tier).prizes[list].push(tier);
  if (!sets.size) return [{ key: fallback.join(','), rounds: fallback, prizes: contest.prizes }];
  return [...sets.values()];
}

/**
 * The practice page ("Luyện tập"): open any time, no registration, never counted in results or prizes. Its pool is
 * `questions` (written for practice only: no round ever draws from them) plus the questions of `fromRounds` once each
 * of those rounds is over (a self-paced round after its window closes, a live round once its results are locked),
 * always minus any question a round still to be played could ask.
 */
export const PracticeSettings = z.object({
  questions: z.array(Question).default([]),
  fromRounds: z.array(Slug).default([]),
  /** Questions in one practice session (fewer when the pool or the chosen area has fewer). */
  questionsPerSession: z.number().int().min(1).max(50).default(10),
});
export type PracticeSettings = z.infer<typeof PracticeSettings>;

/** How a badge is earned. Evaluated by a queued job after scoring; a badge once awarded is never awarded again. */
export const BadgeRule = z.discriminatedUnion('kind', [
  /** At least `minPercent` % correct of the answers in one competence area (and at least `minAnswered` of them). */
  z.object({
    kind: z.literal('area-accuracy'),
    area: CompetenceArea,
    minPercent: z.number().min(1).max(100),
    minAnswered: z.number().int().min(1).max(1000).default(3),
  }),
  /** Online: a scored attempt in every self-paced round (or every round listed). Live: answered every question of the game. */
  z.object({ kind: z.literal('all-rounds'), rounds: z.array(Slug).min(1).optional() }),
  /** `count` practice sessions completed (every question answered) on the contest's practice page. */
  z.object({ kind: z.literal('practice-sessions'), count: z.number().int().min(1).max(1000) }),
]);
export type BadgeRule = z.infer<typeof BadgeRule>;

export const Badge = z.object({
  id: Slug,
  /** e.g. "Chiến binh an toàn số". */
  name: z.string().trim().min(1).max(80),
  /** What it takes, in plain words (shown under the badge). */
  description: z.string().trim().min(1).max(300),
  /** A short symbol (an emoji) shown beside the name. */
  icon: z.string().trim().min(1).max(8).default('🏅'),
  rule: BadgeRule,
});
export type Badge = z.infer<typeof Badge>;

export const Contest = z.object({
  id: Slug,
  title: z.string().trim().min(1).max(300),
  organiser: z.string().trim().min(1).max(300),
  startsAt: z.iso.date().optional(),
  endsAt: z.iso.date().optional(),
  description: z.string().trim().max(5000).default(''),
  privacyNotice: z.string().trim().min(1).max(10000),
  /** Mask registered full names wherever the public sees them (the online board); live nicknames are shown as chosen. */
  maskNames: z.boolean().default(false),
  /**
   * Days after a game ends before its contestants' personal data (nicknames, winners' names, phones and
   * ID numbers) is purged; scores stay, anonymised, for statistics.
   */
  personalDataRetentionDays: z.number().int().min(1).max(3650).default(90),
  units: z.array(Unit).default([]),
  rounds: z.array(Round).min(1),
  ranking: z
    .object({ tieBreak: z.array(TieBreak).min(1).default(['score', 'time', 'prediction', 'submitted']) })
    .default({
      tieBreak: ['score', 'time', 'prediction', 'submitted'],
    }),
  prizes: Prizes.default({
    individual: [],
    perGroup: [],
    collective: [],
    eligibility: PRIZE_ELIGIBILITY_DEFAULT,
    onePerPerson: true,
  }),
  questions: z.array(Question).min(1),
  /** The practice page; absent: the contest has none. */
  practice: PracticeSettings.optional(),
  /** Badges contestants earn across the contest's rounds and practice. */
  badges: z.array(Badge).default([]),
});
export type Contest = z.infer<typeof Contest>;

/** One problem found in a contest, with the path of the offending field (as zod reports it). */
export interface ContestIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Cross-checks that one field cannot see on its own: unique ids, rounds that point at real questions,
 * prediction questions, draw quotas that can be met. Returns every problem, never stops at the first.
 */
/**
 * The questions a round's draw may pick from: matching the draw's filters, not already used, never the
 * prediction question (no answer until the round ends), never a poll in an accuracy round (it has no right
 * answer, so a perfect score would be impossible).
 */
export function drawPool(
  contest: Contest,
  round: Round,
  draw: z.infer<typeof QuestionDraw>,
  used: ReadonlySet<string>,
): Question[] {
  return contest.questions.filter(
    (q) =>
      !used.has(q.id) &&
      q.id !== round.prediction &&
      !(q.type === 'numeric' && q.answerKnownAfterRound) &&
      !(q.type === 'poll' && round.scoring === 'accuracy') &&
      (!draw.area || q.area === draw.area) &&
      (!draw.topic || q.topics.includes(draw.topic)) &&
      (!draw.group || q.groups.includes(draw.group)),
  );
}

/** Questions the contest's live rounds ask by id (fixed lists and predictions; live draws are random at game creation). */
export function liveQuestionIds(contest: Contest): Set<string> {
  const ids = new Set<string>();
  for (const r of contest.rounds) {
    if (r.mode !== 'live') continue;
    for (const id of r.questions) ids.add(id);
    if (r.prediction) ids.add(r.prediction);
  }
  return ids;
}

/**
 * What an online round's draw may pick for a contestant of `group` (undefined: any group): {@link drawPool}, minus
 * the live rounds' questions when the round excludes them, minus questions not tagged for the group when the
 * round draws by group.
 */
export function onlineDrawPool(
  contest: Contest,
  round: Round,
  draw: z.infer<typeof QuestionDraw>,
  used: ReadonlySet<string>,
  group: TargetGroup | undefined,
  live: ReadonlySet<string> = round.online?.excludeLiveQuestions === false ? new Set() : liveQuestionIds(contest),
): Question[] {
  return drawPool(contest, round, draw, used).filter(
    (q) => !live.has(q.id) && (!group || !round.online?.drawByGroup || q.groups.includes(group)),
  );
}

/** A unit round is live and needs the contest's unit list (the join form offers it). */
function checkTeamsRound(contest: Contest, round: Round, r: number, issues: ContestIssue[]) {
  if (!round.teams) return;
  if (round.mode !== 'live')
    issues.push({ path: ['rounds', r, 'teams'], message: 'teams chỉ dùng cho vòng thi trực tiếp (mode: live)' });
  if (!contest.units.length)
    issues.push({
      path: ['rounds', r, 'teams'],
      message: 'vòng thi theo đơn vị cần danh sách đơn vị (units) để người chơi chọn khi vào',
    });
}

/** Cross-checks of a self-paced round's settings: present, a real window, and draws every contestant can get. */
function checkOnlineRound(
  contest: Contest,
  round: Round,
  r: number,
  fixed: ReadonlySet<string>,
  issues: ContestIssue[],
) {
  const at = (...path: (string | number)[]) => ['rounds', r, ...path];
  if (round.mode === 'live') {
    if (round.online)
      issues.push({ path: at('online'), message: 'mục online chỉ dùng cho vòng thi trực tuyến (mode: self-paced)' });
    if (round.entry === 'invited' && !contest.rounds.some((o) => o.online?.qualifiers))
      issues.push({
        path: at('entry'),
        message: 'entry: invited cần một vòng trực tuyến có online.qualifiers (người được mời lấy từ vòng đó)',
      });
    return;
  }
  if (round.entry === 'invited')
    issues.push({ path: at('entry'), message: 'entry: invited chỉ dùng cho vòng trực tiếp (mode: live)' });
  const online = round.online;
  if (!online) {
    issues.push({
      path: at('online'),
      message:
        'vòng thi trực tuyến (self-paced) cần mục online: opensAt, closesAt, timeLimitMin, attempts, counts, revealAnswers',
    });
    return;
  }
  if (round.scoring !== 'accuracy')
    issues.push({ path: at('scoring'), message: 'vòng thi trực tuyến xếp theo số câu đúng: đặt scoring: accuracy' });
  if (Date.parse(online.closesAt) <= Date.parse(online.opensAt))
    issues.push({
      path: at('online', 'closesAt'),
      message: 'thời điểm đóng (closesAt) phải sau thời điểm mở (opensAt)',
    });
  if (online.perPeriod && online.perPeriod.attempts >= online.attempts)
    issues.push({
      path: at('online', 'perPeriod', 'attempts'),
      message: `giới hạn ${online.perPeriod.attempts} lượt mỗi ${online.perPeriod.days} ngày không có tác dụng khi cả vòng chỉ có ${online.attempts} lượt`,
    });
  const live = online.excludeLiveQuestions ? liveQuestionIds(contest) : new Set<string>();
  round.questions.forEach((id, i) => {
    if (live.has(id))
      issues.push({
        path: at('questions', i),
        message: `câu "${id}" thuộc vòng trực tiếp: vòng trực tuyến không dùng câu của vòng trực tiếp (đặt online.excludeLiveQuestions: false nếu muốn)`,
      });
  });
  // Every contestant must get a full attempt: check the draw for each target group it can depend on.
  const groups: (TargetGroup | undefined)[] = online.drawByGroup ? [...TARGET_GROUPS] : [undefined];
  for (const group of groups) {
    const pooled = new Set<string>();
    let wanted = 0;
    round.draw.forEach((draw, d) => {
      const pool = onlineDrawPool(contest, round, draw, fixed, group, live);
      if (pool.length < draw.count) {
        const who = group ? ` cho nhóm ${group}` : '';
        const why = online.excludeLiveQuestions ? ' (không tính câu của vòng trực tiếp)' : '';
        issues.push({
          path: at('draw', d, 'count'),
          message: `cần rút ${draw.count} câu${who} nhưng chỉ có ${pool.length} câu phù hợp${why}`,
        });
      }
      for (const q of pool) pooled.add(q.id);
      wanted += draw.count;
    });
    if (round.draw.length > 1 && wanted > pooled.size)
      issues.push({
        path: at('draw'),
        message: `các lượt rút${group ? ` cho nhóm ${group}` : ''} cần tổng ${wanted} câu khác nhau nhưng chỉ có ${pooled.size} câu phù hợp`,
      });
  }
}

/**
 * Prize ids and scopes: tier ids unique per list (across prize sets too, so a claim's list and tier name its place);
 * `prizes.rounds` and each tier's `rounds` name real rounds, once each; with several rounds, a tier that awards
 * anything ranks named rounds (its own or `prizes.rounds`); a round belongs to one prize set only (one ranking per
 * round); a set's collective tiers agree on `by`, and only collective tiers say `by`.
 */
function checkPrizeScopes(contest: Contest): ContestIssue[] {
  const issues: ContestIssue[] = [];
  const roundIds = new Set(contest.rounds.map((r) => r.id));
  const titleOf = (id: string) => contest.rounds.find((r) => r.id === id)?.title ?? id;
  const checkRounds = (rounds: string[], path: (string | number)[]) =>
    rounds.forEach((id, i) => {
      if (!roundIds.has(id))
        issues.push({ path: [...path, i], message: `vòng "${id}" không có trong danh sách vòng thi` });
      else if (rounds.indexOf(id) !== i) issues.push({ path: [...path, i], message: `vòng "${id}" bị lặp` });
    });
  if (contest.prizes.rounds) checkRounds(contest.prizes.rounds, ['prizes', 'rounds']);
  let unscoped = false;
  const pathOf = new Map<PrizeTier, (string | number)[]>();
  for (const list of ['individual', 'perGroup', 'collective'] as const) {
    const seen = new Set<string>();
    contest.prizes[list].forEach((tier, i) => {
      pathOf.set(tier, ['prizes', list, i]);
      if (seen.has(tier.id)) issues.push({ path: ['prizes', list, i, 'id'], message: `mã giải "${tier.id}" bị trùng` });
      seen.add(tier.id);
      if (tier.rounds) checkRounds(tier.rounds, ['prizes', list, i, 'rounds']);
      else if (tier.count > 0) unscoped = true;
      if (tier.by && list !== 'collective')
        issues.push({
          path: ['prizes', list, i, 'by'],
          message: 'chỉ giải tập thể (collective) mới ghi cách xếp hạng đơn vị (by)',
        });
    });
  }
  if (!contest.prizes.rounds && contest.rounds.length > 1 && unscoped)
    issues.push({
      path: ['prizes', 'rounds'],
      message: `cuộc thi có ${contest.rounds.length} vòng: ghi prizes.rounds, các vòng được xét giải (vd: [${contest.rounds.at(-1)!.id}]), hoặc ghi rounds cho từng giải; vòng khởi động, vòng thử không xét giải`,
    });
  if (issues.length) return issues;
  // One ranking per round: a round in two prize sets would rank its contestants twice for prizes.
  const sets = prizeSets(contest).filter((s) => s.rounds.length);
  const owner = new Map<string, string>();
  for (const set of sets)
    for (const id of set.rounds) {
      const other = owner.get(id);
      if (other !== undefined && other !== set.key) {
        const first = [...set.prizes.individual, ...set.prizes.perGroup, ...set.prizes.collective][0]!;
        issues.push({
          path: first.rounds ? [...pathOf.get(first)!, 'rounds'] : ['prizes', 'rounds'],
          message: `vòng "${titleOf(id)}" thuộc hai phần giải (${other.replaceAll(',', ', ')} và ${set.key.replaceAll(',', ', ')}): mỗi vòng chỉ được xét trong một phần giải; giải xếp chung nhiều vòng thì ghi cùng một danh sách rounds`,
        });
      } else owner.set(id, set.key);
    }
  for (const set of sets) {
    const kinds = new Set(set.prizes.collective.map((t) => t.by ?? 'average'));
    if (kinds.size > 1)
      issues.push({
        path: ['prizes', 'collective'],
        message: `các giải tập thể của vòng ${set.rounds.map(titleOf).join(', ')} phải xếp hạng đơn vị cùng một cách (by: average hoặc participants)`,
      });
    // A unit round's collective prizes follow its own team ranking (average or best n): `participants` would
    // silently rank the units another way than the board and the podium the hall saw.
    const teamRound =
      set.rounds.length === 1 ? contest.rounds.find((r) => r.id === set.rounds[0] && r.teams) : undefined;
    const byParticipants = set.prizes.collective.find((t) => t.by === 'participants');
    if (teamRound && byParticipants)
      issues.push({
        path: [...pathOf.get(byParticipants)!, 'by'],
        message: `vòng "${teamRound.title}" thi theo đơn vị: giải tập thể xếp theo điểm đơn vị của vòng (teams.score), không ghi by: participants`,
      });
  }
  return issues;
}

export function checkContestReferences(contest: Contest): ContestIssue[] {
  const issues: ContestIssue[] = [];
  const duplicates = (items: { id: string }[], where: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const first = seen.get(item.id);
      if (first === undefined) seen.set(item.id, i);
      else issues.push({ path: [where, i, 'id'], message: `mã "${item.id}" bị trùng với ${where}[${first}]` });
    });
  };
  duplicates(contest.questions, 'questions');
  duplicates(contest.units, 'units');
  duplicates(contest.rounds, 'rounds');
  issues.push(...checkPrizeScopes(contest));
  if (contest.startsAt && contest.endsAt && contest.endsAt < contest.startsAt)
    issues.push({ path: ['endsAt'], message: 'ngày kết thúc phải sau ngày bắt đầu' });

  const byId = new Map(contest.questions.map((q) => [q.id, q]));
  const predictions = new Set<string>();
  contest.rounds.forEach((round, r) => {
    const fixed = new Set<string>();
    round.questions.forEach((id, i) => {
      if (!byId.has(id))
        issues.push({
          path: ['rounds', r, 'questions', i],
          message: `câu hỏi "${id}" không có trong ngân hàng câu hỏi`,
        });
      else if (fixed.has(id))
        issues.push({ path: ['rounds', r, 'questions', i], message: `câu hỏi "${id}" lặp lại trong vòng` });
      else if (id === round.prediction)
        issues.push({
          path: ['rounds', r, 'questions', i],
          message: `câu dự đoán "${id}" được hỏi tự động ở cuối vòng, không xếp vào danh sách câu hỏi`,
        });
      fixed.add(id);
    });
    if (round.prediction) {
      const q = byId.get(round.prediction);
      if (!q)
        issues.push({
          path: ['rounds', r, 'prediction'],
          message: `câu dự đoán "${round.prediction}" không có trong ngân hàng câu hỏi`,
        });
      else if (q.type !== 'numeric')
        issues.push({
          path: ['rounds', r, 'prediction'],
          message: `câu dự đoán "${q.id}" phải là câu hỏi dạng số (numeric), không phải ${q.type}`,
        });
      predictions.add(round.prediction);
    }
    // Each draw must find enough questions outside the fixed ones, and all draws together must too.
    const pooled = new Set<string>();
    let wanted = 0;
    // An online round's draws are checked with its own exclusions, per group where it draws by group.
    const draws = round.mode === 'self-paced' && round.online ? [] : round.draw;
    draws.forEach((draw, d) => {
      const pool = drawPool(contest, round, draw, fixed);
      if (pool.length < draw.count)
        issues.push({
          path: ['rounds', r, 'draw', d, 'count'],
          message: `cần rút ${draw.count} câu nhưng chỉ có ${pool.length} câu phù hợp`,
        });
      for (const q of pool) pooled.add(q.id);
      wanted += draw.count;
    });
    if (draws.length > 1 && wanted > pooled.size)
      issues.push({
        path: ['rounds', r, 'draw'],
        message: `các lượt rút cần tổng ${wanted} câu khác nhau nhưng chỉ có ${pooled.size} câu phù hợp`,
      });
    checkOnlineRound(contest, round, r, fixed, issues);
    checkTeamsRound(contest, round, r, issues);
    if (round.questions.length === 0 && round.draw.length === 0)
      issues.push({
        path: ['rounds', r, 'questions'],
        message: 'vòng thi chưa có câu hỏi nào (danh sách cố định hoặc rút ngẫu nhiên)',
      });
    for (const id of round.questions) {
      const q = byId.get(id);
      if (q?.type === 'numeric' && q.answerKnownAfterRound)
        issues.push({
          path: ['rounds', r, 'questions', round.questions.indexOf(id)],
          message: `câu "${id}" chỉ có đáp án sau vòng thi, chỉ dùng làm câu dự đoán (prediction)`,
        });
    }
  });
  contest.questions.forEach((q, i) => {
    if (q.type !== 'numeric' || !q.answerKnownAfterRound) return;
    if (q.points !== 0)
      issues.push({
        path: ['questions', i, 'points'],
        message: `câu dự đoán "${q.id}" chỉ dùng để phân định bằng điểm, đặt points: 0`,
      });
    if (!predictions.has(q.id))
      issues.push({
        path: ['questions', i, 'answerKnownAfterRound'],
        message: `câu "${q.id}" có đáp án sau vòng thi nhưng không vòng nào dùng nó làm câu dự đoán`,
      });
  });
  checkPracticeAndBadges(contest, issues);
  return issues;
}

/** Practice questions have a right answer and ids of their own; `fromRounds` and badge rules name real rounds. */
function checkPracticeAndBadges(contest: Contest, issues: ContestIssue[]) {
  const roundIds = new Set(contest.rounds.map((r) => r.id));
  const bankIds = new Set(contest.questions.map((q) => q.id));
  const practice = contest.practice;
  if (practice) {
    const seen = new Set<string>();
    practice.questions.forEach((q, i) => {
      const at = ['practice', 'questions', i];
      if (bankIds.has(q.id))
        issues.push({ path: [...at, 'id'], message: `mã "${q.id}" đã dùng trong ngân hàng câu hỏi của các vòng` });
      else if (seen.has(q.id)) issues.push({ path: [...at, 'id'], message: `mã "${q.id}" bị trùng` });
      seen.add(q.id);
      if (q.type === 'poll' || (q.type === 'numeric' && q.answerKnownAfterRound))
        issues.push({
          path: [...at, 'type'],
          message: `câu luyện tập "${q.id}" phải có đáp án đúng (không dùng khảo sát, dự đoán)`,
        });
    });
    practice.fromRounds.forEach((id, i) => {
      if (!roundIds.has(id))
        issues.push({ path: ['practice', 'fromRounds', i], message: `vòng "${id}" không có trong danh sách vòng thi` });
    });
    if (!practice.questions.length && !practice.fromRounds.length)
      issues.push({
        path: ['practice'],
        message: 'phần luyện tập cần câu hỏi riêng (practice.questions) hoặc vòng đã thi (practice.fromRounds)',
      });
  }
  const seen = new Set<string>();
  contest.badges.forEach((badge, i) => {
    if (seen.has(badge.id)) issues.push({ path: ['badges', i, 'id'], message: `mã huy hiệu "${badge.id}" bị trùng` });
    seen.add(badge.id);
    const rule = badge.rule;
    if (rule.kind === 'all-rounds')
      rule.rounds?.forEach((id, j) => {
        if (!roundIds.has(id))
          issues.push({
            path: ['badges', i, 'rule', 'rounds', j],
            message: `vòng "${id}" không có trong danh sách vòng thi`,
          });
      });
    if (rule.kind === 'practice-sessions' && !practice)
      issues.push({
        path: ['badges', i, 'rule'],
        message: 'huy hiệu theo số lần luyện tập cần phần luyện tập (practice) trong tệp cuộc thi',
      });
    if (rule.kind === 'area-accuracy' && !contest.questions.some((q) => q.area === rule.area))
      issues.push({ path: ['badges', i, 'rule', 'area'], message: `không có câu hỏi nào thuộc lĩnh vực ${rule.area}` });
  });
}

/** The contest schema with every cross-check applied: what loaders and importers should parse with. */
export const CheckedContest = Contest.superRefine((contest, ctx) => {
  for (const issue of checkContestReferences(contest))
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});
