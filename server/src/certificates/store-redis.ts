// Redis driver of the certificate store. Keys (hash-tagged `{cert}`, so one script touches both):
// `<prefix>{cert}:subjects` (hash subject → code) and `<prefix>{cert}:codes` (hash code → record JSON).
import { Redis } from 'ioredis';
import { subjectOf, type CertificateRecord, type CertificateStore } from './store';

/**
 * Issues certificates: for each (subject, code, record), the subject's stored record if it has one, else stores this
 * one under both keys. Atomic, so two nodes issuing the same subject at once agree on one code.
 *   KEYS[1] {cert}:subjects   KEYS[2] {cert}:codes
 *   ARGV    subject, code, record JSON, repeated
 * Returns the record JSON of each subject, in order.
 */
const ISSUE_CERTIFICATES = `
local subjects = KEYS[1]
local codes = KEYS[2]
local out = {}
for i = 1, #ARGV, 3 do
  local have = redis.call('HGET', subjects, ARGV[i])
  if have then
    out[#out + 1] = redis.call('HGET', codes, have)
  else
    redis.call('HSET', subjects, ARGV[i], ARGV[i + 1])
    redis.call('HSET', codes, ARGV[i + 1], ARGV[i + 2])
    out[#out + 1] = ARGV[i + 2]
  end
end
return out
`;

/** Records per script call: a round of thousands is issued in a few short steps, never one long one. */
const BATCH = 500;

export class RedisCertificateStore implements CertificateStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3 });
    this.redis.defineCommand('cdsIssueCertificates', { lua: ISSUE_CERTIFICATES, numberOfKeys: 2 });
  }

  private k(name: string) {
    return `${this.prefix}{cert}:${name}`;
  }

  async issue(records: CertificateRecord[]) {
    const out: CertificateRecord[] = [];
    const run = (
      this.redis as unknown as { cdsIssueCertificates(k1: string, k2: string, ...argv: string[]): Promise<string[]> }
    ).cdsIssueCertificates.bind(this.redis);
    for (let i = 0; i < records.length; i += BATCH) {
      const argv = records.slice(i, i + BATCH).flatMap((r) => [subjectOf(r), r.code, JSON.stringify(r)]);
      for (const json of await run(this.k('subjects'), this.k('codes'), ...argv))
        out.push(JSON.parse(json) as CertificateRecord);
    }
    return out;
  }

  async bySubject(subjects: string[]) {
    if (!subjects.length) return [];
    const codes = await this.redis.hmget(this.k('subjects'), ...subjects);
    const found = codes.filter((c): c is string => !!c);
    const records = found.length ? await this.redis.hmget(this.k('codes'), ...found) : [];
    const byCode = new Map(found.map((c, i) => [c, records[i]]));
    return codes.map((c) => {
      const json = c ? byCode.get(c) : null;
      return json ? (JSON.parse(json) as CertificateRecord) : null;
    });
  }

  async get(code: string) {
    const json = await this.redis.hget(this.k('codes'), code);
    return json ? (JSON.parse(json) as CertificateRecord) : null;
  }

  async close() {
    this.redis.disconnect();
  }
}
