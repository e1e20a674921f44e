import { describe, expect, it } from 'vitest';
import { fold, searchByName } from './text';

describe(fold.name, () => {
  it.each([
    ['Phường Mẫu', 'phuong mau'],
    ['Đống Đa', 'dong da'],
    ['  Sở KH&CN ', 'so kh&cn'],
  ])('%s → %s', (input, out) => expect(fold(input)).toBe(out));
});

describe(searchByName.name, () => {
  const units = [
    { id: 'a', name: 'Sở Khoa học và Công nghệ' },
    { id: 'b', name: 'Phường Mẫu' },
    { id: 'c', name: 'Trường THPT Mẫu' },
  ];
  it.each([
    { q: '', ids: ['a', 'b', 'c'] },
    { q: 'mau', ids: ['b', 'c'] },
    { q: 'truong mau', ids: ['c'] },
    { q: 'công nghệ', ids: ['a'] },
    { q: 'xyz', ids: [] },
  ])('"$q"', ({ q, ids }) => expect(searchByName(units, q).map((u) => u.id)).toEqual(ids));
  it('stops at the limit', () => expect(searchByName(units, '', 2)).toHaveLength(2));
});
