import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkContestData, checkContestDir, contestWarnings, formatProblem } from './validate';
import { buildRound } from '../game/round';
import { loadContests } from './load';

/** A small valid contest; each bad fixture below breaks exactly one thing. */
function goodContest(): Record<string, any> {
  return {
    title: 'Thử',
    organiser: 'Ban tổ chức',
    privacyNotice: 'Chỉ lưu biệt danh.',
    units: [{ id: 'phuong-a', name: 'Phường A', kind: 'ward' }],
    rounds: [
      {
        id: 'vong-1',
        title: 'Vòng 1',
        questions: ['q-single', 'q-tf'],
        draw: [{ count: 1, area: 'ai' }],
        prediction: 'q-du-doan',
      },
    ],
    questions: [
      {
        id: 'q-single',
        type: 'single',
        text: 'Câu một?',
        options: ['A', 'B'],
        correct: 1,
        explanation: 'Vì B.',
        source: { title: 'Nguồn' },
        area: 'safety',
      },
      {
        id: 'q-tf',
        type: 'true-false',
        text: 'Đúng không?',
        correct: true,
        explanation: 'Đúng.',
        source: { title: 'Nguồn' },
        area: 'digital-services',
      },
      {
        id: 'q-multi',
        type: 'multiple',
        text: 'Chọn?',
        options: ['A', 'B', 'C'],
        correct: [0, 2],
        explanation: 'A và C.',
        source: { title: 'Nguồn' },
        area: 'ai',
      },
      {
        id: 'q-du-doan',
        type: 'numeric',
        text: 'Bao nhiêu?',
        answer: 0,
        answerKnownAfterRound: true,
        points: 0,
        min: 0,
        max: 1000,
        explanation: 'Công bố sau.',
        source: { title: 'Thể lệ' },
        area: 'information-data',
      },
    ],
  };
}

const FILE = 'contests/thu/contest.yaml';
function problemsOf(raw: unknown) {
  const checked = checkContestData(raw, FILE, 'thu');
  return checked.ok ? [] : checked.problems;
}

describe(checkContestData.name, () => {
  it('accepts the good fixture', () => {
    const checked = checkContestData(goodContest(), FILE, 'thu');
    expect(checked.ok).toBe(true);
  });

  const cases: [string, (c: Record<string, any>) => void, { questionId?: string; field: RegExp; message?: RegExp }][] =
    [
      [
        'missing correct answer',
        (c) => delete c.questions[0].correct,
        { questionId: 'q-single', field: /^questions\[0\]\.correct$/ },
      ],
      [
        'duplicate question id',
        (c) => (c.questions[1].id = 'q-single'),
        { questionId: 'q-single', field: /^questions\[1\]\.id$/, message: /trùng/ },
      ],
      ['duplicate unit id', (c) => c.units.push({ ...c.units[0] }), { field: /^units\[1\]\.id$/, message: /trùng/ }],
      [
        'option out of range (single)',
        (c) => (c.questions[0].correct = 2),
        { questionId: 'q-single', field: /correct/, message: /ngoài 2 lựa chọn/ },
      ],
      [
        'option out of range (multiple)',
        (c) => (c.questions[2].correct = [0, 5]),
        { questionId: 'q-multi', field: /correct/, message: /ngoài/ },
      ],
      [
        'image without alt text',
        (c) => (c.questions[0].image = { src: 'a.svg', alt: '' }),
        { questionId: 'q-single', field: /image\.alt/ },
      ],
      [
        'unknown competence area',
        (c) => (c.questions[1].area = 'cooking'),
        { questionId: 'q-tf', field: /^questions\[1\]\.area$/ },
      ],
      [
        'time limit too short',
        (c) => (c.questions[0].timeLimitSec = 2),
        { questionId: 'q-single', field: /timeLimitSec/ },
      ],
      [
        'time limit too long',
        (c) => (c.rounds[0].defaultTimeLimitSec = 600),
        { field: /^rounds\[0\]\.defaultTimeLimitSec$/ },
      ],
      [
        'round referencing an unknown question',
        (c) => c.rounds[0].questions.push('khong-co'),
        { field: /^rounds\[0\]\.questions\[2\]$/, message: /khong-co/ },
      ],
      [
        'prediction that is not numeric',
        (c) => (c.rounds[0].prediction = 'q-tf'),
        { field: /^rounds\[0\]\.prediction$/, message: /numeric/ },
      ],
      [
        'draw quota that cannot be met',
        (c) => (c.rounds[0].draw = [{ count: 5, area: 'ai' }]),
        { field: /^rounds\[0\]\.draw\[0\]\.count$/, message: /chỉ có 1/ },
      ],
      [
        'prediction question that scores points',
        (c) => (c.questions[3].points = 1000),
        { questionId: 'q-du-doan', field: /points/ },
      ],
      ['unknown question type', (c) => (c.questions[1].type = 'essay'), { questionId: 'q-tf', field: /type/ }],
      [
        'prizes in a contest of several rounds without prizes.rounds',
        (c) => {
          c.rounds.push({ id: 'khoi-dong', title: 'Khởi động', questions: ['q-tf'] });
          c.prizes = { individual: [{ id: 'nhat', label: 'Giải Nhất', count: 1 }] };
        },
        { field: /^prizes\.rounds$/, message: /2 vòng: ghi prizes\.rounds/ },
      ],
      [
        'prize scope naming an unknown round',
        (c) => (c.prizes = { rounds: ['chung-ket'] }),
        { field: /^prizes\.rounds\[0\]$/, message: /chung-ket/ },
      ],
      [
        'a prize tier ranking an unknown round',
        (c) => (c.prizes = { individual: [{ id: 'nhat', label: 'Giải Nhất', count: 1, rounds: ['so-khao'] }] }),
        {
          field: /^prizes\.individual\[0\]\.rounds\[0\]$/,
          message: /vòng "so-khao" không có trong danh sách vòng thi/,
        },
      ],
      [
        'a round in two prize sets',
        (c) => {
          c.rounds.push({ id: 'chung-ket', title: 'Chung kết', questions: ['q-tf'] });
          c.prizes = {
            rounds: ['chung-ket'],
            individual: [
              { id: 'nhat', label: 'Giải Nhất', count: 1 },
              { id: 'toan-cuoc', label: 'Giải toàn cuộc', count: 1, rounds: ['vong-1', 'chung-ket'] },
            ],
          };
        },
        { field: /^prizes\.individual\[1\]\.rounds$/, message: /vòng "Chung kết" thuộc hai phần giải/ },
      ],
      [
        'a unit ranking on an individual tier',
        (c) => (c.prizes = { individual: [{ id: 'nhat', label: 'Giải Nhất', count: 1, by: 'participants' }] }),
        { field: /^prizes\.individual\[0\]\.by$/, message: /chỉ giải tập thể/ },
      ],
      [
        'collective tiers of one set ranking units two ways',
        (c) =>
          (c.prizes = {
            collective: [
              { id: 'nhat', label: 'Giải Nhất tập thể', count: 1, by: 'participants' },
              { id: 'nhi', label: 'Giải Nhì tập thể', count: 1 },
            ],
          }),
        { field: /^prizes\.collective$/, message: /cùng một cách/ },
      ],
      [
        'a negative minimum of correct answers',
        (c) => (c.prizes = { eligibility: { minCorrect: -1 } }),
        { field: /^prizes\.eligibility\.minCorrect$/ },
      ],
    ];
  it.each(cases)('reports %s with file, question id and field', (_name, breakIt, expected) => {
    const contest = goodContest();
    breakIt(contest);
    const problems = problemsOf(contest);
    const match = problems.find(
      (p) => expected.field.test(p.field) && (!expected.message || expected.message.test(p.message)),
    );
    expect(match, JSON.stringify(problems)).toBeDefined();
    expect(match!.file).toBe(FILE);
    if (expected.questionId) expect(match!.questionId).toBe(expected.questionId);
    expect(formatProblem(match!)).toContain(FILE);
  });

  it('accepts a contest of several rounds whose every prize tier names its own rounds', () => {
    const contest = goodContest();
    contest.rounds.push({ id: 'chung-ket', title: 'Chung kết', questions: ['q-tf'] });
    contest.prizes = {
      individual: [
        { id: 'nhat', label: 'Giải Nhất', count: 1, rounds: ['chung-ket'] },
        { id: 'xuat-sac', label: 'Giải xuất sắc vòng 1', count: 3, rounds: ['vong-1'] },
      ],
      collective: [{ id: 'tap-the', label: 'Giải tập thể vòng 1', count: 1, rounds: ['vong-1'], by: 'participants' }],
    };
    expect(problemsOf(contest)).toEqual([]);
  });

  it('reports every problem at once, not only the first', () => {
    const contest = goodContest();
    delete contest.questions[0].correct;
    contest.questions[1].area = 'cooking';
    contest.units.push({ ...contest.units[0] });
    expect(problemsOf(contest).length).toBeGreaterThanOrEqual(3);
  });

  it('does not call a question missing from a round when it only failed its own checks', () => {
    const contest = goodContest();
    contest.questions[1].area = 'cooking';
    const problems = problemsOf(contest);
    expect(problems.map((p) => p.field)).toEqual(['questions[1].area']);
  });
});

describe(contestWarnings.name, () => {
  /** A contest whose one round asks `keys.length` single questions of four options, keyed at those positions (unshuffled unless told). */
  const keyed = (keys: number[], round: Record<string, unknown> = {}, shuffle = false) => {
    const contest = goodContest();
    const ids = keys.map((_, i) => `k-${i}`);
    contest.questions = contest.questions.filter((q: { id: string }) => q.id !== 'q-du-doan');
    contest.questions.push(
      ...keys.map((correct, i) => ({
        id: ids[i],
        type: 'single',
        text: `Câu ${i}?`,
        options: ['A', 'B', 'C', 'D'],
        correct,
        shuffle,
        explanation: 'Vì.',
        source: { title: 'Nguồn' },
        area: 'devices-software',
      })),
    );
    contest.rounds = [{ id: 'vong-1', title: 'Vòng 1', questions: ids, ...round }];
    const checked = checkContestData(contest, FILE, 'thu');
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    return contestWarnings(checked.contest, FILE);
  };
  it.each([
    { name: 'balanced keys: no warning', keys: [0, 1, 2, 3, 0, 1, 2, 3], warns: false },
    { name: 'exactly 40 % at one position: no warning', keys: [0, 0, 0, 0, 1, 2, 3, 1, 2, 3], warns: false },
    { name: 'more than 40 % at A warns', keys: [0, 0, 0, 0, 0, 1, 2, 3], warns: true },
    { name: 'a lopsided round under 8 questions is chance: no warning', keys: [0, 0, 0, 0, 0, 0, 0], warns: false },
  ])('$name', ({ keys, warns }) => {
    const warnings = keyed(keys);
    expect(warnings.length > 0).toBe(warns);
    if (warns)
      expect(warnings[0]).toMatchObject({
        file: FILE,
        field: 'rounds[0].questions',
        message: expect.stringMatching(/5\/8 .*phương án A/),
      });
  });
  it('counts only questions that keep their written order: shuffled ones reach phones in a drawn order', () => {
    const keys = [0, 0, 0, 0, 0, 1, 2, 3];
    expect(keyed(keys, {}, true)).toEqual([]);
    expect(keyed(keys, {}, false)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/5\/8 .*shuffle: false/) }),
    ]);
  });
  it('checks each draw pool too', () => {
    const warnings = keyed([3, 3, 3, 3, 3, 3, 3, 3, 3], {
      questions: [],
      draw: [{ count: 2, area: 'devices-software' }],
    });
    expect(warnings).toEqual([
      expect.objectContaining({ field: 'rounds[0].draw[0]', message: expect.stringMatching(/phương án D/) }),
    ]);
  });
});

describe(checkContestDir.name, () => {
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'contest-'));
    dir = path.join(root, 'thu');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reports an image file missing beside contest.yaml', async () => {
    const contest = goodContest();
    contest.questions[0].image = { src: 'khong-co.svg', alt: 'Ảnh' };
    await writeFile(path.join(dir, 'contest.yaml'), stringify(contest));
    const checked = await checkContestDir(dir);
    expect(checked.ok).toBe(false);
    if (!checked.ok)
      expect(checked.problems[0]).toMatchObject({ questionId: 'q-single', field: 'questions[0].image.src' });
  });
});

describe(loadContests.name, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'contests-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('throws listing the problems of every file', async () => {
    const { mkdir } = await import('node:fs/promises');
    for (const id of ['a', 'b']) {
      await mkdir(path.join(dir, id));
      const contest = goodContest();
      delete contest.questions[0].correct;
      await writeFile(path.join(dir, id, 'contest.yaml'), stringify(contest));
    }
    const error = await loadContests(dir).catch((e: Error) => e);
    expect(String(error)).toContain(path.join(dir, 'a', 'contest.yaml'));
    expect(String(error)).toContain(path.join(dir, 'b', 'contest.yaml'));
  });
});

describe(buildRound.name, () => {
  it('puts fixed questions first, draws never take the prediction, the prediction comes last', () => {
    const checked = checkContestData(goodContest(), FILE, 'thu');
    if (!checked.ok) throw new Error('fixture');
    const built = buildRound(checked.contest, 'vong-1', () => 0)!;
    expect(built.questions.map((q) => q.id)).toEqual(['q-single', 'q-tf', 'q-multi', 'q-du-doan']);
    expect(built.questions.at(-1)!.points).toBe(0);
    expect(built.questions[0]!.timeLimitSec).toBe(20);
  });
});
