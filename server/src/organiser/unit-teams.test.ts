import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CheckedContest } from '../../../protocol/contest';
import type { RankedEntry, ResultSet } from '../../../protocol/organiser';
import { rankKeysFor } from '../game/ranking';
import { exportTable, writeResultSetWorkbook } from './exports';
import { computeWinners, rankEntries } from './rankings';
import { teamPrizeUnits, teamRanking } from './unit-teams';

const contest = CheckedContest.parse({
  id: 'doi',
  title: 'Đơn vị',
  organiser: 'Tests',
  privacyNotice: 'Thử.',
  units: [
    { id: 'a', name: 'Phường A', kind: 'ward', headcount: 10 },
    { id: 'b', name: 'Phường B', kind: 'ward' },
    { id: 'c', name: 'Trường C', kind: 'school' },
  ],
  rounds: [
    { id: 'doi', title: 'Đơn vị', questions: ['q'], teams: { by: 'unit', score: 'bestN', n: 2, minPlayers: 2 } },
    { id: 'ca-nhan', title: 'Cá nhân', questions: ['q'] },
  ],
  prizes: {
    rounds: ['doi'],
    collective: [
      { id: 'nhat', label: 'Nhất', count: 1 },
      { id: 'nhi', label: 'Nhì', count: 1 },
    ],
  },
  questions: [
    {
      id: 'q',
      type: 'true-false',
      text: 'Đúng?',
      correct: true,
      explanation: '.',
      source: { title: 't' },
      area: 'safety',
    },
  ],
});

const KEYS = rankKeysFor(['score', 'time'], false);
let n = 0;
const entries = (rows: [pin: string, unit: string | undefined, score: number][]): RankedEntry[] =>
  rankEntries(
    rows.map(([pin, unit, score]) => ({
      pin,
      playerId: `p${n++}`,
      rank: 0,
      nickname: `P${n}`,
      group: 'nguoi-dan',
      ...(unit ? { unit } : {}),
      score,
      correct: 1,
      answered: 1,
      totalTimeMs: 1000 + n,
      predictionError: null,
      lastAnswerAt: n,
    })),
    KEYS,
  );

describe(teamRanking.name, () => {
  // Two halls of the unit round: a unit's players in both count together.
  const two = entries([
    ['111111', 'a', 900],
    ['222222', 'a', 800],
    ['222222', 'a', 100],
    ['111111', 'b', 1000],
    ['222222', 'b', 700],
    ['111111', 'c', 3000],
    ['111111', undefined, 5000],
  ]);

  it('ranks the units of one unit round across its games, the small unit unranked', () => {
    expect(teamRanking(contest, new Set(['doi']), two)).toEqual({
      roundId: 'doi',
      score: 'bestN',
      n: 2,
      minPlayers: 2,
      // a: 900 + 800; b: 1000 + 700: equal, so they share first place.
      units: [
        { rank: 1, tied: true, unit: 'a', name: 'Phường A', players: 3, score: 1700 },
        { rank: 1, tied: true, unit: 'b', name: 'Phường B', players: 2, score: 1700 },
        { rank: null, tied: false, unit: 'c', name: 'Trường C', players: 1, score: 3000 },
      ],
    });
  });

  it('is absent for a round played by individuals and for a set of several rounds', () => {
    expect(teamRanking(contest, new Set(['ca-nhan']), two)).toBeUndefined();
    expect(teamRanking(contest, new Set(['doi', 'ca-nhan']), two)).toBeUndefined();
    expect(teamRanking(contest, new Set(), [])).toBeUndefined();
  });

  it('collective prizes go down the ranked units only, and a tie across the cut is reported', () => {
    const teams = teamRanking(contest, new Set(['doi']), two)!;
    const units = teamPrizeUnits(teams, contest);
    expect(units.map((u) => [u.unit, u.rank, u.participants, u.averageScore, u.participationRate])).toEqual([
      ['a', 1, 3, 1700, 0.3],
      ['b', 1, 2, 1700, null],
    ]);
    const out = computeWinners({ overall: [], byGroup: [], units }, contest.prizes);
    expect(out.winners.map((w) => [w.scope, w.tier, w.unit, w.rank])).toEqual([
      ['collective', 'nhat', 'a', 1],
      ['collective', 'nhi', 'b', 1],
    ]);
    expect(out.tiesAtCut).toEqual([
      { ranking: 'units', rank: 1, members: ['a', 'b'], names: ['Phường A', 'Phường B'], atPrizeBoundary: true },
    ]);
  });
});

describe('the teams export', () => {
  const base = { overall: [], byGroup: [], units: [], ties: [], winners: [], skipped: [], questions: [], lock: null };
  const set = (teams?: ResultSet['teams']) => ({ ...base, ...(teams ? { teams } : {}) }) as unknown as ResultSet;
  const teams = teamRanking(
    contest,
    new Set(['doi']),
    entries([
      ['1', 'a', 500],
      ['1', 'a', 400],
      ['1', 'c', 9],
    ]),
  )!;

  it('lists the ranking with how it is counted, and nothing for other sets', () => {
    expect(exportTable(set(teams), 'teams').rows).toEqual([
      [1, '', 'a', 'Phường A', 2, 900, 'Tổng điểm 2 người cao nhất', ''],
      ['', '', 'c', 'Trường C', 1, 9, 'Tổng điểm 2 người cao nhất', 'Chưa xếp hạng: dưới 2 người chơi'],
    ]);
    expect(exportTable(set(), 'teams').rows).toEqual([]);
  });

  it('adds the "Vòng đơn vị" sheet to the workbook of a unit round only', async () => {
    const sheets = async (s: ResultSet) => {
      const out = new PassThrough();
      const bytes: Buffer[] = [];
      out.on('data', (b: Buffer) => bytes.push(b));
      const ended = new Promise((r) => out.once('end', r));
      await writeResultSetWorkbook(
        { ...s, scope: { kind: 'game', pin: '1' }, games: [], tieBreak: [], title: 't' } as ResultSet,
        [],
        out,
      );
      await ended;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.concat(bytes) as never);
      return wb.worksheets.map((w) => w.name);
    };
    expect(await sheets(set(teams))).toContain('Vòng đơn vị');
    expect(await sheets(set())).not.toContain('Vòng đơn vị');
  });
});
