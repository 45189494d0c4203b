import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type BackupManifest, MANIFEST_PATH, manifestChecksum } from './backup-manifest';
import { readTar, TAR_END, tarHeader, tarPadding } from './tar';

/**
 * A copy of a backup archive whose manifest has `changes`, with a matching checksum (a well-formed
 * archive that says something else) or, with `keepChecksum`, the original one (a forged manifest).
 */
export async function rewriteManifest(
  archive: Buffer,
  changes: Partial<BackupManifest>,
  options: { keepChecksum?: boolean } = {},
): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const entry of readTar(Readable.from([gunzipSync(archive)]))) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry.chunks) chunks.push(chunk);
    let bytes = Buffer.concat(chunks);
    if (entry.path === MANIFEST_PATH) {
      const manifest = { ...(JSON.parse(bytes.toString('utf8')) as BackupManifest), ...changes };
      bytes = Buffer.from(JSON.stringify({ ...manifest, checksum: options.keepChecksum ? manifest.checksum : manifestChecksum(manifest) }));
    }
    parts.push(tarHeader(entry.path, bytes.length, new Date()), bytes, tarPadding(bytes.length));
  }
  return gzipSync(Buffer.concat([...parts, TAR_END]));
}
