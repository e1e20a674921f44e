import { expect } from 'vitest';
import { login } from './clients';

/**
 * An organiser's REST session for tests: `get` expects 200 and parses JSON; `lock` posts to a result scope's
 * `/lock` and returns the raw response (tests check refusals too).
 */
export async function organiserApi(url: string, password: string) {
  const token = await login(url, password);
  const auth = { authorization: `Bearer ${token}` };
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`, { headers: auth });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const lock = (scopePath: string, body: object = {}) =>
    fetch(`${url}${scopePath}/lock`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { token, auth, get, lock };
}
