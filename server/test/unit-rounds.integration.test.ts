// Units as teams over real sockets: the host and the projector get the unit board at the leaderboard and the
// podium of a unit round; phones never do; kicked players never count for their unit.
import { describe, expect, it } from 'vitest';
import type { PhaseView, UnitBoard } from '../../protocol/events';
import type { ResultSet } from '../../protocol/organiser';
import { createGame, joinPlayer, login, shownChoice, TestClient, waitUntil } from './clients';
import { testServers, type Mode } from './servers';

const start = testServers('units', 'server/test/unit-contests');
// Bank order: q1 is true (index 0), q2 is false (index 1).
const RIGHT = [0, 1];

const boardOf = (v: PhaseView): UnitBoard | undefined => ('unitBoard' in v ? v.unitBoard : undefined);

/**
 * Plays round `roundId` (1000 points a correct answer) with: Phường A 3 players (2, 1, 0 correct); Phường B 2
 * players (2 correct each) and a 3rd who answers q1 right and is kicked; Trường C 1 player (2 correct); one
 * player with no unit (2 correct) in the round played alone.
 */
async function play(mode: Mode, roundId: string) {
  const s = await start(mode);
  const token = await login(s.url, s.organiserPassword);
  const { pin, hostToken } = await createGame(s.url, token, 'doi', roundId);
  const game = await s.app.store.getGame(pin);
  const host = await new TestClient(s.url, '/host').connected();
  await host.ok('host:attach', { pin, hostToken });
  const screen = await new TestClient(s.url, '/screen').connected();
  await screen.ok('screen:attach', { pin });
  // In a unit round a join without a unit is refused and adds nobody; in a round played alone it is fine.
  const unitRound = roundId !== 'ca-nhan';
  if (unitRound) {
    const stray = await new TestClient(s.url, '/play').connected();
    expect(await stray.emit('player:join', { pin, nickname: 'Hà', group: 'nguoi-dan', consent: true })).toMatchObject({
      ok: false,
      error: { code: 'UNIT_REQUIRED' },
    });
    expect(await s.app.store.playerCount(pin)).toBe(0);
    stray.close();
  }
  const roster: [string, string | undefined, number][] = [
    ['An', 'phuong-a', 2],
    ['Bảo', 'phuong-a', 1],
    ['Cúc', 'phuong-a', 0],
    ['Gian', 'phuong-b', 2],
    ['Dung', 'phuong-b', 2],
    ['Em', 'phuong-b', 2],
    ['Giang', 'truong-c', 2],
    ['Hà', undefined, 2],
  ].filter(([, unit]) => unit || !unitRound) as [string, string | undefined, number][];
  const players = await Promise.all(roster.map(([name, unit]) => joinPlayer(s.url, pin, name, unit ? { unit } : {})));
  const cheat = players[3]!;
  await host.ok('host:command', { type: 'start' });
  for (let q = 0; q < 2; q++) {
    const active = q === 0 ? players : players.filter((p) => p !== cheat);
    await Promise.all(active.map((p) => p.client.phase('open', q)));
    await Promise.all(
      active.map((p) => {
        const right = roster[players.indexOf(p)]![2] > q;
        return p.client.ok('answer:submit', {
          questionIndex: q,
          choice: shownChoice(game, q, right ? RIGHT[q]! : 1 - RIGHT[q]!),
        });
      }),
    );
    await host.phase('reveal', q);
    if (q === 0) await host.ok('host:command', { type: 'kick', playerId: cheat.join.me.playerId });
    await host.ok('host:command', { type: 'next' });
    await screen.phase('leaderboard', q);
    await host.phase('leaderboard', q);
    await host.ok('host:command', { type: 'next' });
  }
  await screen.phase('podium');
  await host.phase('podium');
  const phones = players.filter((p) => p !== cheat);
  await Promise.all(phones.map((p) => p.client.phase('podium')));
  return {
    s,
    pin,
    host,
    screen,
    phones,
    close: () => [host, screen, ...players.map((p) => p.client)].forEach((c) => c.close()),
  };
}

describe.each<Mode>(['memory', 'redis'])('a unit round (%s store)', (mode) => {
  it('average with minPlayers 2: ranked units first, the small unit shown unranked, the kicked player not counted', async () => {
    const { s, host, screen, phones, close } = await play(mode, 'trung-binh');
    const expected: UnitBoard = {
      score: 'average',
      minPlayers: 2,
      rows: [
        // The kicked player's 1000 points would make it 1667 of 3 players.
        { rank: 1, tied: false, unit: 'phuong-b', name: 'Phường B', players: 2, score: 2000 },
        { rank: 2, tied: false, unit: 'phuong-a', name: 'Phường A', players: 3, score: 1000 },
        { rank: null, tied: false, unit: 'truong-c', name: 'Trường C', players: 1, score: 2000 },
      ],
    };
    for (const c of [host, screen]) {
      const last = c.states.filter((v) => v.phase === 'leaderboard').at(-1)!;
      expect(boardOf(last)).toEqual(expected);
      expect(boardOf(c.states.at(-1)!)).toEqual(expected); // the podium
    }
    // After q1 (only q1 scored, Gian already kicked), Phường A had An 1000, Bảo 1000, Cúc 0: 667.
    const first = host.states.find((v) => v.phase === 'leaderboard' && v.index === 0)!;
    expect(boardOf(first)!.rows.map((r) => [r.unit, r.players, r.score])).toEqual([
      ['phuong-b', 2, 1000],
      ['phuong-a', 3, 667],
      ['truong-c', 1, 1000],
    ]);
    // Phones never get the unit board.
    for (const p of phones) {
      for (const v of p.client.states) expect(boardOf(v)).toBeUndefined();
      expect(p.client.raw.some((r) => r.includes('unitBoard'))).toBe(false);
    }

    // The organisers' results of the round: the unit ranking, and collective prizes by it. By the plain average of
    // every unit, Trường C (2000, one player) would tie for first; in this unit round it is below minPlayers.
    await host.ok('host:command', { type: 'next' });
    await host.phase('ended');
    const auth = { authorization: `Bearer ${await login(s.url, s.organiserPassword)}` };
    const preview = (await (
      await fetch(`${s.url}/api/results/round/doi/trung-binh`, { headers: auth })
    ).json()) as ResultSet;
    expect(preview.teams).toEqual({ roundId: 'trung-binh', score: 'average', minPlayers: 2, units: expected.rows });
    const locked = await fetch(`${s.url}/api/results/round/doi/trung-binh/lock`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(locked.status).toBe(200);
    const set = (await locked.json()) as ResultSet;
    expect(set.winners.filter((w) => w.scope === 'collective').map((w) => [w.label, w.unit, w.rank])).toEqual([
      ['Giải Nhất đơn vị', 'phuong-b', 1],
      ['Giải Nhì đơn vị', 'phuong-a', 2],
    ]);
    expect(set.teams?.units).toEqual(expected.rows);
    const csv = await (await fetch(`${s.url}/api/results/round/doi/trung-binh/teams.csv`, { headers: auth })).text();
    expect(csv.split(/\r?\n/).slice(0, 4)).toEqual([
      'Hạng,Đồng hạng,Mã đơn vị,Tên đơn vị,Số người chơi,Điểm đơn vị,Cách tính,Ghi chú',
      '1,,phuong-b,Phường B,2,2000,Điểm trung bình,',
      '2,,phuong-a,Phường A,3,1000,Điểm trung bình,',
      ',,truong-c,Trường C,1,2000,Điểm trung bình,Chưa xếp hạng: dưới 2 người chơi',
    ]);
    close();
  });
});

describe('rounds with other settings (memory store)', () => {
  it('bestN sums the best n of each unit; every unit ranked with the default minPlayers', async () => {
    const { host, close } = await play('memory', 'hai-nguoi');
    expect(boardOf(host.states.at(-1)!)).toEqual({
      score: 'bestN',
      n: 2,
      minPlayers: 1,
      rows: [
        { rank: 1, tied: false, unit: 'phuong-b', name: 'Phường B', players: 2, score: 4000 },
        { rank: 2, tied: false, unit: 'phuong-a', name: 'Phường A', players: 3, score: 3000 },
        { rank: 3, tied: false, unit: 'truong-c', name: 'Trường C', players: 1, score: 2000 },
      ],
    });
    close();
  });

  it('a round without teams has no unit board', async () => {
    const { host, screen, close } = await play('memory', 'ca-nhan');
    await waitUntil(() => screen.states.some((v) => v.phase === 'podium'), 'podium');
    for (const v of [...host.states, ...screen.states]) expect(boardOf(v)).toBeUndefined();
    close();
  });
});
