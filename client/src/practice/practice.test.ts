import { describe, expect, it } from 'vitest';
import type { PracticeAnswered, PracticeSessionView } from '../../../protocol/practice';
import type { HttpResult } from '../lib/http';
import { pickVietnameseVoice } from '../lib/speech';
import type { PracticeApi } from './api';
import { PracticeSession } from './practice.svelte';

const view = (): PracticeSessionView => ({
  id: 's'.repeat(24),
  contestId: 'c',
  area: null,
  questions: [
    { id: 'q1', type: 'single', area: 'safety', text: 'Một?', options: ['A', 'B'] },
    { id: 'q2', type: 'multiple', area: 'ai', text: 'Nhiều?', options: ['A', 'B', 'C'] },
    { id: 'q3', type: 'numeric', area: 'ai', text: 'Số?', min: 0, max: 10 },
  ],
  answers: {},
  summary: { answered: 0, correct: 0, total: 3, areas: [], weakAreas: [], complete: false },
  expiresAt: 0,
});

function fakeApi(replies: HttpResult<PracticeAnswered>[]) {
  const sent: unknown[] = [];
  const api = {
    answer: async (_id: string, questionId: string, choice: unknown) => {
      sent.push({ questionId, choice });
      return replies.shift()!;
    },
    session: async () => ({ ok: true as const, data: view() }),
  } as unknown as PracticeApi;
  return { api, sent };
}
const answered = (questionId: string, correct: boolean): HttpResult<PracticeAnswered> => ({
  ok: true,
  data: {
    feedback: { questionId, correct, correctOptions: [0], explanation: 'Vì.', source: { title: 'Nguồn' } },
    summary: { answered: 1, correct: correct ? 1 : 0, total: 3, areas: [], weakAreas: [], complete: false },
  },
});

describe(PracticeSession.name, () => {
  it('sends nothing until a choice is made, then shows the server feedback and locks the question', async () => {
    const { api, sent } = fakeApi([answered('q1', false)]);
    const s = new PracticeSession(api, view());
    expect(s.choice).toBeNull();
    expect(await s.answer()).toBe(false);
    expect(sent).toEqual([]);
    s.toggle(1);
    s.toggle(0);
    expect(s.choice).toBe(0);
    expect(await s.answer()).toBe(true);
    expect(sent).toEqual([{ questionId: 'q1', choice: 0 }]);
    expect(s.feedback?.correct).toBe(false);
    s.toggle(1); // answered: the choice no longer changes
    expect(s.chosen).toEqual([0]);
  });

  it('collects several options for a multiple-choice question and parses a typed number', async () => {
    const { api, sent } = fakeApi([answered('q2', true), answered('q3', true)]);
    const s = new PracticeSession(api, view());
    s.next();
    s.toggle(2);
    s.toggle(0);
    s.toggle(1);
    s.toggle(1);
    expect(s.choice).toEqual([0, 2]);
    await s.answer();
    s.next();
    s.numberText = ' 7,5 ';
    expect(s.choice).toBe(7.5);
    await s.answer();
    expect(sent).toEqual([
      { questionId: 'q2', choice: [0, 2] },
      { questionId: 'q3', choice: 7.5 },
    ]);
    expect(s.last).toBe(true);
  });

  it('keeps the error of a refused answer for the page to show', async () => {
    const { api } = fakeApi([{ ok: false, error: { code: 'NETWORK', message: 'x', status: 0, body: null } }]);
    const s = new PracticeSession(api, view());
    s.toggle(0);
    expect(await s.answer()).toBe(false);
    expect(s.error).toBe('NETWORK');
    expect(s.feedback).toBeNull();
  });

  it('carries on at the first unanswered question of a reopened session', () => {
    const v = view();
    const first = answered('q1', true);
    if (first.ok) v.answers.q1 = { choice: 0, feedback: first.data.feedback };
    expect(new PracticeSession(fakeApi([]).api, v).index).toBe(1);
  });
});

describe(pickVietnameseVoice.name, () => {
  const voice = (lang: string, localService = false) => ({ lang, localService, name: lang }) as SpeechSynthesisVoice;
  it.each([
    [[voice('en-US'), voice('vi-VN')], 'vi-VN'],
    [[voice('vi_VN'), voice('vi-VN', true)], 'vi-VN'],
    [[voice('vi')], 'vi'],
    [[voice('en-GB'), voice('vin')], null],
    [[], null],
  ])('picks from %j', (list, lang) => {
    expect(pickVietnameseVoice(list)?.lang ?? null).toBe(lang);
  });
});
