// A tie at a prize cut settled by sudden death: the tied two play one extra question (a practice game of its own),
// the result ranks them as the last tie-break, the audit log records it, and the lock names the settled order.
import { describe, expect, it } from 'vitest';
import type { AuditPage, PrizePreview, ResultSet } from '../../protocol/organiser';
import { organiserApi, playLiveGame } from './organiser-api';
import { testServers, type Mode } from './servers';

const server = testServers('playoff', 'server/test/prize-contests');
const CONTEST = 'giai-chung-ket';
const FINAL = `/api/results/round/${CONTEST}/chung-ket`;

describe.each<Mode>(['memory', 'redis'])('sudden-death playoff (%s store)', (mode) => {
  it('settles a tie at the Nhì/Ba cut by an extra question of the tied only; audited; the lock needs no acceptTies', async () => {
    const s = await server(mode);
    const { token, auth, get, lock } = await organiserApi(s.url, s.organiserPassword);
    const playoff = (body: object) =>
      fetch(`${s.url}${FINAL}/playoff`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    // Final keys B, C, Đúng: An 3 correct; Bình and Cường 2 each (equal on the only key, score); Dũng 1.
    const final = await playLiveGame(s, token, CONTEST, 'chung-ket', [
      { nickname: 'An', group: 'can-bo', choices: [1, 2, 0] },
      { nickname: 'Bình', group: 'hoc-sinh', choices: [1, 2, 1] },
      { nickname: 'Cường', group: 'hoc-sinh', choices: [1, 0, 0] },
      { nickname: 'Dũng', group: 'can-bo', choices: [1, 0, 1] },
    ]);
    const [an, binh, cuong] = final.ids.map((id) => `${final.pin}:${id}`);
    const before = await get<PrizePreview>(`${FINAL}/prizes`);
    expect(before.tiesAtCut.map((t) => [t.ranking, [...t.members].sort()])).toEqual([
      ['overall', [binh, cuong].sort()],
    ]);
    const tie = { ranking: 'overall', members: before.tiesAtCut[0]!.members };

    // Refused: not a tie at a cut; a game that is one of the results; a game not marked practice; malformed.
    expect((await playoff({ ...tie, members: [an, binh], pin: final.pin })).status).toBe(400);
    expect((await playoff({ ...tie, pin: final.pin })).status).toBe(400);
    expect((await playoff({ ...tie, members: ['x'], pin: final.pin })).status).toBe(400);
    const counted = await playLiveGame(s, token, CONTEST, 'cau-hoi-phu', [
      { nickname: 'Bình', group: 'hoc-sinh', choices: [1] },
      { nickname: 'Cường', group: 'hoc-sinh', choices: [1] },
    ]);
    expect((await playoff({ ...tie, pin: counted.pin })).status).toBe(400);

    // The sudden-death question: only Cường is right; a spectator who joined too is right but is nobody here.
    const extra = await playLiveGame(
      s,
      token,
      CONTEST,
      'cau-hoi-phu',
      [
        { nickname: 'Bình', group: 'hoc-sinh', choices: [0] },
        { nickname: 'Cường', group: 'hoc-sinh', choices: [1] },
        { nickname: 'Khán giả', group: 'nguoi-dan', choices: [1] },
      ],
      { practice: true },
    );
    const res = await playoff({ ...tie, pin: extra.pin });
    expect(res.status).toBe(200);
    const after = (await res.json()) as PrizePreview;
    expect(after.tiesAtCut).toEqual([]);
    const holder = (tier: string) =>
      after.tiers.find((t) => t.scope === 'individual' && t.tier === tier)!.winners.map((w) => w.nickname);
    expect([holder('nhat'), holder('nhi'), holder('ba')]).toEqual([['An'], ['Cường'], ['Bình']]);
    const set = await get<ResultSet>(FINAL);
    expect(set.overall.map((e) => [e.nickname, e.rank, e.tied])).toEqual([
      ['An', 1, false],
      ['Cường', 2, false],
      ['Bình', 3, false],
      ['Dũng', 4, false],
    ]);
    // The group board ranks the two the same way: both played.
    expect(set.byGroup.find((g) => g.group === 'hoc-sinh')!.entries.map((e) => [e.nickname, e.rank])).toEqual([
      ['Cường', 1],
      ['Bình', 2],
    ]);

    // Recorded in the audit log, with who placed where.
    const log = await get<AuditPage>('/api/audit?after=0&limit=1000');
    const entry = log.entries.find((e) => e.action === 'results.playoff' && e.outcome === 'ok')!;
    expect(entry).toMatchObject({
      pin: extra.pin,
      detail: { ranking: 'overall', rank: 2, places: 'Cường (1), Bình (2)' },
    });
    expect(log.entries.filter((e) => e.action === 'results.playoff' && e.outcome === 'BAD_REQUEST')).toHaveLength(3); // the malformed one never reached it

    // No tie left to accept: the lock of what was previewed goes through, and names the settled order.
    const locked = await lock(FINAL, { previewDigest: after.digest });
    expect(locked.status).toBe(200);
    expect(
      ((await locked.json()) as ResultSet).winners.filter((w) => w.scope === 'individual').map((w) => w.nickname),
    ).toEqual(['An', 'Cường', 'Bình']);
    expect((await playoff({ ...tie, pin: extra.pin })).status).toBe(409);
    for (const g of [final, counted, extra]) g.close();
  });
});
