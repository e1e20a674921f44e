import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { wsTextFrame } from './fan-out';

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
