// Embedded drivers made durable by EmbeddedDb in a temp folder, for the contract suites: `reopen` rebuilds fresh
// drivers from what the first ones journaled, as a restart after a crash does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { embeddedTargets } from '../src/app';
import { MemoryCertificateStore } from '../src/certificates/store';
import { MemoryOnlineStore } from '../src/online/store-memory';
import { MemoryPracticeStore } from '../src/practice/store-memory';
import { EmbeddedDb } from '../src/store/embedded-db';
import { MemoryStore } from '../src/store/memory';

async function openDrivers(dir: string) {
  const db = EmbeddedDb.open(dir);
  const store = new MemoryStore();
  const online = new MemoryOnlineStore();
  const certificates = new MemoryCertificateStore();
  const practice = new MemoryPracticeStore();
  await db.recover(embeddedTargets({ memory: store, online, certificates, practice }));
  return { db, store, online, certificates, practice };
}

export async function journaledDrivers() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-embedded-'));
  const first = await openDrivers(dir);
  return {
    ...first,
    /** Closes the first drivers' database and rebuilds fresh drivers from it. */
    async reopen() {
      await first.db.close();
      return openDrivers(dir);
    },
    async remove(db: EmbeddedDb) {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The whole state of a driver, comparable with toEqual. */
export const stateOf = (d: { snapshot(): unknown }) => v8.deserialize(v8.serialize(d.snapshot()));
