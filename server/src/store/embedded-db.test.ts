import { setTimeout as delay } from 'node:timers/promises';
import type { RootDatabase } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { journaledDrivers } from '../../test/journaled';
import { initialState } from '../game/state';
import { gameRecord, playerRecord } from '../../test/records';
import { EmbeddedDb } from './embedded-db';

const drivers = await journaledDrivers();
afterAll(() => drivers.remove(drivers.db));
/** LMDB's count of committed transactions (read-only introspection of the database the journal writes). */
const commits = (db: EmbeddedDb) =>
  ((db as unknown as { root: RootDatabase }).root.getStats() as { lastTxnId: number }).lastTxnId;
const game = gameRecord('123456');
const player = (id: string) => playerRecord(id);

describe(EmbeddedDb.name, () => {
  it('commits joins and answers that arrive a few ms apart in a few groups, and acks each once it is durable', async () => {
    const { db, store } = drivers;
    await store.createGame(game, initialState());
    const before = commits(db);
    // Phones joining, 100 a second: each write comes in its own turn, nobody waits for the one before.
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i++) {
      acks.push(store.addPlayer(game.pin, player(`p${i}`), `p${i}`, `token-${i}`));
      await delay(10);
    }
    await Promise.all(acks);
    // LMDB alone made a synced commit per write (each one is over before the next write comes); a group collects
    // for 25 ms: about 30 commits in the second.
    expect(commits(db) - before).toBeLessThan(50);

    // Every acknowledged write is in the journal: fresh drivers rebuilt from it have them all.
    const again = await drivers.reopen();
    expect((await again.store.getPlayers(game.pin)).map((p) => p.id).sort()).toEqual(
      Array.from({ length: 100 }, (_, i) => `p${i}`).sort(),
    );
    drivers.db = again.db;
    drivers.store = again.store;
  });

  it('commits other writes at once, so a caller awaiting each in turn is not slowed', async () => {
    const { db, store } = drivers;
    const before = commits(db);
    const started = Date.now();
    for (let i = 0; i < 20; i++) await store.createSession(`sweep-${i}`, 60_000);
    // 20 groups waiting 25 ms each would take 500 ms; a synced commit alone takes a few.
    expect(Date.now() - started).toBeLessThan(500);
    expect(commits(db) - before).toBe(20);
  });

  it('acks the writes of one commit a slice per event-loop turn, every one of them once it is durable', async () => {
    const { db, store } = drivers;
    const pin = '654321';
    await store.createGame(gameRecord(pin), initialState());
    const before = commits(db);
    // 450 phones joining in one turn: one commit; their acks come back in turns of at most 100.
    const turnOf: number[] = [];
    let turn = 0;
    let counting = true;
    const tick = () => {
      turn++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    await Promise.all(
      Array.from({ length: 450 }, (_, i) =>
        store.addPlayer(pin, player(`s${i}`), `s${i}`, `slice-token-${i}`).then(() => turnOf.push(turn)),
      ),
    );
    counting = false;
    expect(commits(db) - before).toBe(1);
    const perTurn = new Map<number, number>();
    for (const t of turnOf) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
    expect([...perTurn.values()]).toEqual([100, 100, 100, 100, 50]);
    // Acked in the order the writes ran, and each in the journal.
    expect(turnOf).toEqual([...turnOf].sort((a, b) => a - b));
    const again = await drivers.reopen();
    expect(await again.store.playerCount(pin)).toBe(450);
    drivers.db = again.db;
    drivers.store = again.store;
  });
});
