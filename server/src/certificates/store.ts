// Issued certificates: a random code per (locked result set, contestant), kept so the public page can look the code
// up. The record holds no personal data: the name and result are read from the locked set and its name source each
// time, so a deletion request or an erased claim needs nothing here. Two drivers, one contract suite.
import type { Journaled } from '../store/embedded-db';

export interface CertificateRecord {
  code: string;
  /** The locked result set (`round:<contest>:<round>`, `game:<pin>`, `contest:<contest>`). */
  scopeKey: string;
  /** The row's game PIN (or `online:<contest>:<round>`) and player (the contestant id online). */
  pin: string;
  playerId: string;
  /** The locked set's SHA-256 when the code was issued. */
  lockSha256: string;
  issuedAt: number;
}

/** One certificate per contestant per locked set: the subject is what makes it unique. */
export const subjectOf = (r: Pick<CertificateRecord, 'scopeKey' | 'pin' | 'playerId'>) =>
  `${r.scopeKey}|${r.pin}|${r.playerId}`;

export interface CertificateStore {
  /**
   * Stores each record whose subject has none yet; answers, in order, the record each subject has now (the stored
   * one where it already had one: issuing twice gives the same code).
   */
  issue(records: CertificateRecord[]): Promise<CertificateRecord[]>;
  /** The records of these subjects (null where none was issued). */
  bySubject(subjects: string[]): Promise<(CertificateRecord | null)[]>;
  get(code: string): Promise<CertificateRecord | null>;
  close(): Promise<void>;
}

/** The methods that write (embedded-db.ts journals them); none awaits, so each is atomic. */
export const MEMORY_CERTIFICATE_WRITES = ['issue'] as const satisfies readonly (keyof MemoryCertificateStore)[];

export class MemoryCertificateStore implements CertificateStore, Journaled {
  private byCode = new Map<string, CertificateRecord>();
  private codes = new Map<string, string>();

  snapshot() {
    return { byCode: this.byCode, codes: this.codes };
  }
  restore(state: unknown) {
    Object.assign(this, state as ReturnType<MemoryCertificateStore['snapshot']>);
  }

  async issue(records: CertificateRecord[]) {
    return records.map((r) => {
      const subject = subjectOf(r);
      const have = this.codes.get(subject);
      if (have) return { ...this.byCode.get(have)! };
      this.codes.set(subject, r.code);
      this.byCode.set(r.code, { ...r });
      return { ...r };
    });
  }
  async bySubject(subjects: string[]) {
    return subjects.map((s) => {
      const code = this.codes.get(s);
      return code ? { ...this.byCode.get(code)! } : null;
    });
  }
  async get(code: string) {
    const r = this.byCode.get(code);
    return r ? { ...r } : null;
  }
  async close() {}
}
