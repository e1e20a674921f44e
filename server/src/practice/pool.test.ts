import { describe, expect, it } from 'vitest';
import { CheckedContest, type Contest } from '../../../protocol/contest';
import { practicePool, questionsRoundMayAsk, selfPacedRoundOver } from './pool';

const q = (id: string, area: string, extra: object = {}) => ({
  id,
  type: 'single',
  text: `Câu ${id}?`,
  options: ['A', 'B'],
  correct: 0,
  explanation: 'Vì vậy.',
  source: { title: 'Nguồn', url: 'https://example.vn' },
  area,
  ...extra,
});
const contest = (over: object = {}): Contest =>
  CheckedContest.parse({
    id: 'c',
    title: 'C',
    organiser: 'O',
    privacyNotice: 'P',
    rounds: [
      { id: 'warm', title: 'W', questions: ['w1', 'w2'] },
      { id: 'final', title: 'F', questions: ['f1'], draw: [{ count: 1, area: 'ai' }] },
      {
        id: 'online',
        title: 'O',
        mode: 'self-paced',
        scoring: 'accuracy',
        draw: [{ count: 1, area: 'digital-content' }],
        online: { opensAt: '2026-09-01T08:00+07:00', closesAt: '2026-09-02T08:00+07:00', timeLimitMin: 10 },
      },
    ],
    questions: [
      q('w1', 'safety'),
      q('w2', 'safety'),
      q('f1', 'safety'),
      q('a1', 'ai'),
      q('a2', 'ai'),
      q('d1', 'digital-content'),
      { ...q('poll', 'safety'), type: 'poll', correct: undefined },
    ],
    practice: { questions: [q('p1', 'safety'), q('p2', 'ai')], fromRounds: ['warm', 'online'] },
    ...over,
  });
const ids = (qs: { id: string }[]) => qs.map((x) => x.id).sort();

describe(practicePool.name, () => {
  it('before any round is over: only the practice-only questions', () => {
    expect(ids(practicePool(contest(), new Set()))).toEqual(['p1', 'p2']);
  });
  it('adds a round listed in fromRounds once it is over', () => {
    expect(ids(practicePool(contest(), new Set(['warm'])))).toEqual(['p1', 'p2', 'w1', 'w2']);
  });
  it('never adds a question that a round still to be played may ask', () => {
    // The online round may draw d1; the final may draw a1/a2. Over: warm and online, not the final.
    const pool = ids(practicePool(contest(), new Set(['warm', 'online'])));
    expect(pool).toEqual(['d1', 'p1', 'p2', 'w1', 'w2']);
    const shared = contest({
      rounds: [
        { id: 'warm', title: 'W', questions: ['w1', 'w2'] },
        { id: 'final', title: 'F', questions: ['w2', 'f1'] },
      ],
      practice: { fromRounds: ['warm'] },
    });
    expect(ids(practicePool(shared, new Set(['warm'])))).toEqual(['w1']);
  });
  it('ignores rounds that are over but not listed, and leaves polls out', () => {
    expect(ids(practicePool(contest(), new Set(['final'])))).toEqual(['p1', 'p2']);
    expect(ids(practicePool(contest({ practice: undefined }), new Set(['warm'])))).toEqual([]);
  });
  it('a round may ask its fixed questions, its prediction and its draw pools', () => {
    const c = contest();
    expect([...questionsRoundMayAsk(c, c.rounds[1]!)].sort()).toEqual(['a1', 'a2', 'f1']);
  });
});

describe(selfPacedRoundOver.name, () => {
  const round = contest().rounds[2]!;
  const closes = Date.parse('2026-09-02T08:00+07:00');
  it.each([
    [closes - 1, false],
    [closes + 10 * 60_000, false],
    [closes + 20 * 60_000 + 2000, false],
    [closes + 20 * 60_000 + 2001, true],
  ])('at close + %d ms: %s', (now, over) => {
    expect(selfPacedRoundOver(round, now, 2000)).toBe(over);
  });
  it('a live round is never over by the clock', () => {
    expect(selfPacedRoundOver(contest().rounds[0]!, Date.now(), 0)).toBe(false);
  });
});
