import { describe, expect, it } from 'vitest';
import { Contest, liveQuestionIds } from '../../../protocol/contest';
import { drawAttemptQuestions } from './attempt-draw';

/** A seeded random source, so failures can be replayed. */
function seeded(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const q = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'single',
  text: id,
  options: ['A', 'B', 'C', 'D'],
  correct: 0,
  explanation: 'e',
  source: { title: 's' },
  area: 'safety',
  ...extra,
});
const contest = Contest.parse({
  id: 'c',
  title: 'C',
  organiser: 'O',
  privacyNotice: 'p',
  rounds: [
    { id: 'live', title: 'L', questions: ['l1', 'l2'] },
    {
      id: 'on',
      title: 'O',
      mode: 'self-paced',
      scoring: 'accuracy',
      questions: ['f1'],
      draw: [{ count: 3, area: 'safety' }],
      prediction: 'pred',
      online: {
        opensAt: '2025-09-22T00:00+07:00',
        closesAt: '2025-10-09T23:59+07:00',
        timeLimitMin: 20,
        drawByGroup: true,
      },
    },
  ],
  questions: [
    q('l1'),
    q('l2'),
    q('f1'),
    q('s1', { groups: ['hoc-sinh'] }),
    q('s2', { groups: ['hoc-sinh'] }),
    q('s3', { groups: ['hoc-sinh', 'nguoi-dan'] }),
    q('s4', { groups: ['nguoi-dan'] }),
    q('s5', { groups: ['nguoi-dan'] }),
    q('s6', { groups: ['can-bo'] }),
    {
      id: 'pred',
      type: 'numeric',
      text: 'p',
      answer: 0,
      min: 0,
      max: 1000,
      answerKnownAfterRound: true,
      points: 0,
      explanation: 'e',
      source: { title: 's' },
      area: 'ai',
    },
  ],
});
const round = contest.rounds[1]!;

describe(drawAttemptQuestions.name, () => {
  it.each(['hoc-sinh', 'nguoi-dan'] as const)(
    'draws for %s: fixed first, its group only, never a live question, prediction last',
    (group) => {
      for (let seed = 1; seed < 40; seed++) {
        const ids = drawAttemptQuestions(contest, round, group, seeded(seed)).map((x) => x.id);
        expect(ids).toHaveLength(5);
        expect(ids[0]).toBe('f1');
        expect(ids.at(-1)).toBe('pred');
        expect(new Set(ids).size).toBe(5);
        const drawn = ids.slice(1, -1).map((id) => contest.questions.find((x) => x.id === id)!);
        for (const d of drawn) {
          expect(d.groups).toContain(group);
          expect(liveQuestionIds(contest).has(d.id)).toBe(false);
        }
      }
    },
  );
  it('varies between contestants', () => {
    const draws = new Set(
      Array.from({ length: 30 }, (_, s) =>
        drawAttemptQuestions(contest, round, 'hoc-sinh', seeded(s + 1))
          .map((x) => x.id)
          .join(),
      ),
    );
    expect(draws.size).toBeGreaterThan(1);
  });
});
