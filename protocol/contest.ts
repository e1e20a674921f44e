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
  source: z.object({ title: z.string().trim().min(1).max(300), url: z.url({ protocol: /^https?$/, error: 'liên kết nguồn phải bắt đầu bằng http:// hoặc https://' }).max(2000).optional() }),
  area: CompetenceArea,
  topics: z.array(Topic).default([]),
  groups: z.array(TargetGroup).min(1).default([...TARGET_GROUPS]),
  difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
  image: z.object({ src: z.string().min(1).max(200), alt: z.string().trim().min(1).max(300) }).optional(),
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
      ctx.addIssue({ code: 'custom', path: ['correct'], message: `đáp án ${q.correct} nằm ngoài ${q.options.length} lựa chọn` });
    if (q.type === 'multiple') {
      for (const c of q.correct)
        if (c >= q.options.length)
          ctx.addIssue({ code: 'custom', path: ['correct'], message: `đáp án ${c} nằm ngoài ${q.options.length} lựa chọn` });
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
export const QUESTION_TYPES = ['single', 'multiple', 'true-false', 'numeric', 'poll'] as const satisfies readonly QuestionType[];

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
});
export type Round = z.infer<typeof Round>;

export const TIE_BREAKS = ['score', 'correct', 'time', 'prediction', 'submitted'] as const;
export const TieBreak = z.enum(TIE_BREAKS);

export const PrizeTier = z.object({
  id: Slug,
  label: z.string().trim().min(1).max(100),
  count: z.number().int().min(0).max(1000),
});

export const Contest = z.object({
  id: Slug,
  title: z.string().trim().min(1).max(300),
  organiser: z.string().trim().min(1).max(300),
  startsAt: z.iso.date().optional(),
  endsAt: z.iso.date().optional(),
  description: z.string().trim().max(5000).default(''),
  privacyNotice: z.string().trim().min(1).max(10000),
  /** Show contestants' names masked on public boards (projector, leaderboards). */
  maskNames: z.boolean().default(false),
  /**
   * Days after a game ends before its contestants' personal data (nicknames, winners' names, phones and
   * ID numbers) is purged; scores stay, anonymised, for statistics.
   */
  personalDataRetentionDays: z.number().int().min(1).max(3650).default(90),
  units: z.array(Unit).default([]),
  rounds: z.array(Round).min(1),
  ranking: z.object({ tieBreak: z.array(TieBreak).min(1).default(['score', 'time', 'prediction', 'submitted']) }).default({
    tieBreak: ['score', 'time', 'prediction', 'submitted'],
  }),
  prizes: z
    .object({
      individual: z.array(PrizeTier).default([]),
      perGroup: z.array(PrizeTier).default([]),
      collective: z.array(PrizeTier).default([]),
    })
    .default({ individual: [], perGroup: [], collective: [] }),
  questions: z.array(Question).min(1),
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
export function drawPool(contest: Contest, round: Round, draw: z.infer<typeof QuestionDraw>, used: ReadonlySet<string>): Question[] {
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
  for (const scope of ['individual', 'perGroup', 'collective'] as const) {
    const seen = new Set<string>();
    contest.prizes[scope].forEach((tier, i) => {
      if (seen.has(tier.id)) issues.push({ path: ['prizes', scope, i, 'id'], message: `mã giải "${tier.id}" bị trùng` });
      seen.add(tier.id);
    });
  }
  if (contest.startsAt && contest.endsAt && contest.endsAt < contest.startsAt)
    issues.push({ path: ['endsAt'], message: 'ngày kết thúc phải sau ngày bắt đầu' });

  const byId = new Map(contest.questions.map((q) => [q.id, q]));
  const predictions = new Set<string>();
  contest.rounds.forEach((round, r) => {
    const fixed = new Set<string>();
    round.questions.forEach((id, i) => {
      if (!byId.has(id)) issues.push({ path: ['rounds', r, 'questions', i], message: `câu hỏi "${id}" không có trong ngân hàng câu hỏi` });
      else if (fixed.has(id)) issues.push({ path: ['rounds', r, 'questions', i], message: `câu hỏi "${id}" lặp lại trong vòng` });
      else if (id === round.prediction)
        issues.push({ path: ['rounds', r, 'questions', i], message: `câu dự đoán "${id}" được hỏi tự động ở cuối vòng, không xếp vào danh sách câu hỏi` });
      fixed.add(id);
    });
    if (round.prediction) {
      const q = byId.get(round.prediction);
      if (!q) issues.push({ path: ['rounds', r, 'prediction'], message: `câu dự đoán "${round.prediction}" không có trong ngân hàng câu hỏi` });
      else if (q.type !== 'numeric') issues.push({ path: ['rounds', r, 'prediction'], message: `câu dự đoán "${q.id}" phải là câu hỏi dạng số (numeric), không phải ${q.type}` });
      predictions.add(round.prediction);
    }
    // Each draw must find enough questions outside the fixed ones, and all draws together must too.
    const pooled = new Set<string>();
    let wanted = 0;
    round.draw.forEach((draw, d) => {
      const pool = drawPool(contest, round, draw, fixed);
      if (pool.length < draw.count)
        issues.push({ path: ['rounds', r, 'draw', d, 'count'], message: `cần rút ${draw.count} câu nhưng chỉ có ${pool.length} câu phù hợp` });
      for (const q of pool) pooled.add(q.id);
      wanted += draw.count;
    });
    if (round.draw.length > 1 && wanted > pooled.size)
      issues.push({ path: ['rounds', r, 'draw'], message: `các lượt rút cần tổng ${wanted} câu khác nhau nhưng chỉ có ${pooled.size} câu phù hợp` });
    if (round.questions.length === 0 && round.draw.length === 0)
      issues.push({ path: ['rounds', r, 'questions'], message: 'vòng thi chưa có câu hỏi nào (danh sách cố định hoặc rút ngẫu nhiên)' });
    for (const id of round.questions) {
      const q = byId.get(id);
      if (q?.type === 'numeric' && q.answerKnownAfterRound)
        issues.push({ path: ['rounds', r, 'questions', round.questions.indexOf(id)], message: `câu "${id}" chỉ có đáp án sau vòng thi, chỉ dùng làm câu dự đoán (prediction)` });
    }
  });
  contest.questions.forEach((q, i) => {
    if (q.type !== 'numeric' || !q.answerKnownAfterRound) return;
    if (q.points !== 0) issues.push({ path: ['questions', i, 'points'], message: `câu dự đoán "${q.id}" chỉ dùng để phân định bằng điểm, đặt points: 0` });
    if (!predictions.has(q.id)) issues.push({ path: ['questions', i, 'answerKnownAfterRound'], message: `câu "${q.id}" có đáp án sau vòng thi nhưng không vòng nào dùng nó làm câu dự đoán` });
  });
  return issues;
}

/** The contest schema with every cross-check applied: what loaders and importers should parse with. */
export const CheckedContest = Contest.superRefine((contest, ctx) => {
  for (const issue of checkContestReferences(contest)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});
