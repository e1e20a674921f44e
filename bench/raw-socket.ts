// The lightest client that speaks the live protocol: socket.io v5 packets over engine.io v4 framing on a bare
// `ws` WebSocket (websocket transport only, text packets, no binary, no reconnection). It implements just the
// subset of socket.io-client's Socket that bench/worker.ts uses, so a worker can drive thousands of contestants
// with less CPU than socket.io-client's Manager/Socket/Emitter layers need (`npm run bench -- --client raw`).
import WebSocket from 'ws';

// Wire events are untyped here: a listener declares the payload it expects (never[] accepts any such listener).
type Listener = (...args: never[]) => void;

export class RawSocket {
  connected = false;
  private readonly ws: WebSocket;
  private readonly listeners = new Map<string, Listener[]>();
  private readonly acks = new Map<number, (err: Error | null, data?: unknown) => void>();
  private nextId = 0;
  private closedByUs = false;
  private failed = false;
  private readonly connectTimer: NodeJS.Timeout;

  /**
   * @param url the server's base URL (http://host:port)
   * @param nsp the namespace, e.g. '/play'
   * @param onPacket called with the size of every socket.io message frame received (events and acks)
   */
  constructor(
    url: string,
    private readonly nsp: string,
    private readonly onPacket?: (bytes: number) => void,
    timeoutMs = 20_000,
  ) {
    this.ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
      // The server's frames are JSON it encoded itself: checking their UTF-8 again is the generator's cost, not the server's.
      skipUTF8Validation: true,
    });
    this.connectTimer = setTimeout(() => this.fail('timeout'), timeoutMs);
    this.ws.on('message', (data: Buffer) => this.onFrame(data));
    this.ws.on('error', () => this.fail('websocket error'));
    this.ws.on('close', () => {
      if (this.connected) {
        this.connected = false;
        this.rejectAcks();
        this.fire('disconnect', this.closedByUs ? 'io client disconnect' : 'transport close');
      } else this.fail('websocket error');
    });
  }

  private fail(message: string) {
    if (this.connected || this.failed || this.closedByUs) return;
    this.failed = true;
    clearTimeout(this.connectTimer);
    this.ws.terminate();
    this.fire('connect_error', new Error(message));
  }

  private onFrame(data: Buffer) {
    const s = data.toString();
    const type = s.charCodeAt(0);
    if (type === 50 /* '2' ping */) return void this.ws.send('3');
    if (type === 48 /* '0' open */) return void this.ws.send(`40${this.nsp},`);
    if (type !== 52 /* '4' message */) return;
    this.onPacket?.(data.length);
    const kind = s[1];
    // After the type: the namespace and a comma, an optional ack id, then JSON.
    let i = 2;
    if (s[i] === '/') i = s.indexOf(',', i) + 1;
    let id = -1;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57)
      id = (id < 0 ? 0 : id * 10) + s.charCodeAt(i++) - 48;
    const body = s.slice(i);
    if (kind === '2') {
      // Player counts are only counted by the worker: not worth parsing.
      if (body.startsWith('["game:players"')) return this.fire('game:players');
      const [event, ...args] = JSON.parse(body) as [string, ...unknown[]];
      this.fire(event, ...args);
    } else if (kind === '3') {
      const cb = this.acks.get(id);
      if (cb) {
        this.acks.delete(id);
        cb(null, (JSON.parse(body) as unknown[])[0]);
      }
    } else if (kind === '0') {
      this.connected = true;
      clearTimeout(this.connectTimer);
      this.fire('connect');
    } else if (kind === '4') {
      this.fail((JSON.parse(body) as { message?: string }).message ?? 'connect error');
    } else if (kind === '1') {
      this.connected = false;
      this.rejectAcks();
      this.fire('disconnect', 'io server disconnect');
      this.ws.close();
    }
  }

  private rejectAcks() {
    const pending = [...this.acks.values()];
    this.acks.clear();
    // socket.io-client reports these when their timeout passes; reporting at once is equivalent for the bench.
    for (const cb of pending) cb(new Error('disconnected'));
  }

  private fire(event: string, ...args: unknown[]) {
    const list = this.listeners.get(event);
    // The listener declared the payload it expects; the wire gave unknown values.
    if (list) for (const fn of [...list]) (fn as (...a: unknown[]) => void)(...args);
  }

  on(event: string, fn: Listener) {
    const list = this.listeners.get(event);
    if (list) list.push(fn);
    else this.listeners.set(event, [fn]);
    return this;
  }
  once(event: string, fn: Listener) {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped);
      fn(...args);
    };
    return this.on(event, wrapped);
  }
  off(event: string, fn: Listener) {
    const list = this.listeners.get(event);
    if (list)
      this.listeners.set(
        event,
        list.filter((f) => f !== fn),
      );
    return this;
  }
  removeAllListeners() {
    this.listeners.clear();
    return this;
  }

  /** `socket.timeout(ms).emit(event, payload, (err, ack) => …)`, as in socket.io-client. */
  timeout(ms: number) {
    return {
      emit: (event: string, payload: unknown, cb: (err: Error | null, data: never) => void) => {
        if (!this.connected) return void setImmediate(() => cb(new Error('not connected'), undefined as never));
        const id = this.nextId++;
        const timer = setTimeout(() => {
          if (this.acks.delete(id)) cb(new Error('operation has timed out'), undefined as never);
        }, ms);
        this.acks.set(id, (err, data) => {
          clearTimeout(timer);
          cb(err, data as never);
        });
        this.ws.send(`42${this.nsp},${id}${JSON.stringify([event, payload])}`);
      },
    };
  }

  disconnect() {
    if (this.closedByUs) return this;
    this.closedByUs = true;
    clearTimeout(this.connectTimer);
    if (this.connected) {
      try {
        this.ws.send(`41${this.nsp},`);
      } catch {
        // the socket is already closing: nothing to tell the server
      }
    }
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    else this.ws.close();
    return this;
  }
}
