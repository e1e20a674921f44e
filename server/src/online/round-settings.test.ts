import { describe, expect, it } from 'vitest';
import { checkContestReferences, Contest } from '../../../protocol/contest';

const q = (id: string, groups = ['nguoi-dan']) => ({
  id,
  type: 'single',
  text: id,
  options: ['A', 'B'],
  correct: 0,
  explanation: 'e',
  source: { title: 's' },
  area: 'safety',
  groups,
});
const online = { opensAt: '2025-09-22T00:00+07:00', closesAt: '2025-10-09T23:59+07:00', timeLimitMin: 20 };
const contest = (round: Record<string, unknown>) =>
  Contest.parse({
    id: 'c',
    title: 'C',
    organiser: 'O',
    privacyNotice: 'p',
    rounds: [
      { id: 'live', title: 'L', questions: ['l1'] },
      { id: 'on', title: 'O', mode: 'self-paced', scoring: 'accuracy', ...round },
    ],
    questions: [q('l1'), q('a'), q('b', ['hoc-sinh'])],
  });
const messages = (round: Record<string, unknown>) =>
  checkContestReferences(contest(round)).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('online round settings (checkContestReferences)', () => {
  it.each<[string, Record<string, unknown>, RegExp | null]>([
    ['valid', { questions: ['a'], online }, null],
    ['missing settings', { questions: ['a'] }, /rounds\.1\.online: .*cần mục online/],
    [
      'window backwards',
      { questions: ['a'], online: { ...online, closesAt: '2025-09-01T00:00+07:00' } },
      /online\.closesAt: .*phải sau/,
    ],
    ['speed scoring', { questions: ['a'], scoring: 'speed', online }, /scoring: .*accuracy/],
    [
      'useless period limit',
      { questions: ['a'], online: { ...online, attempts: 1, perPeriod: { attempts: 1, days: 7 } } },
      /perPeriod\.attempts: .*không có tác dụng/,
    ],
    ['a live question in the list', { questions: ['l1'], online }, /questions\.0: .*vòng trực tiếp/],
    ['a live question allowed', { questions: ['l1'], online: { ...online, excludeLiveQuestions: false } }, null],
    [
      'draw short without live questions',
      { draw: [{ count: 3 }], online },
      /draw\.0\.count: cần rút 3 câu nhưng chỉ có 2/,
    ],
    [
      'entry: invited on an online round',
      { questions: ['a'], online, entry: 'invited' },
      /entry: entry: invited chỉ dùng cho vòng trực tiếp/,
    ],
    [
      'draw by group short for a group',
      { draw: [{ count: 1 }], online: { ...online, drawByGroup: true } },
      /cho nhóm can-bo/,
    ],
  ])('%s', (_name, round, want) => {
    const found = messages(round);
    if (want) expect(found.some((m) => want.test(m))).toBe(true);
    else expect(found).toEqual([]);
  });
  it('refuses settings on a live round', () => {
    const c = Contest.parse({
      id: 'c',
      title: 'C',
      organiser: 'O',
      privacyNotice: 'p',
      rounds: [{ id: 'live', title: 'L', questions: ['a'], online }],
      questions: [q('a')],
    });
    expect(checkContestReferences(c).map((i) => i.message)).toContain(
      'mục online chỉ dùng cho vòng thi trực tuyến (mode: self-paced)',
    );
  });
  it('an invited live round needs an online round with qualifiers', () => {
    const invited = (qualifiers?: object) =>
      checkContestReferences(
        Contest.parse({
          id: 'c',
          title: 'C',
          organiser: 'O',
          privacyNotice: 'p',
          questions: [q('l1'), q('a')],
          rounds: [
            {
              id: 'on',
              title: 'O',
              mode: 'self-paced',
              scoring: 'accuracy',
              questions: ['a'],
              online: { ...online, ...(qualifiers ? { qualifiers } : {}) },
            },
            { id: 'live', title: 'L', questions: ['l1'], entry: 'invited' },
          ],
        }),
      ).map((i) => i.message);
    expect(invited()).toContain(
      'entry: invited cần một vòng trực tuyến có online.qualifiers (người được mời lấy từ vòng đó)',
    );
    expect(invited({ overall: 10 })).toEqual([]);
  });
  it('refuses a date without its offset', () => {
    expect(() => contest({ questions: ['a'], online: { ...online, opensAt: '2025-09-22T00:00' } })).toThrow(/múi giờ/);
  });
});
