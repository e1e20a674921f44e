import { afterAll, describe, expect, it } from 'vitest';
import { journaledDrivers, stateOf } from '../../test/journaled';
import { initialState, type GameState } from '../game/state';
import { MemoryStore } from './memory';
import type { RedisStore } from './redis';
import type { ScoredQuestion, Store } from './store';
import { redisStore } from '../../test/helpers';
import { gameRecord, playerRecord } from '../../test/records';

const game = (pin: string) => gameRecord(pin);
let joined = 0;
const player = (id: string, unit?: string) => playerRecord(id, unit, ++joined);
const openState = (now: number, over: Partial<GameState> = {}): GameState => ({
  ...initialState(),
  seq: 2,
  phase: 'open',
  index: 0,
  openedAt: now,
  limitMs: 10_000,
  ...over,
});

const redis = redisStore('contract');
const journaled = await journaledDrivers();
const drivers: [string, Store][] = [
  ['memory', new MemoryStore()],
  ['memory, journaled (DATA_DIR)', journaled.store],
  ['redis', redis],
];
afterAll(async () => {
  await (redis as RedisStore).deleteAllKeys();
  await redis.close();
});

const scoredOne = (id: string, unit?: string): ScoredQuestion => ({
  index: 0,
  reveal: {
    correctOptions: [0],
    explanation: 'x',
    source: { title: 's' },
    distribution: [1],
    answered: 1,
    correctCount: 1,
  },
  players: [
    {
      playerId: id,
      group: 'nguoi-dan',
      ...(unit ? { unit } : {}),
      outcome: { answered: true, correct: true, points: 500, streakBonus: 0 },
      tally: {
        score: 500,
        correct: 1,
        answered: 1,
        timeMs: 1000,
        streak: 1,
        bestStreak: 1,
        predictionError: null,
        lastAnswerAt: 5,
      },
      boardScore: 500,
      scoreDelta: 500,
    },
  ],
});

let pinSeq = 100000;
const nextPin = () => String(pinSeq++);

describe.each(drivers)('Store contract: %s', (_name, store) => {
  it('creates a game once per PIN and reads it back', async () => {
    const pin = nextPin();
    expect(await store.createGame(game(pin), initialState())).toBe(true);
    expect(await store.createGame(game(pin), initialState())).toBe(false);
    expect((await store.getGame(pin))?.pin).toBe(pin);
    expect(await store.getState(pin)).toEqual(initialState());
    expect(await store.getGame('999999')).toBeNull();
  });

  it('hands out the game record frozen, so no caller can change what the next one reads', async () => {
    const pin = nextPin();
    const created = game(pin);
    await store.createGame(created, initialState());
    created.title = 'changed by the creator afterwards';
    const read = (await store.getGame(pin))!;
    expect(read.title).not.toBe(created.title);
    expect(() => {
      (read.questions[0] as { text: string }).text = 'changed';
    }).toThrow(TypeError);
    expect((await store.getGame(pin))!.questions[0]).toEqual(created.questions[0]);
  });

  it('saves state with compare-and-set on seq', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    const next = { ...initialState(), seq: 2, locked: true };
    expect(await store.saveState(pin, 1, next)).toBe(true);
    expect(await store.saveState(pin, 1, { ...next, seq: 3 })).toBe(false);
    expect((await store.getState(pin))?.locked).toBe(true);
  });

  it('adds players with unique nickname keys, refuses when locked, finds by token', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    expect(await store.addPlayer(pin, player('p1', 'u1'), 'an', 't1')).toEqual({ ok: true, players: 1 });
    expect(await store.addPlayer(pin, player('p2'), 'an', 't2')).toEqual({ ok: false, code: 'NICKNAME_TAKEN' });
    expect((await store.findPlayerByToken(pin, 't1'))?.id).toBe('p1');
    expect(await store.findPlayerByToken(pin, 'nope')).toBeNull();
    await store.saveState(pin, 1, { ...initialState(), seq: 2, locked: true });
    expect(await store.addPlayer(pin, player('p3'), 'binh', 't3')).toEqual({ ok: false, code: 'LOBBY_LOCKED' });
    expect(await store.addPlayer('000001', player('p3'), 'binh', 't3')).toEqual({ ok: false, code: 'GAME_NOT_FOUND' });
    expect(await store.playerCount(pin)).toBe(1);
  });

  it('one device, one player per game: a second join from it is refused atomically, even after a kick', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    const on = (id: string, device?: string) => ({ ...player(id), ...(device ? { device } : {}) });
    expect(await store.addPlayer(pin, on('d1', 'dev-a'), 'an', 'td1')).toEqual({ ok: true, players: 1 });
    // Refused before anything is written: the nickname stays free, no token, no count.
    expect(await store.addPlayer(pin, on('d2', 'dev-a'), 'binh', 'td2')).toEqual({
      ok: false,
      code: 'DEVICE_ALREADY_JOINED',
    });
    expect(await store.findPlayerByToken(pin, 'td2')).toBeNull();
    expect(await store.addPlayer(pin, on('d3', 'dev-b'), 'binh', 'td3')).toEqual({ ok: true, players: 2 });
    // A taken nickname does not claim the device.
    expect(await store.addPlayer(pin, on('d4', 'dev-c'), 'an', 'td4')).toEqual({ ok: false, code: 'NICKNAME_TAKEN' });
    expect(await store.addPlayer(pin, on('d5', 'dev-c'), 'chi', 'td5')).toEqual({ ok: true, players: 3 });
    // Players without a device id are not checked against each other.
    expect((await store.addPlayer(pin, on('n1'), 'n1', 'tn1')).ok).toBe(true);
    expect((await store.addPlayer(pin, on('n2'), 'n2', 'tn2')).ok).toBe(true);
    // A kicked player's device stays taken; the player who holds a device still resumes by token.
    expect(await store.kickPlayer(pin, 'd1')).toBe(true);
    expect(await store.addPlayer(pin, on('d6', 'dev-a'), 'dung', 'td6')).toEqual({
      ok: false,
      code: 'DEVICE_ALREADY_JOINED',
    });
    expect((await store.findPlayerByToken(pin, 'td3'))?.id).toBe('d3');
    expect((await store.getPlayers(pin)).map((p) => p.id)).toEqual(['d3', 'd5', 'n1', 'n2']);
    expect(await store.playerCount(pin)).toBe(4);
    // Another game is another chance for the same device.
    const other = nextPin();
    await store.createGame(game(other), initialState());
    expect((await store.addPlayer(other, on('o1', 'dev-a'), 'an', 'to1')).ok).toBe(true);
  });

  it('of joins racing from one device, exactly one is added', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.addPlayer(pin, { ...player(`r${i}`), device: 'dev-r' }, `r${i}`, `tr${i}`),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'DEVICE_ALREADY_JOINED')).toHaveLength(7);
    expect(await store.playerCount(pin)).toBe(1);
  });

  it('records the first answer only, on the shared clock, and refuses late, paused, wrong-phase and wrong-question answers', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    expect((await store.recordAnswer(pin, 0, 'p1', 1, 300)).ok).toBe(false); // lobby
    const now = await store.now();
    await store.saveState(pin, 1, openState(now - 1000));
    const first = await store.recordAnswer(pin, 0, 'p1', [0, 2], 300);
    expect(first.ok).toBe(true);
    if (first.ok) {
      expect(first.elapsedMs).toBeGreaterThanOrEqual(1000);
      expect(first.elapsedMs).toBeLessThan(3000);
      expect(first.answered).toBe(1);
      expect(first.players).toBe(0);
    }
    expect(await store.recordAnswer(pin, 0, 'p1', 1, 300)).toEqual({ ok: false, code: 'ALREADY_ANSWERED' });
    expect(await store.recordAnswer(pin, 1, 'p2', 1, 300)).toEqual({ ok: false, code: 'WRONG_QUESTION' });
    const answers = await store.getAnswers(pin, 0);
    expect(answers.get('p1')?.choice).toEqual([0, 2]);
    expect(await store.hasAnswered(pin, 0, 'p1')).toBe(true);
    expect(await store.answeredCount(pin, 0)).toBe(1);

    await store.saveState(pin, 2, openState(now - 10_200, { seq: 3 })); // deadline passed 200 ms ago: within grace
    expect((await store.recordAnswer(pin, 0, 'p2', 1, 300)).ok).toBe(true);
    await store.saveState(pin, 3, openState(now - 11_000, { seq: 4 })); // past deadline + grace
    expect(await store.recordAnswer(pin, 0, 'p3', 1, 300)).toEqual({ ok: false, code: 'TOO_LATE' });
    await store.saveState(pin, 4, openState(now, { seq: 5, pausedAt: now }));
    expect(await store.recordAnswer(pin, 0, 'p4', 1, 300)).toEqual({ ok: false, code: 'PAUSED' });
  });

  it('excludes paused time from elapsed time', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    const now = await store.now();
    await store.saveState(pin, 1, openState(now - 5000, { pausedMs: 4000 }));
    const r = await store.recordAnswer(pin, 0, 'p1', 0, 300);
    expect(r.ok && r.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(r.ok && r.elapsedMs).toBeLessThan(2500);
  });

  it('applies scores once behind the guard, and serves boards, ranks, outcomes and unit totals', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    await store.addPlayer(pin, player('a', 'u1'), 'a', 'ta');
    await store.addPlayer(pin, player('b', 'u1'), 'b', 'tb');
    await store.addPlayer(pin, player('c'), 'c', 'tc');
    const tally = (score: number) => ({
      score,
      correct: score ? 1 : 0,
      answered: 1,
      timeMs: 1000,
      streak: 1,
      bestStreak: 1,
      predictionError: null,
      lastAnswerAt: 5,
    });
    const scored: ScoredQuestion = {
      index: 0,
      reveal: {
        correctOptions: [1],
        explanation: 'x',
        source: { title: 's' },
        distribution: [1, 2],
        answered: 3,
        correctCount: 2,
      },
      players: [
        {
          playerId: 'a',
          group: 'nguoi-dan',
          unit: 'u1',
          outcome: { answered: true, correct: true, points: 900, streakBonus: 0 },
          tally: tally(900),
          boardScore: 900,
          scoreDelta: 900,
        },
        {
          playerId: 'b',
          group: 'nguoi-dan',
          unit: 'u1',
          outcome: { answered: true, correct: true, points: 700, streakBonus: 0 },
          tally: tally(700),
          boardScore: 700,
          scoreDelta: 700,
        },
        {
          playerId: 'c',
          group: 'hoc-sinh',
          outcome: { answered: true, correct: false, points: 0, streakBonus: 0 },
          tally: tally(0),
          boardScore: 0,
          scoreDelta: 0,
        },
      ],
    };
    expect(await store.isScored(pin, 0)).toBe(false);
    expect(await store.applyScores(pin, scored)).toBe(true);
    expect(await store.applyScores(pin, scored)).toBe(false);
    expect(await store.isScored(pin, 0)).toBe(true);
    expect((await store.getTallies(pin)).get('a')?.score).toBe(900);
    expect((await store.getTalliesFor(pin, ['b', 'zz'])).map((t) => t?.score ?? null)).toEqual([700, null]);
    expect(await store.topOfBoard(pin, { kind: 'game' }, 2)).toEqual([
      { playerId: 'a', value: 900 },
      { playerId: 'b', value: 700 },
    ]);
    expect((await store.topOfBoard(pin, { kind: 'group', group: 'hoc-sinh' }, 5)).map((e) => e.playerId)).toEqual([
      'c',
    ]);
    expect((await store.topOfBoard(pin, { kind: 'unit', unit: 'u1' }, 5)).map((e) => e.playerId)).toEqual(['a', 'b']);
    expect(Object.fromEntries(await store.ranks(pin))).toEqual({ a: 1, b: 2, c: 3 });
    expect(await store.rankOf(pin, 'b')).toBe(2);
    expect(await store.rankOf(pin, 'zz')).toBeNull();
    expect((await store.getOutcomes(pin, 0, ['b', 'zz'])).map((o) => o?.points ?? null)).toEqual([700, null]);
    expect((await store.getReveal(pin, 0))?.distribution).toEqual([1, 2]);
    expect(await store.unitTotals(pin)).toEqual([{ unit: 'u1', players: 2, totalScore: 1600 }]);

    expect(await store.kickPlayer(pin, 'b')).toBe(true);
    expect(await store.kickPlayer(pin, 'b')).toBe(false);
    expect(await store.findPlayerByToken(pin, 'tb')).toBeNull();
    expect(await store.getPlayer(pin, 'b')).toBeNull();
    expect((await store.getPlayers(pin)).map((p) => p.id)).toEqual(['a', 'c']);
    expect(await store.playerCount(pin)).toBe(2);
    expect(Object.fromEntries(await store.ranks(pin))).toEqual({ a: 1, c: 2 });
    expect(await store.unitTotals(pin)).toEqual([{ unit: 'u1', players: 1, totalScore: 900 }]);
    expect(await store.addPlayer(pin, player('b2'), 'b', 'tb2')).toEqual({ ok: false, code: 'NICKNAME_TAKEN' });
  });

  it('equal board values share a rank (1, 2, 2, 4): a phone never shows a rank its equal does not have', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    const scores = { a: 900, b: 700, c: 700, d: 0 };
    for (const id of Object.keys(scores)) await store.addPlayer(pin, player(id), id, `t${id}`);
    const tally = (score: number) => ({
      score,
      correct: score ? 1 : 0,
      answered: 1,
      timeMs: 1000,
      streak: 0,
      bestStreak: 0,
      predictionError: null,
      lastAnswerAt: 5,
    });
    await store.applyScores(pin, {
      index: 0,
      reveal: {
        correctOptions: [0],
        explanation: 'x',
        source: { title: 's' },
        distribution: [3, 1],
        answered: 4,
        correctCount: 3,
      },
      players: Object.entries(scores).map(([playerId, score]) => ({
        playerId,
        group: 'nguoi-dan',
        outcome: { answered: true, correct: score > 0, points: score, streakBonus: 0 },
        tally: tally(score),
        boardScore: score,
        scoreDelta: score,
      })),
    });
    expect(Object.fromEntries(await store.ranks(pin))).toEqual({ a: 1, b: 2, c: 2, d: 4 });
    expect(await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.rankOf(pin, id)))).toEqual([1, 2, 2, 4]);
  });

  it('a frozen game (results being locked) takes no scores and no kicks, in the same atomic step', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    await store.addPlayer(pin, player('a'), 'a', 'ta');
    expect(await store.scoresFrozen(pin)).toBe(false);
    await store.freezeScores(pin);
    expect(await store.scoresFrozen(pin)).toBe(true);
    const tally = {
      score: 900,
      correct: 1,
      answered: 1,
      timeMs: 1000,
      streak: 1,
      bestStreak: 1,
      predictionError: null,
      lastAnswerAt: 5,
    };
    const scored: ScoredQuestion = {
      index: 0,
      reveal: {
        correctOptions: [1],
        explanation: 'x',
        source: { title: 's' },
        distribution: [0, 1],
        answered: 1,
        correctCount: 1,
      },
      players: [
        {
          playerId: 'a',
          group: 'nguoi-dan',
          outcome: { answered: true, correct: true, points: 900, streakBonus: 0 },
          tally,
          boardScore: 900,
          scoreDelta: 900,
        },
      ],
    };
    expect(await store.applyScores(pin, scored)).toBe(false);
    expect(await store.isScored(pin, 0)).toBe(false); // not even the guard: nothing was applied
    expect((await store.getTallies(pin)).size).toBe(0);
    expect(await store.getReveal(pin, 0)).toBeNull();
    expect(await store.kickPlayer(pin, 'a')).toBe(false);
    expect(await store.getPlayer(pin, 'a')).not.toBeNull();
  });

  it('applies the scores of 20,000 players in one call, skipping a kicked one', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    // Two of them joined with their unit (the unit's player count); p3 is then kicked.
    await store.addPlayer(pin, player('p1', 'u1'), 'p1', 't1');
    await store.addPlayer(pin, player('p3', 'u1'), 'p3', 't3');
    expect(await store.kickPlayer(pin, 'p3')).toBe(true);
    const n = 20_000;
    const players: ScoredQuestion['players'] = Array.from({ length: n }, (_, i) => ({
      playerId: `p${i}`,
      group: 'nguoi-dan',
      unit: i % 2 ? 'u1' : undefined,
      outcome: { answered: true, correct: true, points: i, streakBonus: 0 },
      tally: {
        score: i,
        correct: 1,
        answered: 1,
        timeMs: 1,
        streak: 1,
        bestStreak: 1,
        predictionError: null,
        lastAnswerAt: 1_795_515_279_676,
      },
      boardScore: 12_345_678_901 + i, // accuracy-mode sized numbers stay exact
      scoreDelta: i,
    }));
    const reveal = {
      correctOptions: [0],
      explanation: 'x',
      source: { title: 's' },
      distribution: [n],
      answered: n,
      correctCount: n,
    };
    expect(await store.applyScores(pin, { index: 0, players, reveal })).toBe(true);
    expect((await store.topOfBoard(pin, { kind: 'game' }, 1))[0]).toEqual({
      playerId: `p${n - 1}`,
      value: 12_345_678_901 + n - 1,
    });
    expect((await store.getTalliesFor(pin, ['p7']))[0]?.lastAnswerAt).toBe(1_795_515_279_676);
    expect((await store.ranks(pin)).size).toBe(n - 1);
    expect(await store.topOfBoard(pin, { kind: 'group', group: 'nguoi-dan' }, n)).toHaveLength(n - 1);
    expect(await store.topOfBoard(pin, { kind: 'unit', unit: 'u1' }, n)).toHaveLength(n / 2 - 1);
    expect(await store.getOutcomes(pin, 0, ['p3', 'p19999'])).toEqual([
      null,
      { answered: true, correct: true, points: 19_999, streakBonus: 0 },
    ]);
    // The odd players are in u1: 1 + 3 + … + 19,999 = 10,000², less the kicked p3's 3.
    expect(await store.unitTotals(pin)).toEqual([{ unit: 'u1', players: 1, totalScore: 100_000_000 - 3 }]);
  });

  it('anonymises a player: new nickname, nickname released, group, unit and tallies kept', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    await store.addPlayer(pin, player('p1', 'u1'), 'an', 't1');
    expect(await store.anonymisePlayer(pin, 'p1', 'Đã xóa', 'an')).toBe(true);
    expect(await store.anonymisePlayer(pin, 'nobody', 'Đã xóa', 'x')).toBe(false);
    expect(await store.getPlayer(pin, 'p1')).toMatchObject({
      id: 'p1',
      nickname: 'Đã xóa',
      group: 'nguoi-dan',
      unit: 'u1',
    });
    expect((await store.addPlayer(pin, player('p2'), 'an', 't2')).ok).toBe(true);
  });

  it('expires a game as a whole at a set time: the PIN then reads as no game and takes a new one', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    await store.addPlayer(pin, { ...player('x1', 'u1'), device: 'dev-x1' }, 'an', 'tx1');
    await store.addPlayer(pin, player('x2', 'u2'), 'binh', 'tx2');
    const now = await store.now();
    expect(await store.expireGame(pin, now + 400)).toBe(true);
    expect(await store.expireGame('999997', now + 400)).toBe(false);
    // Written after the expiry was set (a kick, a lock, a scoring job the end overtook): they go with the game.
    expect(await store.kickPlayer(pin, 'x2')).toBe(true);
    expect(await store.applyScores(pin, scoredOne('x1', 'u1'))).toBe(true);
    await store.freezeScores(pin);
    expect((await store.getGame(pin))?.pin).toBe(pin);
    expect((await store.getKickedPlayers(pin)).map((p) => p.id)).toEqual(['x2']);
    await new Promise((r) => setTimeout(r, 500));
    expect(await store.getGame(pin)).toBeNull();
    expect(await store.getState(pin)).toBeNull();
    expect(await store.getPlayers(pin)).toEqual([]);
    expect(await store.getKickedPlayers(pin)).toEqual([]);
    expect(await store.findPlayerByToken(pin, 'tx1')).toBeNull();
    expect(await store.topOfBoard(pin, { kind: 'game' }, 5)).toEqual([]);
    expect(await store.scoresFrozen(pin)).toBe(false);
    expect(await store.isScored(pin, 0)).toBe(false);
    expect(await store.expireGame(pin, now + 60_000)).toBe(false);
    // What is left of it leaves memory (and the embedded journal) too; Redis dropped the keys itself.
    expect(await store.removeExpiredGames()).toBe(store.kind === 'memory');
    expect(await store.removeExpiredGames()).toBe(false);
    if (store instanceof MemoryStore) expect(store.snapshot().games.has(pin)).toBe(false);
    // A new game on the PIN starts empty: no old player, token, nickname, score, freeze or expiry.
    expect(await store.createGame(game(pin), initialState())).toBe(true);
    expect(await store.getPlayers(pin)).toEqual([]);
    expect(await store.findPlayerByToken(pin, 'tx1')).toBeNull();
    expect(await store.addPlayer(pin, { ...player('y1'), device: 'dev-x1' }, 'an', 'ty1')).toEqual({
      ok: true,
      players: 1,
    });
    expect(await store.getTallies(pin)).toEqual(new Map());
    expect(await store.scoresFrozen(pin)).toBe(false);
    expect(await store.unitTotals(pin)).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect((await store.getGame(pin))?.pin).toBe(pin);
  });

  it('lists kicked players apart from those still playing', async () => {
    const pin = nextPin();
    await store.createGame(game(pin), initialState());
    await store.addPlayer(pin, player('k1'), 'k1', 'tk1');
    await store.addPlayer(pin, player('k2'), 'k2', 'tk2');
    expect(await store.getKickedPlayers(pin)).toEqual([]);
    await store.kickPlayer(pin, 'k1');
    expect((await store.getKickedPlayers(pin)).map((p) => p.nickname)).toEqual(['k1']);
    expect((await store.getPlayers(pin)).map((p) => p.id)).toEqual(['k2']);
    // A kicked player's data can be deleted: the nickname is replaced and its key released.
    expect(await store.anonymisePlayer(pin, 'k1', 'Đã xóa', 'k1')).toBe(true);
    expect((await store.getKickedPlayers(pin)).map((p) => p.nickname)).toEqual(['Đã xóa']);
  });

  it('keeps organiser sessions until they expire', async () => {
    await store.createSession('s1', 60_000);
    await store.createSession('s2', 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.hasSession('s1')).toBe(true);
    expect(await store.hasSession('s2')).toBe(false);
    expect(await store.hasSession('s3')).toBe(false);
  });

  it('has a clock within a second of this machine', async () => {
    expect(Math.abs((await store.now()) - Date.now())).toBeLessThan(1000);
  });
});

it('redis driver: every key of a game gets the expiry, those written after it too, and a past time deletes them all', async () => {
  const r = redis as RedisStore;
  const pin = nextPin();
  // One question (the store reads only how many there are): its keys are part of the game.
  await r.createGame(gameRecord(pin, 1), initialState());
  await r.addPlayer(pin, { ...player('e1', 'u1'), device: 'de1' }, 'e1', 'te1');
  await r.saveState(pin, 1, openState(await r.now()));
  await r.recordAnswer(pin, 0, 'e1', 0, 300);
  const at = (await r.now()) + 3_600_000;
  expect(await r.expireGame(pin, at)).toBe(true);
  // Written after: state (kept TTL), a second player, a kick, scores, the freeze.
  await r.saveState(pin, 2, { ...openState(await r.now()), seq: 3, phase: 'closed' });
  await r.addPlayer(pin, { ...player('e2', 'u2'), device: 'de2' }, 'e2', 'te2');
  await r.kickPlayer(pin, 'e2');
  await r.applyScores(pin, scoredOne('e1', 'u1'));
  await r.freezeScores(pin);
  const keys = await r.keysOfGame(pin);
  expect(keys.length).toBeGreaterThanOrEqual(16);
  expect(keys.some((k) => k.endsWith(':devices'))).toBe(true);
  for (const key of keys) expect([key, await r.expiryOf(key)]).toEqual([key, at]);
  await r.expireGame(pin, (await r.now()) - 1);
  expect(await r.keysOfGame(pin)).toEqual([]);
});

it('journaled memory driver: a restart rebuilds exactly the state every write above left', async () => {
  const again = await journaled.reopen();
  expect(stateOf(again.store)).toEqual(stateOf(journaled.store));
  await journaled.remove(again.db);
});
