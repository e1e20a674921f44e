import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TARGET_GROUPS } from '../../../protocol/contest';
import type { RankedEntry, ResultSet } from '../../../protocol/organiser';
import { parseInSlices, sha256InSlices, stringifyHashed } from './result-json';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A result set shaped as a locked online round's: many entries, overall and by group, Vietnamese names. */
function fixture(n: number): ResultSet {
  const overall: RankedEntry[] = Array.from({ length: n }, (_, i) => ({
    pin: 'online:giai:vong-loai',
    playerId: `c${i}`,
    contestantId: `c${i}`,
    rank: i + 1,
    tied: i % 97 === 1,
    nickname: `Nguyễn Thị "Ánh" ${i} \\ ☃ \u2028`,
    group: TARGET_GROUPS[i % 4]!,
    unit: i % 5 ? `don-vi-${i % 7}` : undefined,
    score: 10 - (i % 11),
    correct: 10 - (i % 11),
    answered: 10,
    totalTimeMs: 1000 + i,
    predictionError: i % 3 ? null : i % 50,
    lastAnswerAt: 1_700_000_000_000 + i,
    ...(i % 13 ? {} : { extraTime: true as const }),
  }));
  return {
    scope: { kind: 'round', contestId: 'giai', roundId: 'vong-loai' },
    contestId: 'giai',
    title: 'Giải — Vòng loại',
    games: ['online:giai:vong-loai'],
    tieBreak: ['score', 'time', 'prediction', 'submitted'],
    overall,
    byGroup: TARGET_GROUPS.map((group) => ({ group, entries: overall.filter((e) => e.group === group) })),
    units: [],
    ties: [{ ranking: 'overall', rank: 2, members: ['a', 'b'], names: ['An', 'Bình'], atPrizeBoundary: false }],
    winners: [],
    prizeScope: {
      rounds: ['vong-loai'],
      namesPrizes: false,
      reason: 'no-prizes',
      onePerPerson: true,
      eligibility: { minCorrect: 0, minScore: 0, minEntrantsPerGroup: 0 },
    },
    skipped: [],
    questions: [],
    lock: null,
  };
}

describe(stringifyHashed.name, () => {
  it('writes exactly JSON.stringify and hashes it to the same SHA-256 as the lock always did', async () => {
    for (const n of [0, 1, 65, 3000]) {
      const set = fixture(n);
      const expected = JSON.stringify(set);
      const { json, sha256: digest } = await stringifyHashed(set);
      expect(json).toBe(expected);
      expect(digest).toBe(sha256(expected));
    }
  });

  it.each<[string, unknown]>([
    ['undefined members and array holes', { a: undefined, b: [undefined, () => 1, ...Array(70).fill(1)], c: 1 }],
    [
      'a date and a boxed value',
      { at: new Date(0), s: Object('x') as string, list: Array(100).fill({ d: new Date(1) }) },
    ],
    ['numbers JSON cannot hold', { n: [NaN, Infinity, -0, ...Array(70).fill(2)] }],
    ['a large top-level array', Array.from({ length: 500 }, (_, i) => ({ i, inner: Array(80).fill(i) }))],
    ['nested empties', { a: [], b: {}, c: [[], {}], d: Array(65).fill([]) }],
  ])('matches JSON.stringify on %s', async (_, value) => {
    expect((await stringifyHashed(value)).json).toBe(JSON.stringify(value));
  });

  it('yields to the event loop while it writes a large set', async () => {
    const set = fixture(60_000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await stringifyHashed(set);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(1);
  });
});

describe(parseInSlices.name, () => {
  it('reads back what JSON.parse reads', async () => {
    const text = JSON.stringify(fixture(3000));
    expect(await parseInSlices(text)).toEqual(JSON.parse(text));
    const spaced = JSON.stringify(fixture(200), null, 2);
    expect(await parseInSlices(spaced)).toEqual(JSON.parse(spaced));
    for (const small of ['1', '"x"', 'null', '[]', '{}', ' {"a":[1,2,{"b":"}\\\\"}]} '])
      expect(await parseInSlices(small)).toEqual(JSON.parse(small));
  });

  it('keeps "__proto__" as a member, as JSON.parse does', async () => {
    const text = JSON.stringify({ list: Array(3000).fill('x'.repeat(10)), pad: 'y' }).replace('"pad"', '"__proto__"');
    const read = (await parseInSlices(text)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.keys(read)).toEqual(['list', '__proto__']);
  });

  it.each(['', '[1,2', '{"a":1,}', `[${'1,'.repeat(20_000)}]`, `{"a":[${'"x",'.repeat(9000)}"y"] x}`])(
    'refuses malformed text: %s',
    async (text) => {
      await expect(parseInSlices(text.slice(0, 200_000))).rejects.toThrow(SyntaxError);
    },
  );
});

describe(sha256InSlices.name, () => {
  it('gives the digest of the whole text, a surrogate pair on the 1 MB boundary included', async () => {
    const MB = 1024 * 1024;
    const text = 'a'.repeat(MB - 1) + '😀' + 'Lê Chân '.repeat(200_000);
    expect(text.charCodeAt(MB - 1) & 0xfc00).toBe(0xd800);
    expect(await sha256InSlices(text)).toBe(createHash('sha256').update(text).digest('hex'));
    expect(await sha256InSlices('')).toBe(createHash('sha256').update('').digest('hex'));
  });
});
