import { describe, expect, it } from 'vitest';
import { maskPhone, normalisePhone } from './phone';

describe(normalisePhone.name, () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['0912.345.678', '+84912345678'],
    ['0912-345-678', '+84912345678'],
    ['+84912345678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['(+84) 912.345.678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['+84 0912 345 678', '+84912345678'],
    ['0362345678', '+84362345678'],
    ['0562345678', '+84562345678'],
    ['0702345678', '+84702345678'],
    ['0862345678', '+84862345678'],
    ['  0987654321  ', '+84987654321'],
  ])('%s → %s', (input, want) => expect(normalisePhone(input)).toBe(want));

  it.each([
    ['', 'empty'],
    ['091234567', 'nine digits'],
    ['09123456789', 'eleven digits'],
    ['0212345678', 'a landline prefix'],
    ['0112345678', 'no 01x mobiles since 2018'],
    ['912345678', 'no leading 0 or country code'],
    ['+1 912 345 6789', 'another country'],
    ['+85912345678', 'another country code'],
    ['0912abc678', 'letters'],
    ['0912345678; DROP', 'junk'],
  ])('refuses %s (%s)', (input) => expect(normalisePhone(input)).toBeNull());
});

describe(maskPhone.name, () => {
  it('keeps the first three and last three digits of the local form', () =>
    expect(maskPhone('+84912345678')).toBe('091****678'));
});
