// The tester's attack on the prize rules, replayed: five phones, a warm-up and a final, both locked.
import { describe, expect, it } from 'vitest';
import type { Claim, PrizePreview, ResultSet } from '../../protocol/organiser';
import { createGame, joinPlayer, shownChoice, TestClient } from './clients';
import { organiserApi } from './organiser-api';
import { testServers, type Mode } from './servers';

const server = testServers('prizes', 'server/test/prize-contests');
const CONTEST = 'giai-chung-ket';

/** The five phones: group, and the option chosen per question (null: no answer). Final keys: B, C, Đúng. */
const PEOPLE = [
  { nickname: 'An', group: 'can-bo', final: [1, 2, 0] }, // 3 correct
  { nickname: 'Bình', group: 'hoc-sinh', final: [1, 2, 1] }, // 2 correct
  { nickname: 'Cường', group: 'hoc-sinh', final: [1, 0, 0] }, // 2 correct: tied with Bình on every key
  { nickname: 'Dũng', group: 'can-bo', final: [1, 0, 1] }, // 1 correct
  { nickname: 'Không', group: 'nguoi-dan', final: [null, null, null] }, // never answers
] as const;

describe.each<Mode>(['memory', 'redis'])('prize rules (%s store)', (mode) => {
  it('a warm-up lock issues nothing; the final names no zero scorer, nobody twice, frees places to the next eligible; a second lock issues no second set', async () => {
    const s = await server(mode);
    const { url } = s;
    const { token, get, lock } = await organiserApi(url, s.organiserPassword);
    const clients: TestClient[] = [];

    /** Plays one game of a round to the end: each phone answers as told, the host closes what is left open. */
    const play = async (roundId: string, choices: (readonly (number | null)[])[]) => {
      const game = await createGame(url, token, CONTEST, roundId);
      const record = await s.app.store.getGame(game.pin);
      const host = await new TestClient(url, '/host').connected();
      await host.ok('host:attach', { pin: game.pin, hostToken: game.hostToken });
      const players = await Promise.all(PEOPLE.map((p) => joinPlayer(url, game.pin, p.nickname, { group: p.group })));
      clients.push(host, ...players.map((p) => p.client));
      await host.ok('host:command', { type: 'start' });
      for (let q = 0; q < choices[0]!.length; q++) {
        await Promise.all(players.map((p) => p.client.phase('open', q)));
        await Promise.all(
          players.map((p, i) =>
            choices[i]![q] === null
              ? null
              : p.client.ok('answer:submit', { questionIndex: q, choice: shownChoice(record, q, choices[i]![q]!) }),
          ),
        );
        // The silent phone never answers: the host closes the question.
        await host.emit('host:command', { type: 'close' });
        await host.phase('reveal', q);
        await host.ok('host:command', { type: 'next' });
        await host.ok('host:command', { type: 'next' });
      }
      await host.phase('podium');
      await host.ok('host:command', { type: 'next' });
      await host.phase('ended');
      return { pin: game.pin, host, players, ids: players.map((p) => p.join.me.playerId) };
    };

    // Warm-up: Dũng answers wrong, the silent phone nothing; the other three are right.
    const warmUp = await play(
      'khoi-dong',
      PEOPLE.map((p) => [p.final[0] === null ? null : p.nickname === 'Dũng' ? 1 : 0]),
    );
    // The projector's board: equal scores share a rank (Dũng and the silent phone, both 0).
    const board =
      (warmUp.host.states.find((v) => v.phase === 'leaderboard') as { top?: { nickname: string; rank: number }[] })
        .top ?? [];
    const zeroRanks = board.filter((r) => r.nickname === 'Dũng' || r.nickname === 'Không').map((r) => r.rank);
    expect(zeroRanks).toHaveLength(2);
    expect(zeroRanks[0]).toBe(zeroRanks[1]);
    // Their phones say the same: equal scores, equal rank (not 4th and 5th by join order).
    const phoneRanks = [3, 4].map(
      (i) => warmUp.players[i]!.client.results.find((r) => r.questionIndex === 0)?.standing.rank,
    );
    expect(phoneRanks).toEqual([zeroRanks[0], zeroRanks[0]]);
    const final = await play(
      'chung-ket',
      PEOPLE.map((p) => p.final),
    );
    const person = (i: number) => `${final.pin}:${final.ids[i]}`;
    const contestClaims = async () =>
      (await get<Claim[]>('/api/claims')).filter((c) => [warmUp.pin, final.pin].includes(c.pin));

    // The warm-up is outside the prize rounds: its lock names and issues nothing.
    const warmPreview = await get<PrizePreview>(`/api/results/round/${CONTEST}/khoi-dong/prizes`);
    expect(warmPreview.prizeScope).toMatchObject({
      rounds: ['chung-ket'],
      namesPrizes: false,
      reason: 'outside-prize-rounds',
    });
    expect(warmPreview.tiers.flatMap((t) => t.winners)).toEqual([]);
    const warmLock = await lock(`/api/results/round/${CONTEST}/khoi-dong`);
    expect(warmLock.status).toBe(200);
    expect(((await warmLock.json()) as ResultSet).winners).toEqual([]);
    expect(await contestClaims()).toEqual([]);

    // The final's preview: what the lock will name, the tie at the Nhì/Ba cut, who was passed over and why.
    const preview = await get<PrizePreview>(`/api/results/round/${CONTEST}/chung-ket/prizes`);
    expect(preview.prizeScope).toMatchObject({ namesPrizes: true, onePerPerson: true, eligibility: { minCorrect: 1 } });
    expect(preview.lock).toBeNull();
    const named = (p: PrizePreview) =>
      p.tiers
        .filter((t) => t.winners.length)
        .map((t) => [t.scope, t.group ?? '', t.tier, t.winners.map((w) => w.nickname).sort()]);
    const tiedWinners = preview.tiers
      .filter((t) => t.tier === 'nhi' || t.tier === 'ba')
      .flatMap((t) => t.winners.map((w) => w.nickname))
      .sort();
    expect(tiedWinners).toEqual(['Bình', 'Cường']);
    expect(named(preview).filter((n) => n[2] !== 'nhi' && n[2] !== 'ba')).toEqual([
      ['individual', '', 'nhat', ['An']],
      // An keeps Giải Nhất; can-bo's first prize goes to the next eligible in the group.
      ['group', 'can-bo', 'nhat-nhom', ['Dũng']],
    ]);
    expect(preview.tiesAtCut.map((t) => [t.ranking, [...t.members].sort()])).toEqual([
      ['overall', [person(1), person(2)].sort()],
    ]);
    // (Bình and Cường are tied: their order is only by id.)
    expect(preview.skipped.map((x) => [x.list, x.group ?? '', x.nickname ?? '', x.reason]).sort()).toEqual([
      ['group', 'can-bo', 'An', 'already-won-higher'],
      ['group', 'hoc-sinh', 'Bình', 'already-won-higher'],
      ['group', 'hoc-sinh', 'Cường', 'already-won-higher'],
      ['group', 'nguoi-dan', 'Không', 'below-min-correct'],
    ]);

    // The tie at the cut is never settled silently: the lock refuses until it is accepted.
    const refused = await lock(`/api/results/round/${CONTEST}/chung-ket`);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { ties: unknown[] }).ties).toHaveLength(1);
    // A lock names what the organiser reviewed: a digest of another preview is refused with the current one.
    expect(preview.digest).toMatch(/^[0-9a-f]{64}$/);
    const stale = await lock(`/api/results/round/${CONTEST}/chung-ket`, {
      acceptTies: true,
      previewDigest: 'f'.repeat(64),
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { preview: PrizePreview }).preview).toEqual(preview);
    expect((await lock(`/api/results/round/${CONTEST}/chung-ket`, { previewDigest: 'not-a-digest' })).status).toBe(400);
    const locked = (await (
      await lock(`/api/results/round/${CONTEST}/chung-ket`, { acceptTies: true, previewDigest: preview.digest })
    ).json()) as ResultSet;
    // Locking names exactly what the preview showed.
    expect(new Set(locked.winners.map((w) => `${w.scope}|${w.group ?? ''}|${w.tier}|${w.playerId}`))).toEqual(
      new Set(
        preview.tiers.flatMap((t) => t.winners).map((w) => `${w.scope}|${w.group ?? ''}|${w.tier}|${w.playerId}`),
      ),
    );
    const lockedPreview = await get<PrizePreview>(`/api/results/round/${CONTEST}/chung-ket/prizes`);
    expect(lockedPreview.lock?.sha256).toBe(locked.lock!.sha256);
    // Served from the locked copy, the preview names exactly what it named before the lock.
    expect({ ...lockedPreview, lock: null }).toEqual(preview);

    const claims = await contestClaims();
    expect(claims.map((c) => [c.nickname, c.tier]).sort()).toEqual(
      [
        ['An', 'nhat'],
        ['Dũng', 'nhat-nhom'],
        ...named(preview)
          .filter((n) => n[2] === 'nhi' || n[2] === 'ba')
          .map((n) => [(n[3] as string[])[0]!, n[2] as string]),
      ].sort(),
    );
    expect(claims.some((c) => c.playerId === final.ids[4] || c.pin === warmUp.pin)).toBe(false); // the silent phone, the warm-up
    const holders = claims.map((c) => `${c.pin}:${c.playerId}`);
    expect(new Set(holders).size).toBe(holders.length); // nobody holds two

    // Locking the whole contest names the same prizes again: no second set of claims.
    const contestLock = await lock(`/api/results/contest/${CONTEST}`, { acceptTies: true });
    expect(contestLock.status).toBe(200);
    const contestSet = (await contestLock.json()) as ResultSet;
    expect(contestSet.winners.map((w) => w.playerId).sort()).toEqual(locked.winners.map((w) => w.playerId).sort());
    expect((await contestClaims()).map((c) => c.code).sort()).toEqual(claims.map((c) => c.code).sort());

    for (const c of clients) c.close();
  });
});
