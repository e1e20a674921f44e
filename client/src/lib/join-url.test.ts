import { describe, expect, it } from 'vitest';
import { onlyThisMachine } from './join-url';

describe(onlyThisMachine.name, () => {
  it.each([
    ['http://localhost:3000/join/123456', true],
    ['http://127.0.0.1:3000/join/123456', true],
    ['http://[::1]:3000/join/123456', true],
    ['http://192.168.1.20:3000/join/123456', false],
    ['https://thi.example.vn/join/123456', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(onlyThisMachine(url)).toBe(expected);
  });
});
