import { parseTrustProxy, type TrustProxy } from '@aegis/config';
import { clientAddress, handshakeClientAddress, proxyTrust } from './client-address';

function setting(text: string): TrustProxy {
  const parsed = parseTrustProxy(text);
  if (!('value' in parsed)) throw new Error(parsed.problems.join('; '));
  return parsed.value;
}

describe('clientAddress', () => {
  it('ignores X-Forwarded-For when TRUST_PROXY is off', () => {
    const trust = proxyTrust(setting(''));
    expect(clientAddress('203.0.113.7', '127.0.0.1', trust)).toBe('127.0.0.1');
    expect(clientAddress(undefined, '127.0.0.1', trust)).toBe('127.0.0.1');
  });

  it('believes exactly the trusted number of hops, never what the client wrote before them', () => {
    const one = proxyTrust(setting('1'));
    expect(clientAddress('203.0.113.7', '10.0.0.2', one)).toBe('203.0.113.7');
    // The client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended the real peer.
    expect(clientAddress('198.51.100.1, 203.0.113.7', '10.0.0.2', one)).toBe('203.0.113.7');
    expect(clientAddress(['198.51.100.1', '203.0.113.7'], '10.0.0.2', one)).toBe('203.0.113.7');
    const two = proxyTrust(setting('2'));
    expect(clientAddress('198.51.100.1, 203.0.113.7, 10.0.0.3', '10.0.0.2', two)).toBe('203.0.113.7');
    // Fewer entries than hops: the leftmost one is all there is.
    expect(clientAddress('203.0.113.7', '10.0.0.2', two)).toBe('203.0.113.7');
  });

  it('walks back only through addresses inside the trusted ranges', () => {
    const trust = proxyTrust(setting('10.0.0.0/8,127.0.0.1'));
    expect(clientAddress('203.0.113.7', '127.0.0.1', trust)).toBe('203.0.113.7');
    expect(clientAddress('203.0.113.7', '::ffff:127.0.0.1', trust)).toBe('203.0.113.7');
    expect(clientAddress('198.51.100.1, 203.0.113.7, 10.1.2.3', '127.0.0.1', trust)).toBe('203.0.113.7');
    // A peer outside the ranges is the client, whatever it claims.
    expect(clientAddress('203.0.113.7', '192.0.2.50', trust)).toBe('192.0.2.50');
    // Garbage in the header is never trusted as a proxy and ends the walk.
    expect(clientAddress('203.0.113.7, not-an-ip', '127.0.0.1', trust)).toBe('not-an-ip');
  });

  it('matches IPv6 ranges and the named ranges', () => {
    const trust = proxyTrust(setting('loopback,fd00::/8'));
    expect(clientAddress('2001:db8::1', '::1', trust)).toBe('2001:db8::1');
    expect(clientAddress('2001:db8::1, fd12::5', '::1', trust)).toBe('2001:db8::1');
    expect(clientAddress('2001:db8::1', 'fe80::1', trust)).toBe('fe80::1');
  });

  it('reads a socket.io handshake the same way', () => {
    const trust = proxyTrust(setting('1'));
    expect(handshakeClientAddress({ headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' }, address: '127.0.0.1' }, trust)).toBe(
      '203.0.113.7',
    );
    expect(handshakeClientAddress({ headers: {}, address: '127.0.0.1' }, proxyTrust(setting('')))).toBe('127.0.0.1');
  });
});
