import { BlockList, isIP } from 'node:net';
import type { TrustProxy } from '@aegis/config';

/** Is the peer at `address`, `hop` steps from the server (0 = the socket's peer), a proxy we believe? */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as a function with Express' `trust proxy` signature, so that req.ip (HTTP) and
 * clientAddress (socket.io handshake) follow one rule (docs/security.md, "Behind a reverse proxy").
 */
export function proxyTrust(setting: TrustProxy): ProxyTrust {
  switch (setting.mode) {
    case 'off':
      return () => false;
    case 'hops':
      return (_address, hop) => hop < setting.hops;
    case 'ranges': {
      const trusted = new BlockList();
      for (const range of setting.ranges) trusted.addSubnet(range.address, range.prefix, range.family);
      return (address) => {
        const version = isIP(address);
        return version !== 0 && trusted.check(address, version === 4 ? 'ipv4' : 'ipv6');
      };
    }
  }
}

/**
 * The client's address: walk from the socket's peer back through X-Forwarded-For (right to left)
 * while each step is a trusted proxy; the first untrusted address is the client. Entries left of
 * it were written by the client itself and are never believed.
 */
export function clientAddress(forwardedFor: string | string[] | undefined, remoteAddress: string | undefined, trust: ProxyTrust): string {
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .reverse();
  const chain = [remoteAddress ?? 'unknown', ...forwarded];
  let hop = 0;
  while (hop < chain.length - 1 && trust(chain[hop] ?? '', hop)) hop++;
  return chain[hop] ?? 'unknown';
}

/** The client's address of a socket.io handshake (`socket.handshake`), under the same TRUST_PROXY rule as req.ip. */
export function handshakeClientAddress(
  handshake: { headers: Record<string, string | string[] | undefined>; address: string },
  trust: ProxyTrust,
): string {
  return clientAddress(handshake.headers['x-forwarded-for'], handshake.address, trust);
}
