// Per-contest statistics for subject reviewers: what the bank covers, how fair its keys are, how far the online
// pools stretch, where the answers come from. Pure; `npm run contest -- validate` prints it after each contest.
import {
  COMPETENCE_AREAS,
  drawPool,
  liveQuestionIds,
  onlineDrawPool,
  TARGET_GROUPS,
  type CompetenceArea,
  type Contest,
  type Question,
  type Round,
  type TargetGroup,
} from '../../../protocol/contest';
import type { ContestProblem } from './validate';

/** A scored question: polls have no right answer and prediction questions none before the round ends. */
const scored = (q: Question) => q.type !== 'poll' && !(q.type === 'numeric' && q.answerKnownAfterRound);

export interface KeyStats {
  /** Correct options of single/multiple questions that keep their written order, per position (A = 0). */
  fixedOrder: number[];
  /** Single/multiple questions shown in a random order per game or attempt: their written key does not matter. */
  shuffled: number;
  /** Multiple-choice questions by how many options are correct (size → questions). */
  multipleKeySizes: Record<number, number>;
  trueFalse: { true: number; false: number };
  /** Single-choice questions with at least three options (the ones a length cue can give away). */
  singles: number;
  /** Of those, how many have a correct option clearly longer than every distractor (see LONGEST_KEY_RATIO). */
  longestKey: number;
}

export interface GroupPool {
  /** undefined: the round does not draw by group, one pool for everyone. */
  group: TargetGroup | undefined;
  /** Questions each draw may pick for this group. */
  perDraw: number[];
  /** Distinct questions all draws together may pick. */
  pool: number;
  /** Full attempts that can be drawn without any drawn question repeating (fixed questions repeat by design). */
  disjointAttempts: number;
}

export interface RoundStats {
  id: string;
  mode: Round['mode'];
  fixed: number;
  drawn: number;
  /** Each draw as written: `3 × safety`. */
  draws: string[];
  /** Over every question the round can ask: its fixed ones and everything its draws may pick. */
  keys: KeyStats;
  /** Online rounds: the pools per target group (or one pool). */
  pools?: GroupPool[];
  /** Online rounds: questions it can ask that a live round asks by id (0 expected with excludeLiveQuestions). */
  liveOverlap?: number;
  /** Online rounds: questions it can ask that a live round's random draw may also pick. */
  liveDrawOverlap?: number;
}

export interface SourceStats {
  domain: string;
  questions: number;
  kind: 'official' | 'press' | 'weak';
  /** Why a weak source is weak (its first question's reason). */
  why?: string;
}

export interface ContestStatistics {
  scored: number;
  polls: number;
  /** Scored questions tagged for each area and group (a question for all groups counts in every group). */
  areaByGroup: Record<CompetenceArea, Record<TargetGroup, number>>;
  /** Scored questions per target group. */
  byGroup: Record<TargetGroup, number>;
  rounds: RoundStats[];
  sources: SourceStats[];
}

/** Government and legal-text sites: what an answer should rest on where one exists. */
const OFFICIAL_HOSTS = [
  /\.gov\.vn$/,
  /^chinhphu\.vn$/,
  /^vbpl\.vn$/,
  /^thuvienphapluat\.vn$/,
  /^tinnhiemmang\.vn$/,
  /^khonggianmang\.vn$/,
  /^tongdai111\.vn$/,
];
/** Entertainment and aggregator sites, encyclopaedias and law-firm blogs: a fact there needs a better page. */
export const WEAK_SOURCE_HOSTS = [
  '24h.com.vn',
  'kenh14.vn',
  'soha.vn',
  'kienthuc.net.vn',
  'yan.vn',
  'ngoisao.vn',
  'eva.vn',
  'afamily.vn',
  '2sao.vn',
  'vietbao.vn',
  '1thegioi.vn',
  'wikipedia.org',
  'luatminhkhue.vn',
  'frasersvn.com',
];
/** Listing pages change every day: a tag, topic or search page is not the article the answer rests on. */
// A whole path segment (`/tag/…`, `/chu-de/…`) or a numbered tag page (`/tag-14656.html`); not words inside a slug.
const LISTING_PATH = /\/(tags?|chu-de|tu-khoa|tim-kiem|topics?|su-kien)(\/|\.html?$|$)|\/tag-\d+/i;

/** The host a reader sees, without `www.`, `m.` or `amp.`. */
export function sourceDomain(url: string): string {
  return new URL(url).hostname.toLowerCase().replace(/^(www|m|amp)\./, '');
}

/** Why a question's source is weak, or undefined when it is not. */
export function weakSource(source: Question['source']): string | undefined {
  if (!source.url) return 'không có liên kết để người xem tự kiểm tra';
  const url = new URL(source.url);
  const host = url.hostname.toLowerCase();
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[')) return 'địa chỉ IP (bản sao), không phải trang gốc';
  if (LISTING_PATH.test(url.pathname)) return 'trang danh sách (thẻ, chủ đề, tìm kiếm), không phải bài viết';
  const domain = sourceDomain(source.url);
  if (WEAK_SOURCE_HOSTS.some((h) => domain === h || domain.endsWith(`.${h}`)))
    return 'trang giải trí, tổng hợp hoặc bách khoa mở, không phải nguồn chính thức';
  return undefined;
}

/**
 * Largest k such that k attempts can be drawn with no question drawn twice: draw d needs k × count_d questions
 * of its pool, each question used once overall. A bipartite flow (draw slots → questions), k found by
 * bisection; pools are a few hundred questions, so the simple augmenting-path search is enough.
 */
export function disjointAttempts(draws: { count: number; pool: readonly string[] }[]): number {
  const perAttempt = draws.reduce((a, d) => a + d.count, 0);
  if (!perAttempt) return 0;
  const feasible = (k: number) => {
    const owner = new Map<string, number>();
    const slots: number[] = draws.flatMap((d, i) => Array<number>(d.count * k).fill(i));
    const assign = (slot: number, seen: Set<string>): boolean => {
      for (const q of draws[slots[slot]!]!.pool) {
        if (seen.has(q)) continue;
        seen.add(q);
        const other = owner.get(q);
        if (other === undefined || assign(other, seen)) {
          owner.set(q, slot);
          return true;
        }
      }
      return false;
    };
    return slots.every((_, s) => assign(s, new Set()));
  };
  const distinct = new Set(draws.flatMap((d) => d.pool)).size;
  let lo = 0;
  let hi = Math.floor(distinct / perAttempt);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (feasible(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A correct option this many times longer than the longest distractor is a giveaway. */
export const LONGEST_KEY_RATIO = 1.15;

/** True when a single-choice question's correct option is clearly the longest one (characters, not bytes). */
export function longestOptionIsKey(q: Question): boolean {
  if (q.type !== 'single' || q.options.length < 3) return false;
  const lengths = q.options.map((o) => [...o].length);
  const others = lengths.filter((_, i) => i !== q.correct);
  return lengths[q.correct]! > LONGEST_KEY_RATIO * Math.max(...others);
}

function keyStats(questions: Question[]): KeyStats {
  const stats: KeyStats = {
    fixedOrder: [],
    shuffled: 0,
    multipleKeySizes: {},
    trueFalse: { true: 0, false: 0 },
    singles: 0,
    longestKey: 0,
  };
  for (const q of questions) {
    if (q.type === 'true-false') stats.trueFalse[q.correct ? 'true' : 'false']++;
    if (q.type === 'single' && q.options.length >= 3) {
      stats.singles++;
      if (longestOptionIsKey(q)) stats.longestKey++;
    }
    if (q.type !== 'single' && q.type !== 'multiple') continue;
    if (q.type === 'multiple')
      stats.multipleKeySizes[q.correct.length] = (stats.multipleKeySizes[q.correct.length] ?? 0) + 1;
    if (q.shuffle) {
      stats.shuffled++;
      continue;
    }
    for (const c of q.type === 'single' ? [q.correct] : q.correct) stats.fixedOrder[c] = (stats.fixedOrder[c] ?? 0) + 1;
  }
  stats.fixedOrder = Array.from({ length: stats.fixedOrder.length }, (_, i) => stats.fixedOrder[i] ?? 0);
  return stats;
}

function roundStats(contest: Contest, round: Round): RoundStats {
  const byId = new Map(contest.questions.map((q) => [q.id, q]));
  const fixedIds = new Set(round.questions);
  const fixed = round.questions.map((id) => byId.get(id)).filter((q): q is Question => !!q);
  const drawn = round.draw.reduce((a, d) => a + d.count, 0);
  const asked = new Map(fixed.map((q) => [q.id, q]));
  const draws = round.draw.map(
    (d) => `${d.count}×${[d.area, d.topic, d.group].filter(Boolean).join('/') || 'mọi câu'}`,
  );
  const base = { id: round.id, mode: round.mode, fixed: fixed.length, drawn, draws };
  if (round.mode !== 'self-paced' || !round.online) {
    for (const draw of round.draw) for (const q of drawPool(contest, round, draw, fixedIds)) asked.set(q.id, q);
    return { ...base, keys: keyStats([...asked.values()]) };
  }
  const live = round.online.excludeLiveQuestions ? liveQuestionIds(contest) : new Set<string>();
  const groups: (TargetGroup | undefined)[] = round.online.drawByGroup ? [...TARGET_GROUPS] : [undefined];
  const pools = groups.map((group): GroupPool => {
    const perDraw = round.draw.map((draw) => onlineDrawPool(contest, round, draw, fixedIds, group, live));
    for (const q of perDraw.flat()) asked.set(q.id, q);
    return {
      group,
      perDraw: perDraw.map((p) => p.length),
      pool: new Set(perDraw.flat().map((q) => q.id)).size,
      disjointAttempts: disjointAttempts(
        round.draw.map((d, i) => ({ count: d.count, pool: perDraw[i]!.map((q) => q.id) })),
      ),
    };
  });
  const liveIds = liveQuestionIds(contest);
  const liveDrawn = new Set(
    contest.rounds
      .filter((r) => r.mode === 'live')
      .flatMap((r) => r.draw.flatMap((d) => drawPool(contest, r, d, new Set(r.questions)).map((q) => q.id))),
  );
  return {
    ...base,
    keys: keyStats([...asked.values()]),
    pools,
    liveOverlap: [...asked.keys()].filter((id) => liveIds.has(id)).length,
    liveDrawOverlap: [...asked.keys()].filter((id) => liveDrawn.has(id)).length,
  };
}

export function contestStatistics(contest: Contest): ContestStatistics {
  const questions = contest.questions.filter(scored);
  const areaByGroup = Object.fromEntries(
    COMPETENCE_AREAS.map((a) => [
      a,
      Object.fromEntries(
        TARGET_GROUPS.map((g) => [g, questions.filter((q) => q.area === a && q.groups.includes(g)).length]),
      ),
    ]),
  ) as ContestStatistics['areaByGroup'];
  const byGroup = Object.fromEntries(
    TARGET_GROUPS.map((g) => [g, questions.filter((q) => q.groups.includes(g)).length]),
  ) as ContestStatistics['byGroup'];
  const sources = new Map<string, SourceStats>();
  for (const q of questions) {
    const why = weakSource(q.source);
    const domain = q.source.url ? sourceDomain(q.source.url) : '(không có liên kết)';
    const kind = why ? 'weak' : OFFICIAL_HOSTS.some((h) => h.test(domain)) ? 'official' : 'press';
    const entry = sources.get(domain) ?? { domain, questions: 0, kind, why };
    entry.questions++;
    // A domain is weak as soon as one of its links is (e.g. a tag page on an otherwise good site).
    if (why && entry.kind !== 'weak') Object.assign(entry, { kind: 'weak', why });
    sources.set(domain, entry);
  }
  return {
    scored: questions.length,
    polls: contest.questions.filter((q) => q.type === 'poll').length,
    areaByGroup,
    byGroup,
    rounds: contest.rounds.map((r) => roundStats(contest, r)),
    sources: [...sources.values()].sort((a, b) => b.questions - a.questions || a.domain.localeCompare(b.domain)),
  };
}

/** Share of true (or false) answers among a round's true/false questions above which validate warns. */
export const TRUE_FALSE_MAX_SHARE = 0.65;
/** Below this many true/false questions an imbalance is chance. */
export const TRUE_FALSE_MIN_QUESTIONS = 8;
/** Share of a round's single-choice questions whose key is the longest option above which validate warns. */
export const LONGEST_KEY_MAX_SHARE = 0.25;

/**
 * Warnings drawn from the statistics (the contest still loads): an online round whose pool cannot give each
 * contestant its allowed attempts without repeats, online questions a live round also asks, a lopsided
 * true/false key, and weak sources (one warning per question, so the author finds it).
 */
export function statisticsWarnings(contest: Contest, file: string, stats = contestStatistics(contest)) {
  const warnings: ContestProblem[] = [];
  stats.rounds.forEach((rs, r) => {
    const round = contest.rounds[r]!;
    const field = `rounds[${r}]`;
    for (const p of rs.pools ?? [])
      if (round.online && p.disjointAttempts < round.online.attempts)
        warnings.push({
          file,
          field: `${field}.draw`,
          message: `vòng "${rs.id}"${p.group ? `, nhóm ${p.group}` : ''}: chỉ rút được ${p.disjointAttempts} lượt không trùng câu, ít hơn ${round.online.attempts} lượt mỗi thí sinh được thi`,
        });
    if (rs.liveOverlap)
      warnings.push({
        file,
        field: `${field}.online.excludeLiveQuestions`,
        message: `vòng "${rs.id}" có thể hỏi ${rs.liveOverlap} câu mà vòng trực tiếp cũng hỏi: thí sinh biết trước câu của vòng trực tiếp`,
      });
    if (rs.liveDrawOverlap)
      warnings.push({
        file,
        field,
        message: `${rs.liveDrawOverlap} câu của vòng "${rs.id}" có thể được vòng trực tiếp rút ngẫu nhiên lại: thu hẹp lượt rút của vòng trực tiếp (area/topic/group)`,
      });
    const { true: yes, false: no } = rs.keys.trueFalse;
    const tf = yes + no;
    if (tf >= TRUE_FALSE_MIN_QUESTIONS && Math.max(yes, no) / tf > TRUE_FALSE_MAX_SHARE)
      warnings.push({
        file,
        field,
        message: `vòng "${rs.id}": ${yes} câu đúng/sai có đáp án Đúng, ${no} câu Sai; nên gần 50/50 (quá ${TRUE_FALSE_MAX_SHARE * 100} % một phía thì đoán một phía cũng được điểm)`,
      });
    const { singles, longestKey } = rs.keys;
    if (singles >= TRUE_FALSE_MIN_QUESTIONS && longestKey / singles > LONGEST_KEY_MAX_SHARE)
      warnings.push({
        file,
        field,
        message: `vòng "${rs.id}": ở ${longestKey}/${singles} câu một lựa chọn, đáp án đúng dài hơn hẳn mọi phương án nhiễu (quá ${LONGEST_KEY_RATIO} lần); chọn phương án dài nhất cũng được điểm — viết phương án nhiễu cụ thể, dài tương đương`,
      });
  });
  contest.questions.forEach((q, i) => {
    const why = scored(q) ? weakSource(q.source) : undefined;
    if (why)
      warnings.push({ file, questionId: q.id, field: `questions[${i}].source.url`, message: `nguồn yếu: ${why}` });
  });
  return warnings;
}

const GROUP_SHORT: Record<TargetGroup, string> = {
  'can-bo': 'cán bộ',
  'hoc-sinh': 'học sinh',
  'nguoi-lao-dong': 'lao động',
  'nguoi-dan': 'người dân',
};
const letters = (counts: number[]) =>
  counts.length ? counts.map((n, i) => `${String.fromCharCode(65 + i)} ${n}`).join(' · ') : '–';
const table = (rows: string[][]) => {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  // Numbers right-aligned, words left-aligned; no trailing spaces.
  return rows.map((r) =>
    r
      .map((cell, c) => (/^\d+$/.test(cell) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
};

/** The statistics as plain-text lines (Vietnamese, ids as written in contest.yaml), for a terminal. */
export function formatStatistics(stats: ContestStatistics): string[] {
  const out: string[] = [`Thống kê: ${stats.scored} câu tính điểm, ${stats.polls} câu khảo sát`];
  out.push('', 'Câu hỏi theo lĩnh vực × nhóm đối tượng (một câu gắn nhiều nhóm được tính ở mỗi nhóm):');
  out.push(
    ...table([
      ['lĩnh vực', ...TARGET_GROUPS.map((g) => GROUP_SHORT[g])],
      ...COMPETENCE_AREAS.map((a) => [a, ...TARGET_GROUPS.map((g) => String(stats.areaByGroup[a][g]))]),
      ['tổng', ...TARGET_GROUPS.map((g) => String(stats.byGroup[g]))],
    ]).map((l) => `  ${l}`),
  );
  for (const r of stats.rounds) {
    out.push(
      '',
      `Vòng "${r.id}" (${r.mode === 'live' ? 'trực tiếp' : 'trực tuyến'}): ${r.fixed} câu cố định, rút thêm ${r.drawn}`,
    );
    const k = r.keys;
    out.push(
      `  đáp án giữ thứ tự (shuffle: false): ${letters(k.fixedOrder)}; đảo phương án mỗi lượt: ${k.shuffled} câu`,
    );
    const sizes = Object.entries(k.multipleKeySizes)
      .map(([n, c]) => `${c} câu ${n} đáp án đúng`)
      .join(', ');
    out.push(
      `  đúng/sai: Đúng ${k.trueFalse.true} · Sai ${k.trueFalse.false}${sizes ? `; nhiều lựa chọn: ${sizes}` : ''}`,
    );
    if (k.singles)
      out.push(
        `  một lựa chọn: ${k.singles} câu, trong đó ${k.longestKey} câu có đáp án đúng dài hơn hẳn (quá ${LONGEST_KEY_RATIO} lần) mọi phương án nhiễu`,
      );
    if (r.pools) {
      const pools = r.pools;
      out.push(
        `  kho câu rút${pools[0]?.group ? ' theo nhóm' : ''} (câu phù hợp mỗi lượt rút, không tính câu cố định):`,
      );
      out.push(
        ...table([
          ['lượt rút', ...pools.map((p) => (p.group ? GROUP_SHORT[p.group] : 'mọi người'))],
          ...r.draws.map((d, i) => [d, ...pools.map((p) => String(p.perDraw[i]))]),
          ['câu khác nhau', ...pools.map((p) => String(p.pool))],
          ['lượt thi không trùng câu', ...pools.map((p) => String(p.disjointAttempts))],
        ]).map((l) => `    ${l}`),
      );
      out.push(
        `  trùng với vòng trực tiếp: ${r.liveOverlap} câu hỏi cố định, ${r.liveDrawOverlap} câu vòng trực tiếp có thể rút`,
      );
    }
  }
  const kinds = { official: 'chính thức', press: 'báo chí, khác', weak: 'YẾU' } as const;
  out.push('', 'Nguồn theo tên miền (câu tính điểm):');
  out.push(
    ...table([
      ['tên miền', 'câu', 'loại'],
      ...stats.sources.map((s) => [s.domain, String(s.questions), kinds[s.kind] + (s.why ? ` — ${s.why}` : '')]),
    ]).map((l) => `  ${l}`),
  );
  return out;
}
