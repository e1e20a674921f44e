import { describe, expect, it } from 'vitest';
import { TARGET_GROUPS } from '../../../protocol/contest';
import type { ResultRow } from '../../../protocol/http';
import type { Playoff } from '../../../protocol/organiser';
import { defaultRankKeys, rankKeysFor } from '../game/ranking';
import { rankAllInSlices } from './rank-in-slices';
import { rankByGroup, rankEntries, rankUnits } from './rankings';

type Row = ResultRow & { pin: string };
/** Rows with many ties (few scores and times), two games, some without a prediction or a unit. */
const rows: Row[] = Array.from({ length: 9000 }, (_, i) => ({
  pin: i % 3 ? 'online:giai:vong' : '123456',
  playerId: `p${(i * 7919) % 9000}`,
  rank: 0,
  nickname: `Người ${i}`,
  group: TARGET_GROUPS[i % 4]!,
  ...(i % 5 ? { unit: `u${i % 6}` } : {}),
  score: i % 7,
  correct: i % 7,
  answered: 7,
  totalTimeMs: 1000 * (i % 3),
  predictionError: i % 4 ? (i * 31) % 5 : null,
  lastAnswerAt: i % 11 ? 100 + (i % 13) : null,
}));
const units = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u9'].map((id) => ({ id, name: id, kind: 'ward' as const }));

describe(rankAllInSlices.name, () => {
  it.each([
    ['accuracy', rankKeysFor(['score', 'time', 'prediction', 'submitted'], true)],
    ['speed', defaultRankKeys('speed')],
  ])('ranks exactly as rankEntries, rankByGroup and rankUnits (%s keys)', async (_, keys) => {
    const level = rankEntries(rows, keys).find((e) => e.tied)!;
    const tie = rankEntries(rows, keys).filter((e) => e.rank === level.rank);
    const playoffs: Playoff[] = [
      {
        contestId: 'giai',
        ranking: 'overall',
        members: tie.map((e) => `${e.pin}:${e.playerId}`),
        places: Object.fromEntries(tie.map((e, i) => [`${e.pin}:${e.playerId}`, (i % 2) + 1])),
        pin: '999999',
        at: 1,
        by: 'admin',
      },
    ];
    for (const p of [[], playoffs]) {
      const overall = rankEntries(rows, keys, p);
      expect(await rankAllInSlices(rows, keys, p, units)).toEqual({
        overall,
        byGroup: rankByGroup(overall, keys, p),
        units: rankUnits(overall, units, keys[0] === 'correct'),
      });
    }
  });
});
