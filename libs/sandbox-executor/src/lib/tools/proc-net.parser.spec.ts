import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { endianness } from 'node:os';
import fc from 'fast-check';
import { decodeSocketAddress, formatIpv6, parseProcNetTcp } from './proc-net.parser';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

/** How the kernel prints an address on a little-endian host: each 32-bit word's bytes reversed. */
function encodeLittleEndian(bytes: readonly number[], port: number): string {
  const words: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    words.push(
      bytes
        .slice(i, i + 4)
        .reverse()
        .map((b) => b.toString(16).padStart(2, '0').toUpperCase())
        .join(''),
    );
  }
  return `${words.join('')}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

function line(local: string, state: string, uid = 0): string {
  return `   0: ${local} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000 ${String(uid).padStart(5)}        0 1472 1 00000000d1d02981 100 0 0 10 0`;
}

describe('parseProcNetTcp', () => {
  it('reads listening IPv4 sockets and skips other states and malformed lines', () => {
    const text = [
      HEADER,
      line('00000000:07E8', '0A'),
      line('0100007F:1538', '0A', 1000),
      line('0100007F:D3A2', '01'),
      '   3: garbage',
      line('0100007F:ZZZZ', '0A'),
      '',
    ].join('\n');
    expect(parseProcNetTcp(text, 'tcp')).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 2024, uid: 0 },
      { protocol: 'tcp', address: '127.0.0.1', port: 5432, uid: 1000 },
    ]);
  });

  it('reads IPv6 sockets: any, loopback, IPv4-mapped, a global address', () => {
    const text = [
      HEADER,
      line('00000000000000000000000000000000:1F90', '0A'),
      line('00000000000000000000000001000000:0277', '0A'),
      line('0000000000000000FFFF00000100007F:1F91', '0A'),
      line('B80D0120000000000000000001000000:0016', '0A'),
    ].join('\n');
    expect(parseProcNetTcp(text, 'tcp6').map((socket) => `${socket.address} ${socket.port}`)).toEqual([
      ':: 8080',
      '::1 631',
      '::ffff:127.0.0.1 8081',
      '2001:db8::1 22',
    ]);
  });

  it('reads big-endian hosts too', () => {
    expect(decodeSocketAddress('7F000001:0050', 'BE')).toEqual({ address: '127.0.0.1', port: 80 });
  });

  it('decodes any IPv4 address and port the kernel prints (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 65535 }),
        (bytes, port) => {
          expect(decodeSocketAddress(encodeLittleEndian(bytes, port))).toEqual({ address: bytes.join('.'), port });
        },
      ),
    );
  });

  it('prints any IPv6 address as RFC 5952 text, like the WHATWG URL parser (property)', () => {
    const zeroHeavyByte = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(zeroHeavyByte, { minLength: 16, maxLength: 16 }), (bytes) => {
        const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
        fc.pre(!mapped);
        const text = formatIpv6(bytes);
        expect(`[${text}]`).toBe(new URL(`http://[${text}]/`).hostname);
        const decoded = decodeSocketAddress(encodeLittleEndian(bytes, 443));
        expect(decoded).toEqual({ address: text, port: 443 });
      }),
      { numRuns: 500 },
    );
  });

  describe('on this machine', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('finds a socket this test listens on in the real /proc/net/tcp', () => {
      const sockets = parseProcNetTcp(readFileSync('/proc/net/tcp', 'utf8'), 'tcp', endianness());
      expect(sockets).toContainEqual({ protocol: 'tcp', address: '127.0.0.1', port, uid: process.getuid?.() ?? 0 });
    });
  });
});
