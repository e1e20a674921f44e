// One contract for the certificate store's drivers: memory, memory journaled in LMDB (a restart keeps the codes),
// and Redis. Issuing is once per subject, whoever asks and however often.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../../test/helpers';
import { EmbeddedDb } from '../store/embedded-db';
import { deleteKeysWithPrefix } from '../store/redis';
import { newCertificateCode } from './certificates';
import {
  MEMORY_CERTIFICATE_WRITES,
  MemoryCertificateStore,
  subjectOf,
  type CertificateRecord,
  type CertificateStore,
} from './store';
import { RedisCertificateStore } from './store-redis';

const prefix = testPrefix('cert-store');
const redis = new RedisCertificateStore(redisUrl(), prefix);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-cert-'));
const openJournaled = async () => {
  const db = EmbeddedDb.open(dir);
  const driver = new MemoryCertificateStore();
  await db.recover({ certificates: { driver, writes: MEMORY_CERTIFICATE_WRITES } });
  return { db, driver };
};
const journaled = await openJournaled();
const drivers: [string, CertificateStore][] = [
  ['memory', new MemoryCertificateStore()],
  ['memory, journaled (DATA_DIR)', journaled.driver],
  ['redis', redis],
];
afterAll(async () => {
  const client = new Redis(redisUrl());
  await deleteKeysWithPrefix(client, prefix);
  client.disconnect();
  await redis.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
const record = (over: Partial<CertificateRecord> = {}): CertificateRecord => ({
  code: newCertificateCode(),
  scopeKey: 'round:c:r',
  pin: 'online:c:r',
  playerId: `p${++seq}`,
  lockSha256: 'a'.repeat(64),
  issuedAt: 1000,
  ...over,
});

describe.each(drivers)('certificate store (%s)', (_name, store) => {
  it('issues one code per subject: a second issue answers the first code', async () => {
    const first = record();
    const [issued] = await store.issue([first]);
    expect(issued).toEqual(first);
    const [again] = await store.issue([{ ...first, code: newCertificateCode(), issuedAt: 2000 }]);
    expect(again).toEqual(first);
    expect(await store.get(first.code)).toEqual(first);
    expect(await store.bySubject([subjectOf(first), subjectOf(record())])).toEqual([first, null]);
  });

  it('keeps subjects apart by scope and player, and answers in order for a batch larger than one script call', async () => {
    const batch = Array.from({ length: 1203 }, () => record());
    const out = await store.issue(batch);
    expect(out).toEqual(batch);
    const other = record({ scopeKey: 'contest:c', playerId: batch[0]!.playerId });
    expect((await store.issue([other]))[0]!.code).toBe(other.code);
    expect(await store.get('ABCDEFGHJKLMNPQR')).toBeNull();
  });

  it('two issues at once agree on one code', async () => {
    const a = record();
    const b = { ...a, code: newCertificateCode() };
    const [x, y] = await Promise.all([store.issue([a]), store.issue([b])]);
    expect(x[0]!.code).toBe(y[0]!.code);
  });
});

describe('journaled certificate store', () => {
  it('keeps every issued code across a restart', async () => {
    const r = record();
    await journaled.driver.issue([r]);
    await journaled.db.close();
    const reopened = await openJournaled();
    expect(await reopened.driver.get(r.code)).toEqual(r);
    await reopened.db.close();
  });
});
