// Prize sets over HTTP and sockets, on both stores: the online round awards its own prizes (individual, and units by
// participants) when it is locked, and nothing of the final's; the invited final's lock awards only the final's Giải
// Nhất, to a contestant who already holds an online-round prize (one prize per person holds within a set); a contest
// lock names both sets and issues no claim twice. The winner of an online prize sees its code on their page.
import { describe, expect, it } from 'vitest';
import type { JoinResult } from '../../protocol/events';
import type { AttemptView, Invitation, Me, Registered } from '../../protocol/online';
import type { Claim, PrizePreview, ResultSet } from '../../protocol/organiser';
import { createGame, shownChoice, TestClient } from './clients';
import { organiserApi } from './organiser-api';
import { testServers, type Mode } from './servers';

const server = testServers('prize-sets', 'server/test/prize-sets-contests');
const CONTEST = 'hai-bo-giai';
const MIN = 60_000;
/** From the test clock to past the round's close, its 10-minute time limit and the grace. */
const pastFinal = () => Date.parse('2099-12-31T23:59+07:00') - Date.now() + 11 * MIN;

describe.each<Mode>(['memory', 'redis'])('prize sets (%s store)', (mode) => {
  it('the online round and the final are locked separately and each awards only its own tiers', async () => {
    const s = await server(mode);
    const { token, auth, get, lock } = await organiserApi(s.url, s.organiserPassword);
    const clock = s.app.onlineStore;
    const online = async <T>(method: string, path: string, tokenOf?: string, body?: unknown) => {
      const res = await fetch(`${s.url}/api/online/${CONTEST}${path}`, {
        method,
        headers: {
          ...(tokenOf ? { authorization: `Bearer ${tokenOf}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as { ok: true; data: T } | { ok: false; error: { code: string } };
      if (!json.ok) throw new Error(`${method} ${path}: ${json.error.code}`);
      return json.data;
    };
    let phone = 200;
    const take = async (name: string, unit: string, q1: string, takesMs = 0) => {
      const reg = await online<Registered>('POST', '/register', undefined, {
        fullName: name,
        phone: `0912 345 ${phone++}`,
        group: 'nguoi-dan',
        unit,
        consent: true,
      });
      const attempt = await online<AttemptView>('POST', '/rounds/vong-loai/attempts', reg.token);
      const pick = (id: string, text: string) => attempt.questions.find((q) => q.id === id)!.options!.indexOf(text);
      await online('PUT', `/attempts/${attempt.id}/answers`, reg.token, { questionId: 'q1', choice: pick('q1', q1) });
      await online('PUT', `/attempts/${attempt.id}/answers`, reg.token, {
        questionId: 'q2',
        choice: pick('q2', 'Đúng'),
      });
      clock.shiftClock(takesMs);
      await online('POST', `/attempts/${attempt.id}/submit`, reg.token);
      await online('GET', `/attempts/${attempt.id}/result`, reg.token);
      return reg;
    };
    // A (unit B) is fastest of the two perfect attempts; B and C (unit A) make unit A the one with most participants,
    // though unit B has the better average (2 correct against 1.5).
    const a = await take('An Thị A', 'don-vi-b', 'B');
    const b = await take('Bùi Văn B', 'don-vi-a', 'B', MIN);
    await take('Cao Thị C', 'don-vi-a', 'A');
    clock.shiftClock(pastFinal());

    // The online round's preview names its own set only; the final's set waits for its own lock.
    const preview = await get<PrizePreview>(`/api/results/round/${CONTEST}/vong-loai/prizes`);
    expect(preview.prizeScope).toMatchObject({ namesPrizes: true, rounds: ['vong-loai'] });
    expect(preview.prizeScope.sets).toEqual([
      { rounds: ['chung-ket'], namesPrizes: false, reason: 'outside-prize-rounds' },
      { rounds: ['vong-loai'], namesPrizes: true },
    ]);
    const named = (tiers: PrizePreview['tiers']) =>
      tiers.map((t) => [t.rounds?.join(','), t.tier, t.winners.map((w) => w.nickname ?? w.unit)]);
    expect(named(preview.tiers)).toEqual([
      ['chung-ket', 'nhat', []],
      ['vong-loai', 'xuat-sac', ['An Thị A', 'Bùi Văn B']],
      ['vong-loai', 'tap-the', ['don-vi-a']],
    ]);
    const onlineLock = await lock(`/api/results/round/${CONTEST}/vong-loai`, { previewDigest: preview.digest });
    expect(onlineLock.status).toBe(200);
    const onlineSet = (await onlineLock.json()) as ResultSet;
    expect(onlineSet.winners.map((w) => [w.tier, w.nickname ?? w.unit, w.rounds])).toEqual([
      ['xuat-sac', 'An Thị A', ['vong-loai']],
      ['xuat-sac', 'Bùi Văn B', ['vong-loai']],
      ['tap-the', 'don-vi-a', ['vong-loai']],
    ]);
    const claims = () => get<Claim[]>('/api/claims');
    expect((await claims()).map((c) => [c.nickname, c.tier, c.rounds]).sort()).toEqual([
      ['An Thị A', 'xuat-sac', ['vong-loai']],
      ['Bùi Văn B', 'xuat-sac', ['vong-loai']],
    ]);
    // The winner sees the prize and its code on their contest page.
    const me = await online<Me>('GET', '/me', a.token);
    expect(me.claims?.map((c) => c.label)).toEqual(['Giải xuất sắc vòng loại']);
    expect(me.claims?.[0]?.code).toMatch(/^[A-Z2-9]{8}$/);

    // The qualifiers (A and B) play the invited final: A answers right, B wrong.
    const invited = (await (
      await fetch(`${s.url}/api/qualifiers/${CONTEST}/vong-loai`, { method: 'POST', headers: auth })
    ).json()) as Invitation[];
    expect(invited.map((i) => i.contestantId)).toEqual([a.contestant.id, b.contestant.id]);
    const game = await createGame(s.url, token, CONTEST, 'chung-ket');
    const record = await s.app.store.getGame(game.pin);
    const host = await new TestClient(s.url, '/host').connected();
    await host.ok('host:attach', { pin: game.pin, hostToken: game.hostToken });
    const players = await Promise.all(
      invited.map(async (inv, i) => {
        const client = await new TestClient(s.url, '/play').connected();
        await client.ok<JoinResult>('player:join', {
          pin: game.pin,
          nickname: ['An', 'Bùi'][i],
          group: 'nguoi-dan',
          consent: true,
          invitation: inv.code,
        });
        return client;
      }),
    );
    await host.ok('host:command', { type: 'start' });
    await Promise.all(players.map((p) => p.phase('open', 0)));
    await Promise.all(
      players.map((p, i) => p.ok('answer:submit', { questionIndex: 0, choice: shownChoice(record, 0, i) })),
    );
    await host.emit('host:command', { type: 'close' });
    await host.phase('reveal', 0);
    await host.ok('host:command', { type: 'next' });
    await host.ok('host:command', { type: 'next' });
    await host.phase('podium');
    await host.ok('host:command', { type: 'next' });
    await host.phase('ended');

    // The final's lock awards Giải Nhất alone, to A, who keeps the online-round prize too.
    const finalLock = await lock(`/api/results/round/${CONTEST}/chung-ket`);
    expect(finalLock.status).toBe(200);
    const finalSet = (await finalLock.json()) as ResultSet;
    expect(finalSet.prizeScope.sets?.map((x) => [x.rounds[0], x.namesPrizes, x.reason])).toEqual([
      ['chung-ket', true, undefined],
      ['vong-loai', false, 'outside-prize-rounds'],
    ]);
    expect(finalSet.winners.map((w) => [w.tier, w.nickname, w.rounds])).toEqual([['nhat', 'An', ['chung-ket']]]);
    const finalRow = finalSet.overall.find((e) => e.nickname === 'An')!;
    expect(finalRow.contestantId).toBe(a.contestant.id);
    const afterFinal = await claims();
    expect(afterFinal.map((c) => [c.nickname, c.tier]).sort()).toEqual(
      [
        ['An Thị A', 'xuat-sac'],
        ['Bùi Văn B', 'xuat-sac'],
        ['An', 'nhat'],
      ].sort(),
    );

    // The contest lock names both sets (the same winners) and issues nothing again.
    const contestLock = await lock(`/api/results/contest/${CONTEST}`);
    expect(contestLock.status).toBe(200);
    const contestSet = (await contestLock.json()) as ResultSet;
    expect(contestSet.prizeScope).toMatchObject({ namesPrizes: true, rounds: ['chung-ket', 'vong-loai'] });
    expect(contestSet.winners.map((w) => [w.tier, w.nickname ?? w.unit])).toEqual([
      ['nhat', 'An'],
      ['xuat-sac', 'An Thị A'],
      ['xuat-sac', 'Bùi Văn B'],
      ['tap-the', 'don-vi-a'],
    ]);
    expect((await claims()).map((c) => c.code).sort()).toEqual(afterFinal.map((c) => c.code).sort());
    for (const c of [host, ...players]) c.close();
  });
});
