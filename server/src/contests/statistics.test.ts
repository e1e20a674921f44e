import { describe, expect, it } from 'vitest';
import {
  contestStatistics,
  disjointAttempts,
  formatStatistics,
  longestOptionIsKey,
  sourceDomain,
  statisticsWarnings,
  weakSource,
} from './statistics';
import { checkContestData } from './validate';

const FILE = 'contests/thu/contest.yaml';
const OFFICIAL = { title: 'Nguồn', url: 'https://chinhphu.vn/bai-viet' };

type Raw = Record<string, unknown>;
const q = (id: string, more: Raw): Raw => ({
  id,
  type: 'single',
  text: `Câu ${id}?`,
  options: ['A', 'B', 'C', 'D'],
  correct: 0,
  explanation: 'Vì.',
  source: OFFICIAL,
  area: 'safety',
  ...more,
});

/**
 * A contest with a live final asking `ck-1`, `ck-2` and an online round drawing 2 safety + 1 AI question per
 * attempt by group. Safety: s-1..s-4 for everyone, s-5 and s-6 for pupils only; AI: a-1, a-2 for everyone.
 */
function contest(online: Raw = {}, extra: { questions?: Raw[]; rounds?: Raw[] } = {}) {
  const raw = {
    title: 'Thử',
    organiser: 'Ban tổ chức',
    privacyNotice: 'Chỉ lưu biệt danh.',
    rounds: [
      { id: 'chung-ket', title: 'Chung kết', questions: ['ck-1', 'ck-2'] },
      {
        id: 'so-khao',
        title: 'Sơ khảo',
        mode: 'self-paced',
        scoring: 'accuracy',
        online: {
          opensAt: '2026-09-07T08:00+07:00',
          closesAt: '2026-09-27T23:59+07:00',
          timeLimitMin: 10,
          attempts: 2,
          drawByGroup: true,
          ...online,
        },
        draw: [
          { count: 2, area: 'safety' },
          { count: 1, area: 'ai' },
        ],
      },
      ...(extra.rounds ?? []),
    ],
    questions: [
      q('ck-1', { correct: 1 }),
      q('ck-2', { type: 'true-false', correct: true, options: undefined }),
      ...[1, 2, 3, 4].map((i) => q(`s-${i}`, { correct: i % 4, shuffle: i > 2 })),
      q('s-5', { groups: ['hoc-sinh'], type: 'multiple', correct: [0, 2], shuffle: false }),
      q('s-6', { groups: ['hoc-sinh'], type: 'true-false', correct: false, options: undefined }),
      q('a-1', { area: 'ai', type: 'true-false', correct: true, options: undefined }),
      q('a-2', { area: 'ai', source: { title: 'Báo giải trí', url: 'https://kenh14.vn/bai.chn' } }),
      { id: 'khao-sat', type: 'poll', text: 'Bạn thích gì?', options: ['X', 'Y'], area: 'ai' },
      ...(extra.questions ?? []),
    ],
  };
  const checked = checkContestData(raw, FILE, 'thu');
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return checked.contest;
}

describe(disjointAttempts.name, () => {
  it('is the tightest quota when draws have their own pools', () => {
    expect(
      disjointAttempts([
        { count: 3, pool: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] },
        { count: 1, pool: ['x', 'y', 'z'] },
      ]),
    ).toBe(2);
  });
  it('finds the best assignment when pools overlap, where taking questions in order would fall short', () => {
    // Draw 1 (any question) would take a and b first, leaving draw 2 (a or b only) nothing: still 2 attempts fit.
    expect(
      disjointAttempts([
        { count: 1, pool: ['a', 'b', 'c', 'd'] },
        { count: 1, pool: ['a', 'b'] },
      ]),
    ).toBe(2);
    expect(
      disjointAttempts([
        { count: 1, pool: ['a', 'b'] },
        { count: 1, pool: ['a', 'b'] },
      ]),
    ).toBe(1);
  });
  it('is 0 when one draw cannot be met even once, or nothing is drawn', () => {
    expect(disjointAttempts([{ count: 2, pool: ['a'] }])).toBe(0);
    expect(disjointAttempts([])).toBe(0);
  });
});

describe(weakSource.name, () => {
  it.each([
    [{ title: 'Thể lệ' }, /không có liên kết/],
    [{ title: 'Bản sao', url: 'http://118.69.201.250:801/phap-luat/bai.html' }, /địa chỉ IP/],
    [{ title: 'Thẻ', url: 'https://phapluatvacuocsong.vn/cong-an/tag-14656.html' }, /trang danh sách/],
    [{ title: 'Chủ đề', url: 'https://example.vn/chu-de/lua-dao' }, /trang danh sách/],
    [{ title: 'Thẻ', url: 'https://phapluatvacuocsong.vn/tag/nghi-dinh-1472024nd-cp.html' }, /trang danh sách/],
    [{ title: 'Giải trí', url: 'https://kenh14.vn/bai.chn' }, /giải trí/],
    [{ title: 'Giải trí', url: 'https://m.vi.wikipedia.org/wiki/AI' }, /bách khoa/],
  ])('%o is weak', (source, why) => {
    expect(weakSource(source)).toMatch(why);
  });
  it.each([
    'https://chinhphu.vn/bai-viet',
    'https://thuvienphapluat.vn/van-ban/abc.aspx',
    'https://vnexpress.net/bai-viet-123.html',
    // Words inside an article's path are not listing pages.
    'https://amp.cand.com.vn/su-kien-binh-luan-thoi-su/huong-dan-dang-ky-khai-sinh-i734441',
    'https://developers.google.com/search/docs/monitor-debug/search-operators/all-search-site',
  ])('%s is not weak', (url) => expect(weakSource({ title: 'Nguồn', url })).toBeUndefined());
  it('names a domain without www, m or amp', () => {
    expect(sourceDomain('https://amp.laodong.vn/x')).toBe('laodong.vn');
    expect(sourceDomain('https://www.chinhphu.vn/x')).toBe('chinhphu.vn');
  });
});

describe(contestStatistics.name, () => {
  it('counts scored questions per area and group, polls apart', () => {
    const stats = contestStatistics(contest());
    expect(stats.scored).toBe(10);
    expect(stats.polls).toBe(1);
    expect(stats.areaByGroup.safety).toEqual({ 'can-bo': 6, 'hoc-sinh': 8, 'nguoi-lao-dong': 6, 'nguoi-dan': 6 });
    expect(stats.areaByGroup.ai['hoc-sinh']).toBe(2);
    expect(stats.byGroup).toEqual({ 'can-bo': 8, 'hoc-sinh': 10, 'nguoi-lao-dong': 8, 'nguoi-dan': 8 });
  });

  it('counts key positions only of questions keeping their order, true/false and multiple key sizes apart', () => {
    const [final, online] = contestStatistics(contest()).rounds;
    // ck-1 is shuffled (the default): its key is not counted at B.
    expect(final!.keys).toEqual({
      fixedOrder: [],
      shuffled: 1,
      multipleKeySizes: {},
      trueFalse: { true: 1, false: 0 },
      singles: 1,
      longestKey: 0,
    });
    // Online, every group together: s-1 (key B) and s-2 (key C) and s-5 (keys A, C) keep their order.
    expect(online!.keys.fixedOrder).toEqual([1, 1, 2]);
    expect(online!.keys.shuffled).toBe(3);
    expect(online!.keys.multipleKeySizes).toEqual({ 2: 1 });
    expect(online!.keys.trueFalse).toEqual({ true: 1, false: 1 });
  });

  it('gives each group its pool and how many attempts it can draw without a repeat', () => {
    const online = contestStatistics(contest()).rounds[1]!;
    expect(online.draws).toEqual(['2×safety', '1×ai']);
    expect(online.pools).toEqual([
      { group: 'can-bo', perDraw: [4, 2], pool: 6, disjointAttempts: 2 },
      { group: 'hoc-sinh', perDraw: [6, 2], pool: 8, disjointAttempts: 2 },
      { group: 'nguoi-lao-dong', perDraw: [4, 2], pool: 6, disjointAttempts: 2 },
      { group: 'nguoi-dan', perDraw: [4, 2], pool: 6, disjointAttempts: 2 },
    ]);
    const shared = contestStatistics(contest({ drawByGroup: false })).rounds[1]!;
    expect(shared.pools).toEqual([{ group: undefined, perDraw: [6, 2], pool: 8, disjointAttempts: 2 }]);
  });

  it('counts the live questions an online round can ask: none when excluded, the final’s when not', () => {
    expect(contestStatistics(contest()).rounds[1]!.liveOverlap).toBe(0);
    const open = contestStatistics(contest({ excludeLiveQuestions: false })).rounds[1]!;
    expect(open.liveOverlap).toBe(2);
    expect(open.pools![0]!.perDraw).toEqual([6, 2]);
  });

  it('counts online questions a live round may draw at random', () => {
    const stats = contestStatistics(
      contest({}, { rounds: [{ id: 'phu', title: 'Câu phụ', draw: [{ count: 1, area: 'ai' }] }] }),
    );
    expect(stats.rounds[1]!.liveDrawOverlap).toBe(2);
    expect(contestStatistics(contest()).rounds[1]!.liveDrawOverlap).toBe(0);
  });

  it('groups sources by domain and marks official and weak ones', () => {
    const { sources } = contestStatistics(contest());
    expect(sources).toEqual([
      { domain: 'chinhphu.vn', questions: 9, kind: 'official' },
      { domain: 'kenh14.vn', questions: 1, kind: 'weak', why: expect.stringMatching(/giải trí/) },
    ]);
  });
});

describe(longestOptionIsKey.name, () => {
  const single = (options: string[], correct: number) =>
    contest({}, { questions: [q('x', { options, correct })] }).questions.find((x) => x.id === 'x')!;
  it('is true only when the key is more than 1.15 times as long as every distractor', () => {
    expect(longestOptionIsKey(single(['Gọi lại số mình đã lưu để hỏi', 'Chuyển', 'Chờ', 'Bỏ qua'], 0))).toBe(true);
    // 14 characters against 13: 1.08 times, under the ratio.
    expect(longestOptionIsKey(single(['Gọi lại để hỏi', 'Chuyển khoản', 'Chờ tin nhắn.', 'Bỏ qua'], 0))).toBe(false);
    expect(longestOptionIsKey(single(['Chuyển', 'Gọi lại số mình đã lưu để hỏi', 'Chờ', 'Bỏ qua'], 0))).toBe(false);
  });
  it('counts characters, not bytes (Vietnamese letters are several bytes in UTF-8)', () => {
    // 6 letters each: "đường" is longer than "duong" in bytes only.
    expect(longestOptionIsKey(single(['đường ', 'duong ', 'abcdef'], 0))).toBe(false);
  });
  it('leaves true/false and two-option questions alone', () => {
    const c = contest({}, { questions: [q('two', { options: ['Có, gọi lại số đã lưu để hỏi', 'Không'] })] });
    expect(longestOptionIsKey(c.questions.find((x) => x.id === 'two')!)).toBe(false);
    expect(longestOptionIsKey(c.questions.find((x) => x.id === 'a-1')!)).toBe(false);
  });
});

describe(statisticsWarnings.name, () => {
  it('warns of a weak source at its question, and of nothing else in a sound contest', () => {
    expect(statisticsWarnings(contest(), FILE)).toEqual([
      { file: FILE, questionId: 'a-2', field: 'questions[9].source.url', message: expect.stringMatching(/nguồn yếu/) },
    ]);
  });

  it('warns when a group cannot draw as many attempts as it may take without repeats', () => {
    const messages = statisticsWarnings(contest({ attempts: 3 }), FILE).map((w) => w.message);
    expect(messages.filter((m) => /lượt không trùng câu/.test(m))).toEqual([
      expect.stringMatching(/nhóm can-bo: chỉ rút được 2 lượt .* ít hơn 3 lượt/),
      expect.stringMatching(/nhóm hoc-sinh/),
      expect.stringMatching(/nhóm nguoi-lao-dong/),
      expect.stringMatching(/nhóm nguoi-dan/),
    ]);
  });

  it('warns when an online round can ask a live round’s questions', () => {
    const warnings = statisticsWarnings(contest({ excludeLiveQuestions: false }), FILE);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        field: 'rounds[1].online.excludeLiveQuestions',
        message: expect.stringMatching(/2 câu/),
      }),
    );
  });

  it('warns of a lopsided true/false key from 8 questions on', () => {
    const tf = (n: number, correct: boolean) =>
      Array.from({ length: n }, (_, i) =>
        q(`tf-${correct}-${i}`, { area: 'ai', type: 'true-false', correct, options: undefined }),
      );
    const lopsided = contest({}, { questions: tf(5, true) });
    // a-1 and the 5 added are true, s-6 false: 7 true/false questions are under the minimum of 8 …
    expect(statisticsWarnings(lopsided, FILE).some((w) => /đúng\/sai/.test(w.message))).toBe(false);
    // … 9 true of 10 (s-6 is false) warns; 6 true of 10 does not.
    const more = contest({}, { questions: tf(8, true) });
    expect(statisticsWarnings(more, FILE)).toContainEqual(
      expect.objectContaining({ field: 'rounds[1]', message: expect.stringMatching(/9 câu .* Đúng, 1 câu Sai/) }),
    );
    const even = contest({}, { questions: [...tf(5, true), ...tf(3, false)] });
    expect(statisticsWarnings(even, FILE).some((w) => /đúng\/sai/.test(w.message))).toBe(false);
  });

  it('warns when over a quarter of the single-choice questions a round asks give their key away by length', () => {
    const giveaway = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        q(`long-${i}`, { area: 'ai', options: ['Gọi lại số mình đã lưu để hỏi cho chắc', 'Chuyển', 'Chờ', 'Bỏ'] }),
      );
    const plain = (n: number) => Array.from({ length: n }, (_, i) => q(`plain-${i}`, { area: 'ai' }));
    // The online round asks s-1..s-4 and a-2 (4-option singles of equal length) plus the added ones: 3 of 8.
    expect(statisticsWarnings(contest({}, { questions: giveaway(3) }), FILE)).toContainEqual(
      expect.objectContaining({ field: 'rounds[1]', message: expect.stringMatching(/ở 3\/8 câu một lựa chọn/) }),
    );
    // 3 of 12 is exactly a quarter: no warning.
    const quarter = statisticsWarnings(contest({}, { questions: [...giveaway(3), ...plain(4)] }), FILE);
    expect(quarter.some((w) => /câu một lựa chọn/.test(w.message))).toBe(false);
  });
});

describe(formatStatistics.name, () => {
  it('prints the area × group table, each round’s keys and pools, and the sources', () => {
    const text = formatStatistics(contestStatistics(contest())).join('\n');
    expect(text).toMatch(/10 câu tính điểm, 1 câu khảo sát/);
    expect(text).toMatch(/^ {2}safety +6 +8 +6 +6$/m);
    expect(text).toMatch(/Vòng "so-khao" \(trực tuyến\): 0 câu cố định, rút thêm 3/);
    expect(text).toMatch(/đúng\/sai: Đúng 1 · Sai 1; nhiều lựa chọn: 1 câu 2 đáp án đúng/);
    expect(text).toMatch(/một lựa chọn: 5 câu, trong đó 0 câu có đáp án đúng dài hơn hẳn/);
    expect(text).toMatch(/^ {4}2×safety +4 +6 +4 +4$/m);
    expect(text).toMatch(/^ {4}lượt thi không trùng câu +2 +2 +2 +2$/m);
    expect(text).toMatch(/trùng với vòng trực tiếp: 0 câu/);
    expect(text).toMatch(/kenh14\.vn +1 +YẾU/);
  });
});
