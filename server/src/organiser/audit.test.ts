import proxyaddr from 'proxy-addr';
import { describe, expect, it } from 'vitest';
import { socketAddress } from './audit';

const hs = (address: string, xff?: string) => ({ address, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } });

describe(socketAddress.name, () => {
  it.each([
    { what: 'a phone connected directly', peer: '192.168.1.23', xff: undefined, trust: ['loopback'], ip: '192.168.1.23' },
    { what: 'a forged header from a peer that is not a proxy is ignored', peer: '192.168.1.23', xff: '1.2.3.4', trust: ['loopback'], ip: '192.168.1.23' },
    { what: 'behind a proxy on the same machine', peer: '127.0.0.1', xff: '203.0.113.7', trust: ['loopback'], ip: '203.0.113.7' },
    { what: 'a client forging the header through the proxy gets its real address', peer: '127.0.0.1', xff: '6.6.6.6, 203.0.113.7', trust: ['loopback'], ip: '203.0.113.7' },
    { what: "docker-compose's nginx on a private network, not trusted by default", peer: '172.18.0.5', xff: '203.0.113.7', trust: ['loopback'], ip: '172.18.0.5' },
    { what: "docker-compose's nginx with TRUST_PROXY=loopback, uniquelocal", peer: '172.18.0.5', xff: '203.0.113.7', trust: ['loopback', 'uniquelocal'], ip: '203.0.113.7' },
    { what: 'a phone on the hall Wi-Fi behind that nginx keeps its own private address', peer: '172.18.0.5', xff: '10.0.5.9', trust: ['loopback', 'uniquelocal'], ip: '10.0.5.9' },
    { what: 'TRUST_PROXY=none believes no header', peer: '127.0.0.1', xff: '203.0.113.7', trust: [], ip: '127.0.0.1' },
  ])('$what', ({ peer, xff, trust, ip }) => {
    expect(socketAddress(hs(peer, xff), proxyaddr.compile(trust))).toBe(ip);
  });
});
