import { Readable } from 'node:stream';
import { readTar, TAR_END, tarHeader, tarPadding } from './tar';

const archiveOf = (...files: [string, Buffer][]) =>
  Buffer.concat([
    ...files.flatMap(([path, bytes]) => [tarHeader(path, bytes.length, new Date(0)), bytes, tarPadding(bytes.length)]),
    TAR_END,
  ]);

async function entriesOf(archive: Buffer, chunkSize = 100): Promise<[string, string][]> {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < archive.length; offset += chunkSize) chunks.push(archive.subarray(offset, offset + chunkSize));
  const entries: [string, string][] = [];
  for await (const entry of readTar(Readable.from(chunks))) {
    const parts: Buffer[] = [];
    for await (const part of entry.chunks) parts.push(part);
    entries.push([entry.path, Buffer.concat(parts).toString('utf8')]);
  }
  return entries;
}

describe('the backup tar format', () => {
  it('reads back what it writes, in any chunking, long paths included', async () => {
    const long = `files/uploads/ab/${'a'.repeat(64)}/${'b'.repeat(60)}`;
    const archive = archiveOf(
      ['database/users.jsonl', Buffer.from('{"id":1}\n')],
      [long, Buffer.alloc(0)],
      ['x', Buffer.from('y'.repeat(700))],
    );
    for (const size of [1, 7, 512, 100_000]) {
      await expect(entriesOf(archive, size)).resolves.toEqual([
        ['database/users.jsonl', '{"id":1}\n'],
        [long, ''],
        ['x', 'y'.repeat(700)],
      ]);
    }
  });

  it('refuses unsafe paths when writing', () => {
    for (const path of ['../etc/passwd', '/etc/passwd', 'a/../b', 'a//b', 'a/./b', '', 'a b']) {
      expect(() => tarHeader(path, 0, new Date(0))).toThrow('unsafe archive path');
    }
  });

  it('refuses a damaged header, a truncated entry, data after the end and links', async () => {
    const archive = archiveOf(['a.txt', Buffer.from('hello')]);
    const damaged = Buffer.from(archive);
    damaged[3] ^= 1;
    await expect(entriesOf(damaged)).rejects.toThrow('bad checksum');
    await expect(entriesOf(archive.subarray(0, 600))).rejects.toThrow('truncated');
    await expect(entriesOf(Buffer.concat([archive, Buffer.from('junk')]))).rejects.toThrow('data after its end');
    const link = Buffer.from(archive);
    link.write('2', 156, 'ascii');
    link.write('        ', 148, 'ascii');
    link.write(
      `${link
        .subarray(0, 512)
        .reduce((sum, byte) => sum + byte, 0)
        .toString(8)
        .padStart(6, '0')}\0 `,
      148,
      'ascii',
    );
    await expect(entriesOf(link)).rejects.toThrow('something other than a regular file');
  });
});
