import { describe, expect, it } from 'vitest';
import { CheckedContest, TeamSettings } from './contest';

const contest = (round: Record<string, unknown>, units = [{ id: 'phuong-a', name: 'Phường A', kind: 'ward' }]) => ({
  id: 'thu',
  title: 'Thử',
  organiser: 'Ban tổ chức',
  privacyNotice: 'Chỉ lưu biệt danh.',
  units,
  rounds: [{ id: 'chung-ket', title: 'Chung kết', questions: ['q1'], ...round }],
  questions: [
    {
      id: 'q1',
      type: 'true-false',
      text: 'Đúng không?',
      correct: true,
      explanation: 'Đúng.',
      source: { title: 'Nguồn' },
      area: 'safety',
    },
  ],
});

const messages = (raw: unknown) => {
  const r = CheckedContest.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('round teams setting', () => {
  it('defaults to the average with no minimum, and keeps bestN with its n', () => {
    expect(TeamSettings.parse({ by: 'unit' })).toEqual({ by: 'unit', score: 'average', minPlayers: 1 });
    const r = CheckedContest.parse(contest({ teams: { by: 'unit', score: 'bestN', n: 5, minPlayers: 3 } }));
    expect(r.rounds[0]!.teams).toEqual({ by: 'unit', score: 'bestN', n: 5, minPlayers: 3 });
    expect(CheckedContest.parse(contest({})).rounds[0]!.teams).toBeUndefined();
  });

  it.each([
    [{ by: 'unit', score: 'bestN' }, /rounds\.0\.teams\.n: score: bestN cần n/],
    [{ by: 'unit', n: 3 }, /rounds\.0\.teams\.n: n chỉ dùng với score: bestN/],
    [{ by: 'group' }, /rounds\.0\.teams\.by/],
    [{ by: 'unit', score: 'sum' }, /rounds\.0\.teams\.score/],
    [{ by: 'unit', minPlayers: 0 }, /rounds\.0\.teams\.minPlayers/],
    [{ by: 'unit', score: 'bestN', n: 2.5 }, /rounds\.0\.teams\.n/],
  ])('refuses %j', (teams, message) => {
    expect(messages(contest({ teams })).join('\n')).toMatch(message);
  });

  it('refuses a unit round without a unit list', () => {
    expect(messages(contest({ teams: { by: 'unit' } }, []))).toEqual([
      'rounds.0.teams: vòng thi theo đơn vị cần danh sách đơn vị (units) để người chơi chọn khi vào',
    ]);
  });

  it("refuses collective prizes by participants on a unit round: its prizes follow the round's team ranking", () => {
    const prizes = (by?: string) => ({
      ...contest({ teams: { by: 'unit' } }),
      prizes: { collective: [{ id: 'tap-the', label: 'Giải tập thể', count: 1, ...(by ? { by } : {}) }] },
    });
    expect(messages(prizes('participants'))).toEqual([
      'prizes.collective.0.by: vòng "Chung kết" thi theo đơn vị: giải tập thể xếp theo điểm đơn vị của vòng (teams.score), không ghi by: participants',
    ]);
    expect(messages(prizes('average'))).toEqual([]);
    expect(messages(prizes())).toEqual([]);
  });

  it('refuses teams on a self-paced round', () => {
    const online = {
      mode: 'self-paced',
      online: { opensAt: '2026-12-01T00:00+07:00', closesAt: '2026-12-02T00:00+07:00', timeLimitMin: 10 },
      teams: { by: 'unit' },
    };
    expect(messages(contest(online))).toContain('rounds.0.teams: teams chỉ dùng cho vòng thi trực tiếp (mode: live)');
  });
});
