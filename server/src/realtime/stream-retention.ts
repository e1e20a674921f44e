// The socket.io Redis stream carries every broadcast between nodes, names included (the lobby's latest joiners,
// boards). It is kept short: at most SOCKET_STREAM_MAX_LEN entries (the adapter trims on each XADD), none older
// than SOCKET_STREAM_KEEP_SECONDS (trimmed here by time, so a quiet evening does not keep the morning's names),
// and a deleted contestant's nickname is taken out of it at once. Nodes read the stream within milliseconds and
// connection state recovery is off, so nothing reads an entry this old.
import type { Redis } from 'ioredis';

export class StreamRetention {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    readonly stream: string,
    private readonly keepMs: number,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  /** Trims by time every half keep period (every node does it: XTRIM is idempotent). */
  start() {
    this.timer = setInterval(
      () => void this.trimByAge().catch((err: Error) => this.log.warn({ err: err.message }, 'stream trim failed')),
      Math.max(500, Math.min(30_000, this.keepMs / 2)),
    );
    this.timer.unref();
  }
  stop() {
    clearInterval(this.timer);
  }

  /** Drops every entry older than the keep period (entry ids are Redis-clock milliseconds). */
  async trimByAge(): Promise<number> {
    const [s, us] = await this.redis.time();
    const minId = Number(s) * 1000 + Math.floor(Number(us) / 1000) - this.keepMs;
    return this.redis.xtrim(this.stream, 'MINID', minId);
  }

  /**
   * Deletes the entries that name this nickname. Every payload carries names under the `nickname` key (leader
   * rows, joiners), so the JSON `"nickname":"…"` finds exactly those entries and no other that merely contains
   * the same letters. Returns how many went.
   */
  async forget(nickname: string): Promise<number> {
    const needle = `"nickname":${JSON.stringify(nickname)}`;
    let removed = 0;
    let start = '-';
    for (;;) {
      const page = await this.redis.xrange(this.stream, start, '+', 'COUNT', 500);
      const hits = page.filter(([, fields]) => fields.some((f) => f.includes(needle))).map(([id]) => id);
      if (hits.length) removed += await this.redis.xdel(this.stream, ...hits);
      if (page.length < 500) return removed;
      start = `(${page.at(-1)![0]}`;
    }
  }
}
