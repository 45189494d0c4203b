// A minimal ustar writer and reader for backup archives: regular files only, no links, no
// ownership. Enough for what Aegis writes, and strict about what it reads (docs/operations.md).

const BLOCK = 512;
const MAX_SIZE = 8 ** 11 - 1; // eleven octal digits
/** Relative paths of letters, digits, `.`, `_` and `-`, never `.` or `..` segments. */
const SAFE_PATH = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export class TarFormatError extends Error {}

export function isSafeArchivePath(path: string): boolean {
  return SAFE_PATH.test(path);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** ustar keeps up to 100 characters in `name` and 155 more in `prefix`, split at a slash. */
function splitName(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  const slash = path.lastIndexOf('/', 155);
  if (slash <= 0 || path.length - slash - 1 > 100) throw new TarFormatError(`path too long for the archive: ${path}`);
  return { name: path.slice(slash + 1), prefix: path.slice(0, slash) };
}

/** The 512-byte header of a regular file (mode 0600, owner 0). */
export function tarHeader(path: string, size: number, mtime: Date): Buffer {
  if (!isSafeArchivePath(path)) throw new TarFormatError(`refusing an unsafe archive path: ${path}`);
  if (!Number.isInteger(size) || size < 0 || size > MAX_SIZE) throw new TarFormatError(`file too large for the archive: ${path}`);
  const header = Buffer.alloc(BLOCK);
  const { name, prefix } = splitName(path);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(0o600, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(size, 12), 124, 'ascii');
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\u000000', 257, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/** Zero bytes that fill an entry of `size` bytes up to the next block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Two zero blocks end an archive. */
export const TAR_END = Buffer.alloc(BLOCK * 2);

export interface TarEntry {
  path: string;
  size: number;
  /** The entry's bytes, in chunks; must be read to the end before the next entry. */
  chunks: AsyncGenerator<Buffer>;
}

/** Reads exact byte counts from a chunked stream; the stream ending early is a truncated archive. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(): Promise<boolean> {
    const next = await this.source.next();
    if (next.done) return false;
    this.buffered.push(next.value);
    this.length += next.value.length;
    return true;
  }

  /** Up to `max` bytes (at least one), or undefined at the end of the stream. */
  async some(max: number): Promise<Buffer | undefined> {
    if (this.length === 0 && !(await this.fill())) return undefined;
    const first = this.buffered[0];
    const taken = first.subarray(0, max);
    if (taken.length === first.length) this.buffered.shift();
    else this.buffered[0] = first.subarray(taken.length);
    this.length -= taken.length;
    return taken;
  }

  async exactly(size: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let missing = size;
    while (missing > 0) {
      const part = await this.some(missing);
      if (!part) throw new TarFormatError('the archive ends in the middle of an entry (truncated)');
      parts.push(part);
      missing -= part.length;
    }
    return Buffer.concat(parts);
  }
}

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function parseHeader(header: Buffer): { path: string; size: number } {
  const stored = Number.parseInt(field(header, 148, 8).trim() || 'x', 8);
  const blank = Buffer.from(header);
  blank.write('        ', 148, 'ascii');
  if (stored !== blank.reduce((total, byte) => total + byte, 0)) throw new TarFormatError('an archive header is damaged (bad checksum)');
  const type = field(header, 156, 1);
  const prefix = field(header, 345, 155);
  const path = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
  if (type !== '0' && type !== '') throw new TarFormatError(`the archive holds something other than a regular file: ${path}`);
  if (!isSafeArchivePath(path)) throw new TarFormatError(`the archive holds an unsafe path: ${path}`);
  const size = Number.parseInt(field(header, 124, 12).trim(), 8);
  if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError(`an archive header has a bad size: ${path}`);
  return { path, size };
}

/** The entries of an uncompressed ustar stream, in order; any damage throws TarFormatError. */
export async function* readTar(source: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  for (;;) {
    const header = await reader.exactly(BLOCK);
    if (header.every((byte) => byte === 0)) {
      // Read to the very end, so the decompressor checks its trailer too (a cut-off file fails there).
      for (let rest = await reader.some(BLOCK); rest; rest = await reader.some(BLOCK)) {
        if (!rest.every((byte) => byte === 0)) throw new TarFormatError('the archive has data after its end');
      }
      return;
    }
    const { path, size } = parseHeader(header);
    let consumed = false;
    async function* chunks(): AsyncGenerator<Buffer> {
      let missing = size;
      while (missing > 0) {
        const part = await reader.some(missing);
        if (!part) throw new TarFormatError(`the archive ends in the middle of ${path} (truncated)`);
        missing -= part.length;
        yield part;
      }
      await reader.exactly(tarPadding(size).length);
      consumed = true;
    }
    yield { path, size, chunks: chunks() };
    if (!consumed) throw new Error(`the entry ${path} was not read to its end`);
  }
}
