import { describe, expect, it } from 'vitest';
import { hashPassword, hashToken, randomToken, sameToken, verifyPassword } from './auth';

describe('auth', () => {
  it('hashes passwords with scrypt and verifies them', async () => {
    const hash = await hashPassword('mật khẩu dài');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('mật khẩu dài', hash)).toBe(true);
    expect(await verifyPassword('mat khau dai', hash)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });

  it('issues random tokens and compares them by hash', () => {
    const t = randomToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomToken()).not.toBe(t);
    expect(sameToken(t, hashToken(t))).toBe(true);
    expect(sameToken(`${t}x`, hashToken(t))).toBe(false);
  });
});
