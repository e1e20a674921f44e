import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, contestantCodeCheck, hashCode, newContestantCode, normaliseCode } from './contestant-code';

describe(newContestantCode.name, () => {
  it('gives six characters of the unambiguous alphabet', () => {
    for (let i = 0; i < 200; i++) expect(newContestantCode()).toMatch(new RegExp(`^[${CODE_ALPHABET}]{6}$`));
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });
  it('uses the picker it is given', () => expect(newContestantCode(() => 0)).toBe('222222'));
});

describe(normaliseCode.name, () => {
  it.each([
    ['k7m2qh', 'K7M2QH'],
    [' K7M-2QH ', 'K7M2QH'],
    ['k7m 2qh', 'K7M2QH'],
  ])('%s → %s', (input, want) => expect(normaliseCode(input)).toBe(want));
});

describe('contestantCodeCheck', () => {
  const who = { id: 'c1', phone: '+84912345678', codeHash: hashCode('c1', 'K7M2QH') };
  it.each([
    ['K7M2QH', true],
    ['k7m-2qh', true],
    ['K7M2QJ', false],
    ['', false],
  ])('%s → %s', async (proof, want) => expect(await contestantCodeCheck.verify(who, proof)).toBe(want));
  it('salts with the contestant id', () => expect(hashCode('c1', 'K7M2QH')).not.toBe(hashCode('c2', 'K7M2QH')));
});
