import { isIP } from 'node:net';

/** An address block: `10.0.0.0/8`, `::1/128`. */
export interface AddressRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/**
 * Which peers may tell the server the client's address in X-Forwarded-For (docs/security.md,
 * "Behind a reverse proxy"): nobody, the nearest `hops` proxies, or peers inside these ranges.
 */
export type TrustProxy = { mode: 'off' } | { mode: 'hops'; hops: number } | { mode: 'ranges'; ranges: AddressRange[] };

export const TRUST_PROXY_MAX_HOPS = 10;

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

function rangeOf(entry: string): AddressRange | undefined {
  const [address = '', prefixText, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Parses TRUST_PROXY; returns the problems instead when the value is not one of the accepted forms. */
export function parseTrustProxy(text: string | undefined): { value: TrustProxy } | { problems: string[] } {
  const trimmed = text?.trim().toLowerCase() ?? '';
  if (trimmed === '' || trimmed === 'false' || trimmed === '0') return { value: { mode: 'off' } };
  if (trimmed === 'true') {
    return { problems: ["'true' would believe any client's X-Forwarded-For: give the number of proxies (e.g. 1) or their addresses"] };
  }
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return hops <= TRUST_PROXY_MAX_HOPS
      ? { value: { mode: 'hops', hops } }
      : { problems: [`a hop count must be at most ${TRUST_PROXY_MAX_HOPS}`] };
  }
  const ranges: AddressRange[] = [];
  const problems: string[] = [];
  for (const entry of trimmed
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)) {
    const named = NAMED_RANGES[entry];
    const parsed = named ? named.map(rangeOf) : [rangeOf(entry)];
    if (parsed.some((range) => range === undefined)) {
      problems.push(`'${entry}' is not an address, a CIDR range such as 10.0.0.0/8, or one of loopback, linklocal, uniquelocal`);
    } else if (parsed.some((range) => range?.prefix === 0)) {
      problems.push(`'${entry}' would trust every address: list the proxies' addresses`);
    } else {
      for (const range of parsed) if (range) ranges.push(range);
    }
  }
  if (problems.length > 0) return { problems };
  if (ranges.length === 0) return { problems: ['lists no address'] };
  return { value: { mode: 'ranges', ranges } };
}
