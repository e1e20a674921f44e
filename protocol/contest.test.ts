import { describe, expect, it } from 'vitest';
import { Prizes, prizeSets, Question } from './contest';

const question = (url: string) => ({
  id: 'q',
  type: 'true-false',
  text: 'Đúng không?',
  correct: true,
  explanation: 'Vì.',
  source: { title: 'Nguồn', url },
  area: 'safety',
});

describe('a question source link', () => {
  it.each(['https://chinhphu.vn/van-ban', 'http://example.vn/a?b=1'])('accepts %s', (url) => {
    expect(Question.safeParse(question(url)).success).toBe(true);
  });

  // Phones render the link: a script or data URL would run in the contestant's page when tapped.
  it.each([
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.vn/x',
  ])('refuses %s with a Vietnamese message', (url) => {
    const parsed = Question.safeParse(question(url));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['source', 'url'],
      message: expect.stringContaining('http://'),
    });
  });
});

describe(prizeSets.name, () => {
  const rounds = [{ id: 'so-khao' }, { id: 'chung-ket' }, { id: 'khoi-dong' }];
  const tier = (id: string, more: Record<string, unknown> = {}) => ({ id, label: id, count: 1, ...more });
  const setsOf = (prizes: Record<string, unknown>) =>
    prizeSets({ rounds, prizes: Prizes.parse(prizes) } as never).map((s) => [
      s.key,
      s.prizes.individual.map((t) => t.id),
      s.prizes.perGroup.map((t) => t.id),
      s.prizes.collective.map((t) => t.id),
    ]);

  it.each([
    {
      name: 'every tier ranks prizes.rounds: one set',
      prizes: { rounds: ['chung-ket'], individual: [tier('nhat')], collective: [tier('tap-the')] },
      want: [['chung-ket', ['nhat'], [], ['tap-the']]],
    },
    {
      name: 'tiers with their own rounds form their own set, in the order first written',
      prizes: {
        rounds: ['chung-ket'],
        individual: [tier('nhat'), tier('xuat-sac', { rounds: ['so-khao'] })],
        perGroup: [tier('xuat-sac-nhom', { rounds: ['so-khao'] })],
        collective: [tier('tap-the-so-khao', { rounds: ['so-khao'], by: 'participants' }), tier('tap-the')],
      },
      want: [
        ['chung-ket', ['nhat'], [], ['tap-the']],
        ['so-khao', ['xuat-sac'], ['xuat-sac-nhom'], ['tap-the-so-khao']],
      ],
    },
    {
      name: 'the same rounds in another order are the same set, keyed in the contest order',
      prizes: {
        individual: [tier('a', { rounds: ['chung-ket', 'so-khao'] }), tier('b', { rounds: ['so-khao', 'chung-ket'] })],
      },
      want: [['so-khao,chung-ket', ['a', 'b'], [], []]],
    },
    {
      name: 'no tier at all: one empty set of the prize rounds',
      prizes: { rounds: ['chung-ket'] },
      want: [['chung-ket', [], [], []]],
    },
  ])('$name', ({ prizes, want }) => {
    expect(setsOf(prizes)).toEqual(want);
  });

  it('keeps the contest eligibility and one-prize-per-person in every set', () => {
    const sets = prizeSets({
      rounds,
      prizes: Prizes.parse({
        rounds: ['chung-ket'],
        eligibility: { minCorrect: 5 },
        onePerPerson: false,
        individual: [tier('nhat'), tier('xuat-sac', { rounds: ['so-khao'] })],
      }),
    } as never);
    expect(sets.map((s) => [s.prizes.eligibility.minCorrect, s.prizes.onePerPerson])).toEqual([
      [5, false],
      [5, false],
    ]);
  });
});
