import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadContests } from '../load';
import { importQuestionsCsv, parseCsv } from './csv';
import { contestTemplateWorkbook, exportContestWorkbook, importContestWorkbook } from './workbook';

async function openWorkbook(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

/** Fills the template the way an expert would: by header name, one row per record. */
async function fillTemplate(): Promise<Buffer> {
  const workbook = await openWorkbook(await contestTemplateWorkbook());
  const sheet = (name: string) => workbook.getWorksheet(name)!;
  const addRows = (name: string, rows: Record<string, string | number>[]) => {
    const ws = sheet(name);
    const headers = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    for (const row of rows) ws.addRow(headers.map((h) => row[h] ?? null));
  };
  const contestSheet = sheet('Cuộc thi');
  const values: Record<string, string> = {
    title: 'Hội thi thử',
    organiser: 'Phường A',
    startsAt: '2025-10-01',
    endsAt: '2025-10-10',
    privacyNotice: 'Chỉ lưu biệt danh.',
    maskNames: 'có',
    tieBreak: 'correct, time, prediction, submitted',
    prizeRounds: 'truc-tiep',
    prizeMinCorrect: '2',
  };
  contestSheet.eachRow((row, n) => {
    if (n > 1 && values[String(row.getCell(1).value)]) row.getCell(2).value = values[String(row.getCell(1).value)]!;
  });
  addRows('Câu hỏi', [
    {
      id: 'q-mot',
      type: 'single',
      text: 'Ngày Chuyển đổi số quốc gia?',
      correct: 'A',
      explanation: 'QĐ 505.',
      sourceTitle: 'QĐ 505/QĐ-TTg',
      area: 'digital-services',
      topics: 'public-services',
      difficulty: 1,
    },
    {
      id: 'q-nhieu',
      type: 'multiple',
      text: 'Dấu hiệu lừa đảo?',
      correct: 'A, C',
      explanation: 'Hối thúc, link lạ.',
      sourceTitle: 'Cục ATTT',
      sourceUrl: 'https://example.gov.vn/a',
      area: 'safety',
      topics: 'scams',
      groups: 'nguoi-dan, hoc-sinh',
      timeLimitSec: 30,
      points: 2000,
    },
    {
      id: 'q-dung-sai',
      type: 'true-false',
      text: 'OTP được đọc cho ngân hàng?',
      correct: 'sai',
      explanation: 'Không bao giờ.',
      sourceTitle: 'NHNN',
      area: 'safety',
    },
    {
      id: 'q-so',
      type: 'numeric',
      text: 'Bao nhiêu mức?',
      answer: 2,
      min: 1,
      max: 5,
      tolerance: 0,
      unit: 'mức',
      explanation: 'NĐ 69.',
      sourceTitle: 'NĐ 69/2024',
      area: 'digital-services',
      topics: 'vneid',
    },
    { id: 'q-khao-sat', type: 'poll', text: 'Bạn dùng gì?', area: 'ai' },
    {
      id: 'q-du-doan',
      type: 'numeric',
      text: 'Bao nhiêu người đúng hết?',
      answer: 0,
      min: 0,
      max: 100000,
      answerKnownAfterRound: 'có',
      points: 0,
      explanation: 'Công bố sau.',
      sourceTitle: 'Thể lệ',
      area: 'information-data',
    },
  ]);
  addRows('Lựa chọn', [
    { questionId: 'q-mot', option: 'A', text: '10/10' },
    { questionId: 'q-mot', option: 'B', text: '2/9' },
    { questionId: 'q-nhieu', option: 'A', text: 'Hối thúc' },
    { questionId: 'q-nhieu', option: 'B', text: 'Tổng đài quen' },
    { questionId: 'q-nhieu', option: 'C', text: 'Link lạ' },
    { questionId: 'q-khao-sat', option: 'A', text: 'Zalo' },
    { questionId: 'q-khao-sat', option: 'B', text: 'VNeID' },
  ]);
  addRows('Đơn vị', [
    { id: 'phuong-a', name: 'Phường A', kind: 'ward' },
    { id: 'truong-b', name: 'Trường B', kind: 'school', headcount: 1200 },
  ]);
  addRows('Vòng thi', [
    {
      id: 'truc-tiep',
      title: 'Chung kết',
      mode: 'live',
      scoring: 'speed',
      streakBonus: 'có',
      questions: 'q-mot, q-nhieu, q-khao-sat',
    },
    {
      id: 'so-khao',
      title: 'Sơ khảo',
      mode: 'self-paced',
      scoring: 'accuracy',
      defaultTimeLimitSec: 30,
      questions: 'q-dung-sai',
      draw: '1 area=digital-services; 1 topic=scams',
      prediction: 'q-du-doan',
      opensAt: '2025-09-22T00:00+07:00',
      closesAt: '2025-10-09T23:59+07:00',
      timeLimitMin: 20,
      attempts: 3,
      perPeriod: '1/7',
      counts: 'best',
      revealAnswers: 'after-round',
      excludeLiveQuestions: 'không',
      qualifiers: 'overall=100; perGroup=20',
    },
  ]);
  addRows('Giải thưởng', [
    { scope: 'individual', id: 'nhat', label: 'Giải Nhất', count: 1 },
    { scope: 'perGroup', id: 'nhat', label: 'Nhất nhóm', count: 1 },
    { scope: 'collective', id: 'nhat', label: 'Nhất tập thể', count: 1 },
    { scope: 'individual', id: 'xuat-sac', label: 'Xuất sắc sơ khảo', count: 5, rounds: 'so-khao' },
    { scope: 'collective', id: 'tap-the', label: 'Tập thể sơ khảo', count: 2, rounds: 'so-khao', by: 'participants' },
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe(importContestWorkbook.name, () => {
  it('round-trips: template → fill → import → export → import gives the same contest', async () => {
    const first = await importContestWorkbook(await fillTemplate(), { id: 'thu' });
    expect(first.ok ? [] : first.problems).toEqual([]);
    if (!first.ok) return;
    expect(first.contest.questions).toHaveLength(6);
    expect(first.contest.questions.find((q) => q.id === 'q-nhieu')).toMatchObject({
      correct: [0, 2],
      options: ['Hối thúc', 'Tổng đài quen', 'Link lạ'],
      points: 2000,
    });
    expect(first.contest.rounds[1]!.draw).toEqual([
      { count: 1, area: 'digital-services' },
      { count: 1, topic: 'scams' },
    ]);
    expect(first.contest.rounds[1]!.online).toEqual({
      opensAt: '2025-09-22T00:00+07:00',
      closesAt: '2025-10-09T23:59+07:00',
      timeLimitMin: 20,
      attempts: 3,
      perPeriod: { attempts: 1, days: 7 },
      counts: 'best',
      revealAnswers: 'after-round',
      excludeLiveQuestions: false,
      drawByGroup: false,
      qualifiers: { overall: 100, perGroup: 20 },
      extraTimeFactor: 1.5,
    });
    expect(first.contest.rounds[0]!.online).toBeUndefined();
    expect(first.contest.prizes).toMatchObject({
      rounds: ['truc-tiep'],
      eligibility: { minCorrect: 2, minScore: 0 },
      onePerPerson: true,
    });
    // A tier of the online round's own prize set, units by participants.
    expect(first.contest.prizes.individual[1]).toEqual({
      id: 'xuat-sac',
      label: 'Xuất sắc sơ khảo',
      count: 5,
      rounds: ['so-khao'],
    });
    expect(first.contest.prizes.collective[1]).toMatchObject({ rounds: ['so-khao'], by: 'participants' });
    const second = await importContestWorkbook(await exportContestWorkbook(first.contest));
    expect(second.ok ? second.contest : second.problems).toEqual(first.contest);
  });

  it('exports and re-imports every bundled contest unchanged', async () => {
    for (const contest of (await loadContests('contests')).values()) {
      const back = await importContestWorkbook(await exportContestWorkbook(contest));
      expect(back.ok ? back.contest : back.problems).toEqual(contest);
    }
  });

  it('reports each bad row by sheet, row number and column, and returns no contest', async () => {
    const workbook = await openWorkbook(await fillTemplate());
    const questions = workbook.getWorksheet('Câu hỏi')!;
    const col = (name: string) => (questions.getRow(1).values as unknown[]).indexOf(name);
    questions.getRow(2).getCell(col('correct')).value = 'E'; // single with two options
    questions.getRow(3).getCell(col('area')).value = 'nau-an';
    questions.getRow(4).getCell(col('correct')).value = '';
    const result = await importContestWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sheet: 'Câu hỏi', row: 2, column: 'correct' }),
        expect.objectContaining({ sheet: 'Câu hỏi', row: 3, column: 'area' }),
        expect.objectContaining({ sheet: 'Câu hỏi', row: 4, column: 'correct' }),
      ]),
    );
  });

  it('reports a prize tier ranking an unknown round at its row and rounds column, in Vietnamese', async () => {
    const workbook = await openWorkbook(await fillTemplate());
    const prizes = workbook.getWorksheet('Giải thưởng')!;
    const col = (name: string) => (prizes.getRow(1).values as unknown[]).indexOf(name);
    prizes.getRow(5).getCell(col('rounds')).value = 'vong-khong-co';
    const result = await importContestWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()), { id: 'thu' });
    expect(result.ok ? [] : result.problems).toEqual([
      expect.objectContaining({
        sheet: 'Giải thưởng',
        row: 5,
        column: 'rounds',
        message: expect.stringContaining('vòng "vong-khong-co" không có trong danh sách vòng thi'),
      }),
    ]);
  });

  it('rejects a file that is not a workbook', async () => {
    const result = await importContestWorkbook(Buffer.from('not a zip'));
    expect(result.ok).toBe(false);
  });

  it('template has one sheet per table and a notes sheet in Vietnamese', async () => {
    const workbook = await openWorkbook(await contestTemplateWorkbook());
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Cuộc thi',
      'Câu hỏi',
      'Lựa chọn',
      'Đơn vị',
      'Vòng thi',
      'Giải thưởng',
      'Hướng dẫn',
    ]);
    const notes: string[] = [];
    workbook.getWorksheet('Hướng dẫn')!.eachRow((row) => notes.push(String(row.getCell(3).value)));
    expect(notes.join('\n')).toMatch(/Mã câu hỏi/);
  });
});

describe(importQuestionsCsv.name, () => {
  const header = 'id,type,text,correct,optionA,optionB,explanation,sourceTitle,area\n';
  const row = 'q-csv,single,"Câu hỏi có dấu phẩy, và ""ngoặc""",B,Sai,Đúng,Giải thích,Nguồn,safety\n';

  it('reads UTF-8 with or without BOM, quoted fields included', async () => {
    const base = (await loadContests('contests')).get('demo')!;
    const keepRounds = { ...base, rounds: [{ ...base.rounds[0]!, questions: ['q-csv'] }] };
    for (const text of [header + row, `\uFEFF${header}${row}`]) {
      const result = importQuestionsCsv(Buffer.from(text, 'utf8'), keepRounds);
      expect(result.ok ? [] : result.problems).toEqual([]);
      if (result.ok)
        expect(result.contest.questions[0]).toMatchObject({
          id: 'q-csv',
          text: 'Câu hỏi có dấu phẩy, và "ngoặc"',
          options: ['Sai', 'Đúng'],
          correct: 1,
        });
    }
  });

  it('reports bad rows by CSV row and column', async () => {
    const base = (await loadContests('contests')).get('demo')!;
    const result = importQuestionsCsv(header + row.replace('safety', 'vu-tru'), {
      ...base,
      rounds: [{ ...base.rounds[0]!, questions: ['q-csv'] }],
    });
    expect(result.ok ? [] : result.problems).toEqual([
      expect.objectContaining({ sheet: 'CSV', row: 2, column: 'area' }),
    ]);
  });

  it('parses RFC 4180 line breaks inside quotes', () => {
    expect(parseCsv('a,b\r\n"x\ny",z\r\n')).toEqual([
      ['a', 'b'],
      ['x\ny', 'z'],
    ]);
  });
});
