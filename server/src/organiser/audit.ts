import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
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

/**
 * The append-only audit log. `record` never throws: an action is not undone because its audit line failed
 * to write, but the failure is logged loudly.
 */
export class AuditLog {
  constructor(
    private readonly records: OrganiserRecords,
    private readonly now: () => Promise<number>,
    private readonly log: { error(obj: object, msg: string): void },
  ) {}

  async record(e: AuditEvent): Promise<AuditEntry | null> {
    try {
      return await this.records.appendAudit({
        at: await this.now(),
        actor: e.actor,
        action: e.action,
        ip: e.ip ?? null,
        ...(e.pin ? { pin: e.pin } : {}),
        outcome: e.outcome ?? 'ok',
        ...(e.detail ? { detail: e.detail } : {}),
      });
    } catch (err) {
      this.log.error({ err, audit: e }, 'audit write failed');
      return null;
    }
  }

  list(after: number, limit: number) {
    return this.records.listAudit(after, limit);
  }

  /** Every entry, paging through the store. */
  async all(): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (;;) {
      const page = await this.records.listAudit(out.length, 1000);
      out.push(...page);
      if (page.length < 1000) return out;
    }
  }
}

export const AUDIT_CSV_COLUMNS = ['seq', 'time', 'actor', 'action', 'outcome', 'ip', 'pin', 'detail'] as const;

/** Rows for CSV/XLSX: time as ISO 8601 UTC, detail as JSON. */
export function auditTable(entries: AuditEntry[]): (string | number)[][] {
  return entries.map((e) => [e.seq, new Date(e.at).toISOString(), e.actor, e.action, e.outcome, e.ip ?? '', e.pin ?? '', e.detail ? JSON.stringify(e.detail) : '']);
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
  const req = { headers: handshake.headers, connection: { remoteAddress: handshake.address }, socket: { remoteAddress: handshake.address } };
  return proxyaddr(req as unknown as IncomingMessage, trust);
}
