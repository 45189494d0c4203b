export type SocketProtocol = 'tcp' | 'tcp6';

export interface ListeningSocket {
  protocol: SocketProtocol;
  address: string;
  port: number;
  /** The owner's uid, as the kernel reports it. */
  uid: number;
}

/** The kernel's TCP_LISTEN state in /proc/net/tcp's `st` column. */
const TCP_LISTEN = '0A';

/** /proc/net/tcp prints each 32-bit word of an address in the host's byte order. */
function wordBytes(hex: string, endianness: 'LE' | 'BE'): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return endianness === 'LE' ? bytes.reverse() : bytes;
}

/** RFC 5952 text of 16 address bytes: lowercase, the longest run (≥ 2) of zero groups as `::`, IPv4-mapped as `::ffff:a.b.c.d`. */
export function formatIpv6(bytes: readonly number[]): string {
  const isMapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isMapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Decodes `ADDRESS:PORT` as /proc/net/tcp{,6} print it; undefined when malformed. */
export function decodeSocketAddress(field: string, endianness: 'LE' | 'BE' = 'LE'): { address: string; port: number } | undefined {
  const match = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(field);
  if (!match) return undefined;
  const [, hex, portHex] = match;
  const port = parseInt(portHex, 16);
  if (hex.length === 8) return { address: wordBytes(hex, endianness).join('.'), port };
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++) bytes.push(...wordBytes(hex.slice(word * 8, word * 8 + 8), endianness));
  return { address: formatIpv6(bytes), port };
}

/**
 * The listening sockets in the text of /proc/net/tcp or /proc/net/tcp6 (what `ss -ltn` shows,
 * without a pipe to grep). Malformed lines are skipped.
 */
export function parseProcNetTcp(text: string, protocol: SocketProtocol, endianness: 'LE' | 'BE' = 'LE'): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== TCP_LISTEN) continue;
    const local = decodeSocketAddress(fields[1], endianness);
    const uid = Number(fields[7]);
    if (!local || !Number.isInteger(uid)) continue;
    sockets.push({ protocol, address: local.address, port: local.port, uid });
  }
  return sockets;
}
