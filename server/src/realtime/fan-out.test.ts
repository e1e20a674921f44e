import { describe, expect, it, vi } from 'vitest';
import { createRequire } from 'node:module';
import { Server, type Socket } from 'socket.io';
import { EVENTS, NAMESPACES, type PhaseView, type PlayerResult } from '../../../protocol/events';
import type { PlayerRecord } from '../game/state';
import type { Metrics } from '../metrics';
import type { Store } from '../store/store';
import { FanOut, wsTextFrame } from './fan-out';

/** ws's frame parser (exported by ws, not declared by @types/ws). */
const { Receiver } = createRequire(import.meta.url)('ws') as {
  Receiver: new (opts: { isServer: boolean }) => {
    on(event: 'message', f: (data: Buffer, isBinary: boolean) => void): void;
    on(event: 'error', f: (err: Error) => void): void;
    write(chunk: Buffer): void;
  };
};

/** What a WebSocket client reads from the bytes: ws's own frame parser, as a phone's browser would parse them. */
function read(frame: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) =>
      isBinary ? reject(new Error('binary frame')) : resolve(data.toString()),
    );
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe(wsTextFrame.name, () => {
  // Lengths around the 7-bit, 16-bit and 64-bit length forms; Vietnamese text is 1–3 bytes a character.
  it.each([0, 1, 125, 126, 127, 65535, 65536, 70000])('%i bytes of parts, in order, as one text frame', async (n) => {
    const text = 'Câu hỏi số 1: ' + 'ạ'.repeat(Math.floor(n / 3));
    const bytes = Buffer.from(text).subarray(0, n);
    const whole = bytes.toString().replace(/\uFFFD$/, '');
    const head = whole.slice(0, whole.length >> 1);
    const tail = Buffer.from(whole.slice(whole.length >> 1));
    const frame = wsTextFrame([head, tail, '}]']);
    expect(await read(frame)).toBe(`${whole}}]`);
  });
});

describe('the reveal to phones', () => {
  const pin = '123456';
  const reveal = { pin, seq: 7, phase: 'reveal', note: 'Câu hỏi' } as unknown as PhaseView;

  /** A FanOut over fake phones whose writes are recorded: `results` answers each chunk's read (a chunk, its ranks). */
  function setup(
    phones: number,
    results: (players: PlayerRecord[], ranks: Map<string, number> | undefined) => (PlayerResult | null)[],
  ) {
    const io = new Server();
    const sent: { id: string; packet: string; frame: Buffer }[] = [];
    const reads: { ids: string[]; ranks: Map<string, number> | undefined }[] = [];
    const errors: string[] = [];
    const ranks = new Map([['p0', 1]]);
    const store = { ranks: vi.fn(async () => ranks) };
    const fanOut = new FanOut(io, {
      store: store as unknown as Store,
      metrics: { liveGames: { set() {} } } as unknown as Metrics,
      log: { error: (_obj, msg) => void errors.push(msg) },
      clustered: false,
      personalResults: async (_pin, _index, players, boardRanks) => {
        reads.push({ ids: players.map((p) => p.id), ranks: boardRanks });
        return results(players, boardRanks);
      },
    });
    for (let i = 0; i < phones; i++) {
      const id = `p${i}`;
      const writeToEngine = (packets: string[], opts: { wsPreEncodedFrame: Buffer[] }) =>
        sent.push({ id, packet: packets[0]!, frame: opts.wsPreEncodedFrame[0]! });
      fanOut.addContestant(pin, { id } as PlayerRecord, { client: { writeToEngine } } as unknown as Socket);
    }
    const done = async () => {
      await vi.waitFor(() => expect(sent).toHaveLength(phones));
      fanOut.close();
    };
    return { fanOut, sent, reads, errors, store, ranks, done };
  }
  /** The event and payload of a packet, and the frame's text is the same packet. */
  async function message(m: { packet: string; frame: Buffer }) {
    expect(await read(m.frame)).toBe(`4${m.packet}`);
    expect(m.packet.startsWith(`2${NAMESPACES.play},`)).toBe(true);
    return JSON.parse(m.packet.slice(m.packet.indexOf(',') + 1)) as [string, unknown];
  }
  const resultOf = (p: PlayerRecord) => ({ questionIndex: 2, points: p.id }) as unknown as PlayerResult;

  it('reads the results a chunk at a time with the board ranks read once, and sends each phone its own', async () => {
    const { fanOut, sent, reads, store, ranks, done } = setup(1000, (players) => players.map(resultOf));
    fanOut.revealed(pin, 2, { play: reveal, viewers: reveal });
    await done();
    expect(store.ranks).toHaveBeenCalledTimes(1);
    expect(reads.map((r) => r.ids.length)).toEqual([400, 400, 200]);
    expect(reads.every((r) => r.ranks === ranks)).toBe(true);
    expect(reads.flatMap((r) => r.ids)).toEqual(sent.map((m) => m.id));
    expect(sent.map((m) => m.id)).toEqual(Array.from({ length: 1000 }, (_, i) => `p${i}`));
    for (const m of [sent[0]!, sent[399]!, sent[400]!, sent[999]!])
      expect(await message(m)).toEqual([
        EVENTS.playerResult,
        { ...resultOf({ id: m.id } as PlayerRecord), state: reveal },
      ]);
  });

  it('a phone without a result, or in a chunk whose read failed, gets the reveal alone; the failure is logged once', async () => {
    const { fanOut, sent, errors, done } = setup(1000, (players) => {
      if (players[0]!.id !== 'p0') throw new Error('store down');
      return players.map((p) => (p.id === 'p1' ? null : resultOf(p)));
    });
    fanOut.revealed(pin, 2, { play: reveal, viewers: reveal });
    await done();
    expect(sent.map((m) => m.id)).toEqual(Array.from({ length: 1000 }, (_, i) => `p${i}`));
    expect((await message(sent[0]!))[0]).toBe(EVENTS.playerResult);
    for (const m of [sent[1]!, sent[400]!, sent[999]!]) expect(await message(m)).toEqual([EVENTS.gameState, reveal]);
    expect(errors).toEqual(['personal results failed: phones get the reveal without them']);
  });

  it('a game of one chunk reads its results once, ranks included', async () => {
    const { fanOut, sent, reads, store, done } = setup(30, (players) => players.map(resultOf));
    fanOut.revealed(pin, 2, { play: reveal, viewers: reveal });
    await done();
    expect(store.ranks).not.toHaveBeenCalled();
    expect(reads).toEqual([{ ids: sent.map((m) => m.id), ranks: undefined }]);
  });
});
