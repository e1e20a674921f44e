/**
 * The audit log service: who did what, from where, with what outcome. Anyone can make the server refuse something
 * (a junk host token, a wrong password), so what one address can write is bounded: a refusal repeated in the same
 * window (same action, address and outcome; not an organiser's, which needs a session) is one entry plus, at the
 * window's end, one entry with the count;
 * past its budget an address's entries are counted the same way instead of written; and only the newest
 * `maxEntries` entries are kept.
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AuditAction, AuditEntry } from '../../../protocol/organiser';
import type { OrganiserRecords } from '../store/records';

export interface AuditEvent {
  actor: string;
  action: AuditAction;
  ip?: string | null;
  pin?: string;
  outcome?: AuditEntry['outcome'];
  detail?: AuditEntry['detail'];
}

export interface AuditLimits {
  /** Entries kept; older ones are trimmed. */
  maxEntries: number;
  /** Repeated refusals are counted over this window and written once at its end. */
  windowMs: number;
  /** Entries one address may write per window; the rest are counted. */
  perAddressPerWindow: number;
}

export const DEFAULT_AUDIT_LIMITS: AuditLimits = { maxEntries: 100_000, windowMs: 60_000, perAddressPerWindow: 120 };

/** Distinct (action, address, outcome) counted at once; past it, new ones share one bucket per action and outcome. */
const MAX_PENDING = 10_000;
/** Trim after this many writes as well as at each window's end. */
const TRIM_EVERY = 1000;

/** Events counted instead of written, flushed as one entry. */
interface Pending {
  first: AuditEvent;
  count: number;
  sameActor: boolean;
  samePin: boolean;
}

/**
 * The append-only audit log. `record` never throws: an action is not undone because its audit line failed
 * to write, but the failure is logged loudly.
 */
export class AuditLog {
  private readonly limits: AuditLimits;
  private readonly budget: RateLimiterMemory;
  private pending = new Map<string, Pending>();
  private writesSinceTrim = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly records: OrganiserRecords,
    private readonly now: () => Promise<number>,
    private readonly log: { error(obj: object, msg: string): void },
    limits: Partial<AuditLimits> = {},
  ) {
    this.limits = { ...DEFAULT_AUDIT_LIMITS, ...limits };
    this.budget = new RateLimiterMemory({
      points: this.limits.perAddressPerWindow,
      duration: this.limits.windowMs / 1000,
    });
    this.timer = setInterval(() => void this.flush(), this.limits.windowMs);
    this.timer.unref();
  }

  /** Writes the entry now, or counts it towards a summary entry written at the window's end (then returns null). */
  async record(e: AuditEvent): Promise<AuditEntry | null> {
    const outcome = e.outcome ?? 'ok';
    const ip = e.ip ?? null;
    // Jobs (no address) are the server's own: always written.
    if (ip === null) return this.write(e);
    const key = `${e.action}|${ip}|${outcome}`;
    // An organiser's refusals need a session to cause: each keeps its own entry and detail.
    if (outcome !== 'ok' && !e.actor.startsWith('organiser:')) {
      // A refusal's first entry in a window is written; repeats are counted under it. Marked before any await,
      // so a burst of simultaneous refusals writes one entry, not one each.
      const seen = this.pending.get(key);
      if (seen) return this.count(seen, e);
      if (this.pending.size >= MAX_PENDING)
        return this.count(this.group(`${e.action}|*|${outcome}`, { ...e, ip: '*' }), e);
      this.pending.set(key, { first: e, count: 0, sameActor: true, samePin: true });
    }
    const withinBudget = await this.budget.consume(ip).then(
      () => true,
      () => false,
    );
    if (withinBudget) return this.write(e);
    return this.count(
      this.pending.size < MAX_PENDING ? this.group(key, e) : this.group(`${e.action}|*|${outcome}`, { ...e, ip: '*' }),
      e,
    );
  }

  private group(key: string, first: AuditEvent): Pending {
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { first, count: 0, sameActor: true, samePin: true }));
    return p;
  }

  private count(p: Pending, e: AuditEvent): null {
    p.count++;
    p.sameActor &&= p.first.actor === e.actor;
    p.samePin &&= p.first.pin === e.pin;
    return null;
  }

  /** Writes one entry per counted group (`detail.repeated`: how many) and trims the log. Run at each window's end. */
  async flush(): Promise<void> {
    const groups = [...this.pending.values()].filter((p) => p.count > 0);
    this.pending = new Map();
    for (const { first, count, sameActor, samePin } of groups) {
      await this.write({
        actor: sameActor ? first.actor : 'anonymous',
        action: first.action,
        ip: first.ip ?? null,
        ...(samePin && first.pin ? { pin: first.pin } : {}),
        outcome: first.outcome ?? 'ok',
        detail: { repeated: count },
      });
    }
    await this.trim();
  }

  /** Flushes what is counted and stops the window timer (server shutdown). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(e: AuditEvent): Promise<AuditEntry | null> {
    try {
      const entry = await this.records.appendAudit({
        at: await this.now(),
        actor: e.actor,
        action: e.action,
        ip: e.ip ?? null,
        ...(e.pin ? { pin: e.pin } : {}),
        outcome: e.outcome ?? 'ok',
        ...(e.detail ? { detail: e.detail } : {}),
      });
      if (++this.writesSinceTrim >= TRIM_EVERY) await this.trim();
      return entry;
    } catch (err) {
      this.log.error({ err, audit: e }, 'audit write failed');
      return null;
    }
  }

  private async trim() {
    this.writesSinceTrim = 0;
    try {
      await this.records.trimAudit(this.limits.maxEntries);
    } catch (err) {
      this.log.error({ err }, 'audit trim failed');
    }
  }

  list(after: number, limit: number) {
    return this.records.listAudit(after, limit);
  }

  /** Every kept entry, paging through the store. */
  async all(): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (;;) {
      const page = await this.records.listAudit(out.at(-1)?.seq ?? 0, 1000);
      out.push(...page);
      if (page.length < 1000) return out;
    }
  }
}

export const AUDIT_CSV_COLUMNS = ['seq', 'time', 'actor', 'action', 'outcome', 'ip', 'pin', 'detail'] as const;

/** Rows for CSV/XLSX: time as ISO 8601 UTC, detail as JSON. */
export function auditTable(entries: AuditEntry[]): (string | number)[][] {
  return entries.map((e) => [
    e.seq,
    new Date(e.at).toISOString(),
    e.actor,
    e.action,
    e.outcome,
    e.ip ?? '',
    e.pin ?? '',
    e.detail ? JSON.stringify(e.detail) : '',
  ]);
}

const LOOPBACK = proxyaddr.compile(['loopback']);

/**
 * A socket's client address, as Express reads a request's (`req.ip` with the same `trust proxy`): walking
 * X-Forwarded-For from the nearest hop, the first address not trusted as a proxy. A client's own forged
 * X-Forwarded-For entries sit behind that and are never taken.
 */
export function socketAddress(
  handshake: { address: string; headers: Record<string, string | string[] | undefined> },
  trust: (address: string, hop: number) => boolean = LOOPBACK,
): string {
  const req = {
    headers: handshake.headers,
    connection: { remoteAddress: handshake.address },
    socket: { remoteAddress: handshake.address },
  };
  return proxyaddr(req as unknown as IncomingMessage, trust);
}
