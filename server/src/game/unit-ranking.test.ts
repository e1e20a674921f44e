import { describe, expect, it } from 'vitest';
import { rankUnitTeams, type UnitMember } from './unit-ranking';

const m = (unit: string | undefined, score: number, kicked = false): UnitMember => ({ unit, score, kicked });
const average = { score: 'average', minPlayers: 1 } as const;

describe(rankUnitTeams.name, () => {
  it('ranks units by the average of their members, best first, rounded to a point', () => {
    const ranked = rankUnitTeams([m('a', 1000), m('a', 0), m('b', 900), m('b', 801), m('c', 100)], average);
    expect(ranked).toEqual([
      { unit: 'b', players: 2, score: 851, rank: 1, tied: false },
      { unit: 'a', players: 2, score: 500, rank: 2, tied: false },
      { unit: 'c', players: 1, score: 100, rank: 3, tied: false },
    ]);
  });

  it('bestN sums the best n scores; a unit with fewer members sums what it has', () => {
    const ranked = rankUnitTeams(
      [m('big', 100), m('big', 500), m('big', 300), m('big', 400), m('small', 450), m('small', 420)],
      { score: 'bestN', n: 3, minPlayers: 1 },
    );
    expect(ranked.map((u) => [u.unit, u.score, u.rank])).toEqual([
      ['big', 1200, 1],
      ['small', 870, 2],
    ]);
    // With the average instead, the two-person unit wins: the setting decides.
    expect(rankUnitTeams([m('big', 100), m('big', 500), m('small', 450)], average)[0]!.unit).toBe('small');
  });

  it('shows units below minPlayers after the ranked ones, unranked, even with a higher score', () => {
    const ranked = rankUnitTeams([m('two', 1000), m('two', 1000), m('three', 10), m('three', 20), m('three', 30)], {
      score: 'average',
      minPlayers: 3,
    });
    expect(ranked).toEqual([
      { unit: 'three', players: 3, score: 20, rank: 1, tied: false },
      { unit: 'two', players: 2, score: 1000, rank: null, tied: false },
    ]);
  });

  it('gives tied units the same rank and skips the places they take (1, 1, 3)', () => {
    const ranked = rankUnitTeams([m('x', 700), m('y', 700), m('z', 300), m('w', 700)], {
      score: 'average',
      minPlayers: 2,
    });
    // w is alone (below minPlayers): it does not tie with the ranked units.
    const two = rankUnitTeams([m('x', 700), m('x', 700), m('y', 600), m('y', 800), m('z', 300), m('z', 300)], {
      score: 'average',
      minPlayers: 2,
    });
    expect(two.map((u) => [u.unit, u.rank, u.tied])).toEqual([
      ['x', 1, true],
      ['y', 1, true],
      ['z', 3, false],
    ]);
    expect(ranked.every((u) => u.rank === null && !u.tied)).toBe(true);
  });

  it('leaves out kicked players, players without a unit and units not in the contest list', () => {
    const ranked = rankUnitTeams(
      [m('a', 100), m('a', 9000, true), m(undefined, 5000), m('khong-co', 5000), m('b', 50)],
      average,
      ['a', 'b'],
    );
    expect(ranked.map((u) => [u.unit, u.players, u.score])).toEqual([
      ['a', 1, 100],
      ['b', 1, 50],
    ]);
  });

  it('a unit whose only player was kicked disappears; nobody at all gives an empty board', () => {
    expect(rankUnitTeams([m('a', 100, true)], average)).toEqual([]);
    expect(rankUnitTeams([], { score: 'bestN', n: 5, minPlayers: 3 })).toEqual([]);
  });
});
