// One device, one player per game across nodes: two nodes on one Redis, each with its own device index warm (so
// neither node's index knows the phone), and the phone joining through both at once. Only the store's atomic check
// in the add-player script can tell the two joins apart.
import { describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/errors';
import type { JoinResult } from '../../protocol/events';
import { createGame, joinPlayer, login, TestClient } from './clients';
import { testPrefix } from './helpers';
import { testServers } from './servers';

const start = testServers('device-nodes', 'server/test/contests');
const device = (n: string) => `kiem-thu-thiet-bi-${n}`;
const join = (client: TestClient, pin: string, nickname: string, dev: string) =>
  client.emit<JoinResult>('player:join', { pin, nickname, group: 'nguoi-dan', consent: true, device: device(dev) });

describe('one device, one player per game, on two Redis nodes', () => {
  it('the same device joining through node A and node B at once makes exactly one player; it resumes on either', async () => {
    const prefix = testPrefix('device-nodes');
    const a = await start('redis', { prefix });
    const b = await start('redis', { prefix });
    const session = await login(a.url, a.organiserPassword);
    const { pin } = await createGame(a.url, session, 'quick', 'dai');
    // Each node reads the game's devices into its index now: the phone below joins well within their refresh.
    const warm = await Promise.all([
      joinPlayer(a.url, pin, 'Ông Năm', { device: device('a') }),
      joinPlayer(b.url, pin, 'Bà Sáu', { device: device('b') }),
    ]);

    for (let round = 0; round < 5; round++) {
      const [onA, onB] = await Promise.all([
        new TestClient(a.url, '/play').connected(),
        new TestClient(b.url, '/play').connected(),
      ]);
      const acks = await Promise.all([
        join(onA, pin, `Chú Bảy ${round}`, `x${round}`),
        join(onB, pin, `Cô Tám ${round}`, `x${round}`),
      ]);
      expect(acks.filter((r) => r.ok)).toHaveLength(1);
      expect(acks.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'DEVICE_ALREADY_JOINED' } });
      const winner = acks.find((r): r is Extract<Ack<JoinResult>, { ok: true }> => r.ok)!;
      // The player who got in resumes through the other node too.
      const other = await new TestClient(acks[0]!.ok ? b.url : a.url, '/play').connected();
      const resumed = await other.ok<JoinResult>('player:resume', { pin, token: winner.data.token });
      expect(resumed.me.playerId).toBe(winner.data.me.playerId);
      for (const c of [onA, onB, other]) c.close();
    }
    expect(await a.app.store.playerCount(pin)).toBe(2 + 5);
    const devices = (await a.app.store.getPlayers(pin)).map((p) => p.device);
    expect(new Set(devices).size).toBe(devices.length);
    for (const w of warm) w.client.close();
  });
});
