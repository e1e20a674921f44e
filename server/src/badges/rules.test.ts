import { describe, expect, it } from 'vitest';
import { CheckedContest } from '../../../protocol/contest';
import { earnedBadges, NO_EVIDENCE, type BadgeEvidence } from './rules';

const q = (id: string, area: string) => ({
  id,
  type: 'true-false',
  text: 'Đúng không?',
  correct: true,
  explanation: 'Vì.',
  source: { title: 'Nguồn' },
  area,
});
const online = (id: string) => ({
  id,
  title: id,
  mode: 'self-paced',
  scoring: 'accuracy',
  questions: ['q1'],
  online: { opensAt: '2026-01-01T00:00+07:00', closesAt: '2026-02-01T00:00+07:00', timeLimitMin: 5 },
});
const contest = CheckedContest.parse({
  id: 'c',
  title: 'C',
  organiser: 'O',
  privacyNotice: 'P',
  rounds: [online('r1'), online('r2'), { id: 'live', title: 'L', questions: ['q2'] }],
  questions: [q('q1', 'safety'), q('q2', 'ai')],
  practice: { fromRounds: ['r1'] },
  badges: [
    {
      id: 'safe',
      name: 'An toàn',
      description: 'd',
      rule: { kind: 'area-accuracy', area: 'safety', minPercent: 80, minAnswered: 5 },
    },
    { id: 'all', name: 'Không bỏ cuộc', description: 'd', rule: { kind: 'all-rounds' } },
    { id: 'keen', name: 'Chăm chỉ', description: 'd', rule: { kind: 'practice-sessions', count: 3 } },
  ],
});
const ev = (over: Partial<BadgeEvidence>): BadgeEvidence => ({ ...NO_EVIDENCE, ...over });
const onlineRounds = new Set(['r1', 'r2']);

describe(earnedBadges.name, () => {
  it.each<[string, BadgeEvidence, string[]]>([
    ['nothing done', NO_EVIDENCE, []],
    ['4 of 5 safety right (80 %)', ev({ areas: { safety: { asked: 5, correct: 4 } } }), ['safe']],
    ['3 of 4 safety right (75 %)', ev({ areas: { safety: { asked: 4, correct: 3 } } }), []],
    ['4 of 4 right, fewer than 5 asked', ev({ areas: { safety: { asked: 4, correct: 4 } } }), []],
    ['other areas do not count', ev({ areas: { ai: { asked: 10, correct: 10 } } }), []],
    ['both online rounds finished', ev({ finished: onlineRounds, playable: onlineRounds }), ['all']],
    ['one of two online rounds', ev({ finished: new Set(['r1']), playable: onlineRounds }), []],
    ['a live game answered to the end', ev({ finished: new Set(['live']), playable: new Set(['live']) }), ['all']],
    ['a live game left half-way', ev({ finished: new Set(), playable: new Set(['live']) }), []],
    ['2 practice sessions', ev({ practiceSessions: 2 }), []],
    ['3 practice sessions', ev({ practiceSessions: 3 }), ['keen']],
  ])('%s', (_what, evidence, badges) => {
    expect(earnedBadges(contest, evidence)).toEqual(badges);
  });
});
