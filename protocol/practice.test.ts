import { describe, expect, it } from 'vitest';
import { CheckedContest } from './contest';

const q = (id: string, extra: object = {}) => ({
  id,
  type: 'true-false',
  text: 'Đúng không?',
  correct: true,
  explanation: 'Vì.',
  source: { title: 'Nguồn' },
  area: 'safety',
  ...extra,
});
const base = {
  id: 'c',
  title: 'C',
  organiser: 'O',
  privacyNotice: 'P',
  rounds: [{ id: 'r', title: 'R', questions: ['q1'] }],
  questions: [q('q1')],
};
const problems = (over: object) => {
  const r = CheckedContest.safeParse({ ...base, ...over });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('practice and badges in a contest file', () => {
  it('accepts a practice pool and one badge of each kind', () => {
    expect(
      problems({
        practice: { questions: [q('p1')], fromRounds: ['r'] },
        badges: [
          {
            id: 'a',
            name: 'Chiến binh an toàn số',
            description: 'd',
            rule: { kind: 'area-accuracy', area: 'safety', minPercent: 80 },
          },
          { id: 'b', name: 'Không bỏ cuộc', description: 'd', rule: { kind: 'all-rounds' } },
          { id: 'c', name: 'Học viên chăm chỉ', description: 'd', rule: { kind: 'practice-sessions', count: 5 } },
        ],
      }),
    ).toEqual([]);
  });

  it.each([
    [
      { practice: { questions: [q('q1')] } },
      'practice.questions.0.id: mã "q1" đã dùng trong ngân hàng câu hỏi của các vòng',
    ],
    [{ practice: { questions: [q('p1'), q('p1')] } }, 'practice.questions.1.id: mã "p1" bị trùng'],
    [
      { practice: { questions: [q('p1', { type: 'poll', options: ['a', 'b'], correct: undefined })] } },
      'practice.questions.0.type: câu luyện tập "p1" phải có đáp án đúng (không dùng khảo sát, dự đoán)',
    ],
    [{ practice: { fromRounds: ['x'] } }, 'practice.fromRounds.0: vòng "x" không có trong danh sách vòng thi'],
    [
      { practice: {} },
      'practice: phần luyện tập cần câu hỏi riêng (practice.questions) hoặc vòng đã thi (practice.fromRounds)',
    ],
    [
      { practice: { questions: [q('p1', { source: { title: 't', url: 'javascript:alert(1)' } })] } },
      'practice.questions.0.source.url: liên kết nguồn phải bắt đầu bằng http:// hoặc https://',
    ],
    [
      { badges: [{ id: 'c', name: 'n', description: 'd', rule: { kind: 'practice-sessions', count: 5 } }] },
      'badges.0.rule: huy hiệu theo số lần luyện tập cần phần luyện tập (practice) trong tệp cuộc thi',
    ],
    [
      {
        badges: [{ id: 'a', name: 'n', description: 'd', rule: { kind: 'area-accuracy', area: 'ai', minPercent: 80 } }],
      },
      'badges.0.rule.area: không có câu hỏi nào thuộc lĩnh vực ai',
    ],
    [
      { badges: [{ id: 'a', name: 'n', description: 'd', rule: { kind: 'all-rounds', rounds: ['x'] } }] },
      'badges.0.rule.rounds.0: vòng "x" không có trong danh sách vòng thi',
    ],
    [
      {
        badges: [
          { id: 'a', name: 'n', description: 'd', rule: { kind: 'all-rounds' } },
          { id: 'a', name: 'n', description: 'd', rule: { kind: 'all-rounds' } },
        ],
      },
      'badges.1.id: mã huy hiệu "a" bị trùng',
    ],
  ])('refuses %j', (over, problem) => {
    expect(problems(over)).toContain(problem);
  });

  it('refuses a badge rule of an unknown kind or a percent above 100', () => {
    expect(problems({ badges: [{ id: 'a', name: 'n', description: 'd', rule: { kind: 'magic' } }] })).not.toEqual([]);
    expect(
      problems({
        badges: [
          { id: 'a', name: 'n', description: 'd', rule: { kind: 'area-accuracy', area: 'safety', minPercent: 120 } },
        ],
      }),
    ).not.toEqual([]);
  });
});
