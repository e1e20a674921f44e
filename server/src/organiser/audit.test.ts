import proxyaddr from 'proxy-addr';
import { describe, expect, it } from 'vitest';
import { AuditLog, socketAddress, type AuditEvent } from './audit';
import { MemoryOrganiserRecords } from '../store/records';

const hs = (address: string, xff?: string) => ({
  address,
  headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
});

describe(socketAddress.name, () => {
  it.each([
    {
      what: 'a phone connected directly',
      peer: '192.168.1.23',
      xff: undefined,
      trust: ['loopback'],
      ip: '192.168.1.23',
    },
    {
      what: 'a forged header from a peer that is not a proxy is ignored',
      peer: '192.168.1.23',
      xff: '1.2.3.4',
      trust: ['loopback'],
      ip: '192.168.1.23',
    },
    {
      what: 'behind a proxy on the same machine',
      peer: '127.0.0.1',
      xff: '203.0.113.7',
      trust: ['loopback'],
      ip: '203.0.113.7',
    },
    {
      what: 'a client forging the header through the proxy gets its real address',
      peer: '127.0.0.1',
      xff: '6.6.6.6, 203.0.113.7',
      trust: ['loopback'],
      ip: '203.0.113.7',
    },
    {
      what: "docker-compose's nginx on a private network, not trusted by default",
      peer: '172.18.0.5',
      xff: '203.0.113.7',
      trust: ['loopback'],
      ip: '172.18.0.5',
    },
    {
      what: "docker-compose's nginx with TRUST_PROXY=loopback, uniquelocal",
      peer: '172.18.0.5',
      xff: '203.0.113.7',
      trust: ['loopback', 'uniquelocal'],
      ip: '203.0.113.7',
    },
    {
      what: 'a phone on the hall Wi-Fi behind that nginx keeps its own private address',
      peer: '172.18.0.5',
      xff: '10.0.5.9',
      trust: ['loopback', 'uniquelocal'],
      ip: '10.0.5.9',
    },
    { what: 'TRUST_PROXY=none believes no header', peer: '127.0.0.1', xff: '203.0.113.7', trust: [], ip: '127.0.0.1' },
  ])('$what', ({ peer, xff, trust, ip }) => {
    expect(socketAddress(hs(peer, xff), proxyaddr.compile(trust))).toBe(ip);
  });
});

describe(AuditLog.name, () => {
  const make = (limits: ConstructorParameters<typeof AuditLog>[3] = {}) => {
    const records = new MemoryOrganiserRecords();
    let t = 0;
    const audit = new AuditLog(records, async () => ++t, { error: () => {} }, limits);
    return { records, audit };
  };
  const refused = (ip: string, i: number): AuditEvent => ({
    actor: `host:${100000 + i}`,
    action: 'host.attach',
    ip,
    pin: String(100000 + i),
    outcome: 'NOT_AUTHORISED',
  });

  it('writes the first of a burst of refusals at once and the rest as one counted entry at the window’s end', async () => {
    const { audit } = make();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => audit.record(refused('10.0.0.9', i))));
    expect(await audit.all()).toHaveLength(1);
    await audit.flush();
    const entries = await audit.all();
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({
      actor: 'anonymous',
      action: 'host.attach',
      ip: '10.0.0.9',
      outcome: 'NOT_AUTHORISED',
      detail: { repeated: 999 },
    });
    expect(entries[1]).not.toHaveProperty('pin');
    // A new window starts afresh.
    await audit.record(refused('10.0.0.9', 1));
    expect(await audit.all()).toHaveLength(3);
    await audit.close();
  });

  it('keeps other addresses and outcomes apart, and always writes the server’s and organisers’ entries', async () => {
    const { audit } = make();
    await audit.record(refused('10.0.0.1', 1));
    await audit.record(refused('10.0.0.2', 1));
    await audit.record({ ...refused('10.0.0.1', 1), outcome: 'GAME_NOT_FOUND' });
    for (let i = 0; i < 5; i++)
      await audit.record({ actor: 'system', action: 'write.refused', ip: null, outcome: 'RESULTS_LOCKED' });
    // An organiser's refusals (a session is needed to cause them) keep their own entries and detail.
    for (let i = 0; i < 3; i++)
      await audit.record({
        actor: 'organiser:admin',
        action: 'contest.upload',
        ip: '10.0.0.1',
        outcome: 'BAD_REQUEST',
        detail: { problems: i },
      });
    expect(await audit.all()).toHaveLength(11);
    await audit.close();
  });

  it('counts instead of writes what one address sends past its budget, even successful actions', async () => {
    const { audit } = make({ perAddressPerWindow: 20 });
    for (let i = 0; i < 50; i++)
      await audit.record({
        actor: 'host:123456',
        action: 'host.command',
        ip: '10.0.0.3',
        pin: '123456',
        detail: { type: 'next' },
      });
    await audit.record({ actor: 'host:654321', action: 'host.command', ip: '10.0.0.4', pin: '654321' });
    expect(await audit.all()).toHaveLength(21);
    await audit.flush();
    expect((await audit.all()).at(-1)).toMatchObject({
      actor: 'host:123456',
      pin: '123456',
      outcome: 'ok',
      detail: { repeated: 30 },
    });
    await audit.close();
  });

  it('keeps only the newest maxEntries entries, seqs unchanged', async () => {
    const { audit } = make({ maxEntries: 10 });
    for (let i = 0; i < 25; i++) await audit.record({ actor: 'system', action: 'export', ip: null });
    await audit.flush();
    expect((await audit.all()).map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 16 + i));
    await audit.close();
  });
});
