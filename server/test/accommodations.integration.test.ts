import { describe, expect, it } from 'vitest';
import type { AttemptView, Registered } from '../../protocol/online';
import type { AccommodatedContestant } from '../src/online/accommodations';
import { login } from './clients';
import { testServers, type Mode } from './servers';

const server = testServers('accommodations', 'server/test/practice-contests');
type Body<T> = { ok: true; data: T } | { ok: false; error: { code: string } };

async function call<T>(url: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Body<T>;
  if (!json.ok) throw new Error(`${method} ${path}: ${res.status} ${json.error.code}`);
  return json.data;
}

let phone = 100;
const register = (url: string, fullName: string, extraTime?: boolean) =>
  call<Registered>(url, 'POST', '/api/online/luyen/register', undefined, {
    fullName,
    phone: `0912 345 ${phone++}`,
    group: 'nguoi-dan',
    unit: 'don-vi-a',
    consent: true,
    ...(extraTime !== undefined ? { extraTime } : {}),
  });

describe.each<Mode>(['memory', 'redis'])('extra time in online rounds (%s store)', (mode) => {
  it('stretches the time limit of those who asked at registration; organisers see who, and the export says so', async () => {
    const s = await server(mode);
    const elder = await register(s.url, 'Ông Năm', true);
    const young = await register(s.url, 'Em Sáu');
    expect(elder.contestant.extraTime).toBe(true);
    expect(young.contestant.extraTime).toBeUndefined();
    const limit = async (who: Registered) => {
      const a = await call<AttemptView>(s.url, 'POST', '/api/online/luyen/rounds/mo/attempts', who.token);
      return { attempt: a, minutes: (a.deadline - a.startedAt) / 60_000 };
    };
    const e = await limit(elder);
    const y = await limit(young);
    // Round "mo": 20 minutes; extraTimeFactor defaults to 1.5.
    expect(e.minutes).toBe(30);
    expect(y.minutes).toBe(20);

    for (const [who, { attempt }] of [
      [elder, e],
      [young, y],
    ] as const)
      await call(s.url, 'POST', `/api/online/luyen/attempts/${attempt.id}/submit`, who.token);
    const token = await login(s.url, s.organiserPassword);
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${s.url}/api/accommodations/luyen`)).status).toBe(401);
    let report: { rounds: { roundId: string; extraTimeFactor: number; contestants: AccommodatedContestant[] }[] } = {
      rounds: [],
    };
    for (let i = 0; i < 50; i++) {
      report = await (await fetch(`${s.url}/api/accommodations/luyen`, { headers: auth })).json();
      if (report.rounds.find((r) => r.roundId === 'mo')?.contestants.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const mo = report.rounds.find((r) => r.roundId === 'mo')!;
    expect(mo.extraTimeFactor).toBe(1.5);
    expect(mo.contestants.map((c) => c.fullName)).toEqual(['Ông Năm']);
    expect(mo.contestants[0]!.phoneMasked).toMatch(/\*/);
    const csv = await (await fetch(`${s.url}/api/results/round/luyen/mo/results.csv`, { headers: auth })).text();
    expect(csv.split('\n')[0]).toContain('Thêm thời gian');
    const rows = csv.split('\n').filter((l) => l.includes('Ông Năm') || l.includes('Em Sáu'));
    expect(rows.find((l) => l.includes('Ông Năm'))).toMatch(/,có\s*$/);
    expect(rows.find((l) => l.includes('Em Sáu'))).not.toMatch(/,có\s*$/);
  });
});
