import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me, OnlineContestInfo, OnlineRoundInfo } from '../../../protocol/online';
import OnlineApp from './OnlineApp.svelte';
import { roundStatus } from './round-status';

const opens = Date.parse('2026-09-07T08:00+07:00');
const closes = Date.parse('2026-09-27T23:59+07:00');
const round: OnlineRoundInfo = {
  id: 'so-khao',
  title: 'Sơ khảo trực tuyến',
  status: 'upcoming',
  opensAt: '2026-09-07T08:00+07:00',
  closesAt: '2026-09-27T23:59+07:00',
  opensAtMs: opens,
  closesAtMs: closes,
  timeLimitMin: 10,
  questionCount: 11,
  attempts: 3,
  perPeriod: { attempts: 1, days: 7 },
  counts: 'best',
  revealAnswers: 'after-round',
  drawByGroup: true,
};
function info(serverTime: number): OnlineContestInfo {
  return {
    id: 'cds',
    title: 'Công dân số 2026',
    organiser: 'Sở KH&CN',
    description: '',
    privacyNotice: 'Thông báo.',
    personalDataRetentionDays: 365,
    maskNames: true,
    groups: [{ id: 'nguoi-dan', label: 'Người dân' }],
    units: [],
    rounds: [{ ...round, status: roundStatus(round, serverTime) }],
    prizes: { individual: [{ id: 'nhat', label: 'Giải Nhất', count: 1 }], perGroup: [], collective: [] },
    serverTime,
  };
}

function serve(routes: Record<string, unknown>) {
  const fetch = vi.fn(async (url: string) => {
    const path = new URL(url, 'http://x').pathname;
    if (!(path in routes))
      return new Response(JSON.stringify({ ok: false, error: { code: 'NOT_FOUND' } }), { status: 404 });
    return new Response(JSON.stringify({ ok: true, data: routes[path] }), { status: 200 });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

describe('OnlineApp', () => {
  it("before the window: says when it opens in Vietnam time, from the server's clock, with no start button", async () => {
    // The phone's own date says the window is open; the server says it is not: the server wins.
    vi.setSystemTime(new Date('2026-09-10T10:00+07:00'));
    serve({ '/api/online/cds': info(opens - 3600_000) });
    render(OnlineApp, { contestId: 'cds' });
    await screen.findByText('Vòng thi chưa mở. Vòng thi bắt đầu lúc 8:00 ngày 7/9/2026 (giờ Việt Nam).');
    expect(screen.getByText('23:59 ngày 27/9/2026 (giờ Việt Nam)')).toBeTruthy();
    expect(screen.getByText('Mỗi lượt thi có 11 câu hỏi.')).toBeTruthy();
    expect(screen.getByText(/Không quá 1 lượt trong 7 ngày/)).toBeTruthy();
    expect(screen.getByText('Đáp án được công bố sau khi vòng thi kết thúc.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Vào thi' })).toBeNull();
    vi.useRealTimers();
  });

  it('shows the prize rules in plain words: which round decides, who is eligible, one prize each, the ranking order, ties', async () => {
    serve({
      '/api/online/cds': {
        ...info(opens + 1000),
        prizes: {
          individual: [{ id: 'nhat', label: 'Giải Nhất', count: 1 }],
          perGroup: [{ id: 'nhat-nhom', label: 'Giải Nhất đối tượng', count: 1 }],
          collective: [],
        },
        prizeRules: {
          rounds: [{ id: 'chung-ket', title: 'Chung kết' }],
          eligibility: { minCorrect: 5, minScore: 0, minEntrantsPerGroup: 3 },
          onePerPerson: true,
          tieBreak: ['correct', 'time', 'submitted'],
        },
      },
    });
    render(OnlineApp, { contestId: 'cds' });
    const prizes = await screen.findByRole('region', { name: 'Giải thưởng' });
    expect(prizes.textContent).toContain('Giải cho mỗi nhóm đối tượng');
    for (const line of [
      'Giải được xét theo kết quả của: Chung kết.',
      'Để nhận giải, bạn cần trả lời đúng ít nhất 5 câu.',
      'Giải của một nhóm đối tượng chỉ được trao khi nhóm đó có ít nhất 3 người dự thi.',
      'Mỗi người nhận nhiều nhất một giải, là giải cao nhất; giải còn lại dành cho người xếp kế tiếp.',
      'Xếp hạng: người có nhiều câu đúng hơn xếp trên; nếu bằng nhau thì xét lần lượt: tổng thời gian trả lời ít hơn, câu trả lời cuối cùng sớm hơn.',
    ])
      expect(screen.getByText(line)).toBeTruthy();
    expect(screen.getByText(/Người bằng nhau ở mọi tiêu chí được xếp đồng hạng/)).toBeTruthy();
    expect(screen.queryByText(/ít nhất 0 điểm/)).toBeNull();
  });

  it('with several prize sets: lists each under the rounds that decide it, with its own ranking order', async () => {
    serve({
      '/api/online/cds': {
        ...info(opens + 1000),
        prizes: {
          individual: [
            { id: 'nhat', label: 'Giải Nhất', count: 1, rounds: ['chung-ket'] },
            { id: 'xuat-sac', label: 'Giải cá nhân xuất sắc vòng sơ khảo', count: 10, rounds: ['so-khao'] },
          ],
          perGroup: [],
          collective: [
            { id: 'tap-the', label: 'Giải tập thể vòng sơ khảo', count: 3, rounds: ['so-khao'], byParticipants: true },
          ],
        },
        prizeRules: {
          rounds: [{ id: 'chung-ket', title: 'Chung kết' }],
          eligibility: { minCorrect: 5, minScore: 0, minEntrantsPerGroup: 1 },
          onePerPerson: true,
          tieBreak: ['score', 'time'],
          sets: [
            { rounds: [{ id: 'chung-ket', title: 'Chung kết' }], tieBreak: ['score', 'time'] },
            { rounds: [{ id: 'so-khao', title: 'Sơ khảo trực tuyến' }], tieBreak: ['correct', 'time'] },
          ],
        },
      },
    });
    render(OnlineApp, { contestId: 'cds' });
    const prizes = await screen.findByRole('region', { name: 'Giải thưởng' });
    const headings = [...prizes.querySelectorAll('h3')].map((h) => h.textContent);
    expect(headings).toEqual([
      'Giải xét theo kết quả của: Chung kết',
      'Giải xét theo kết quả của: Sơ khảo trực tuyến',
      'Cách trao giải',
    ]);
    expect(screen.getByText('Giải cá nhân xuất sắc vòng sơ khảo: 10 giải')).toBeTruthy();
    expect(
      screen.getByText('Giải tập thể vòng sơ khảo: 3 giải, cho các đơn vị có nhiều người dự thi nhất'),
    ).toBeTruthy();
    expect(
      screen.getByText(
        'Xếp hạng: người có điểm cao hơn xếp trên; nếu bằng nhau thì xét lần lượt: tổng thời gian trả lời ít hơn.',
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        'Xếp hạng: người có nhiều câu đúng hơn xếp trên; nếu bằng nhau thì xét lần lượt: tổng thời gian trả lời ít hơn.',
      ),
    ).toBeTruthy();
    expect(screen.getByText(/Người đã nhận giải ở phần này vẫn được xét giải ở phần khác/)).toBeTruthy();
    expect(screen.queryByText(/Giải được xét theo kết quả của: Chung kết\./)).toBeNull();
  });

  it('after the window: says it closed', async () => {
    serve({ '/api/online/cds': info(closes + 1) });
    render(OnlineApp, { contestId: 'cds' });
    await screen.findByText('Vòng thi đã kết thúc lúc 23:59 ngày 27/9/2026 (giờ Việt Nam).');
    expect(screen.queryByRole('button', { name: 'Vào thi' })).toBeNull();
  });

  it('a registered contestant sees their code, attempts left, the next start, the counting attempt, rank, invitation and prize', async () => {
    localStorage.setItem('cds:online:cds', JSON.stringify({ token: 'tok_0123456789abcdef', code: 'K7M2QX' }));
    const me: Me = {
      contestant: {
        id: 'c1',
        fullName: 'Trần Văn Bình',
        phoneMasked: '091****678',
        group: 'nguoi-dan',
        unit: 'u',
        registeredAt: 0,
      },
      rounds: [
        {
          roundId: 'so-khao',
          attemptsUsed: 1,
          attemptsLeft: 2,
          nextAttemptAt: Date.parse('2026-09-15T09:30+07:00'),
          openAttempt: null,
          counting: {
            attemptId: 'a',
            correct: 8,
            total: 10,
            answered: 10,
            timeMs: 245_000,
            submittedAt: 1,
            predictionGuess: 12,
          },
          rank: 3,
          ranked: 120,
        },
      ],
      invitations: [
        {
          code: 'MOI7K2QX',
          contestId: 'cds',
          roundId: 'so-khao',
          contestantId: 'c1',
          fullName: 'Trần Văn Bình',
          group: 'nguoi-dan',
          unit: 'u',
          via: 'overall',
          rank: 3,
          issuedAt: 1,
        },
      ],
      claims: [{ code: 'GIAI7K2Q', label: 'Giải cá nhân xuất sắc vòng sơ khảo', scope: 'individual' }],
      serverTime: opens + 1000,
    };
    const fetch = serve({ '/api/online/cds': info(opens + 1000), '/api/online/cds/me': me });
    render(OnlineApp, { contestId: 'cds' });
    await screen.findByText('Xin chào Trần Văn Bình');
    expect(screen.getByText('K7M2QX')).toBeTruthy();
    expect(screen.getByText('Còn 2/3 lượt thi')).toBeTruthy();
    expect(screen.getByText('Lượt tiếp theo được bắt đầu từ 9:30 ngày 15/9/2026 (giờ Việt Nam).')).toBeTruthy();
    expect(screen.getByText('Kết quả được tính: đúng 8/10 câu, 4 phút 05 giây')).toBeTruthy();
    expect(screen.getByText('Xếp hạng hiện tại: 3/120')).toBeTruthy();
    // Qualified: the invitation code to the final is shown on the phone.
    expect(screen.getByText(/được mời vào vòng chung kết/)).toBeTruthy();
    expect(screen.getByTestId('invitation-code').textContent).toBe('MOI7K2QX');
    // A prize won in the locked online round: its code, to show at the desk.
    expect(screen.getByText(/Bạn đoạt Giải cá nhân xuất sắc vòng sơ khảo/)).toBeTruthy();
    expect(screen.getByTestId('claim-code').textContent).toBe('GIAI7K2Q');
    expect(screen.getByRole('button', { name: 'Vào thi' })).toBeTruthy();
    const meCall = fetch.mock.calls.find(([url]) => String(url).endsWith('/me'));
    expect(meCall).toBeTruthy();
  });
});
