import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import {
  type BackupManifest,
  BackupRefusedError,
  DATABASE_DIR,
  FILES_DIR,
  MANIFEST_PATH,
  parseManifest,
  tableFile,
} from './backup-manifest';
import { readTar, type TarEntry, TarFormatError } from './tar';

const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

interface Extracted {
  size: number;
  sha256: string;
}

async function readAll(entry: TarEntry): Promise<Buffer> {
  if (entry.size > MAX_MANIFEST_BYTES) throw new BackupRefusedError('the backup manifest is implausibly large');
  const parts: Buffer[] = [];
  for await (const chunk of entry.chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Writes an entry under `dir` (directories 0700, files 0600), hashing it on the way. */
async function extract(entry: TarEntry, dir: string): Promise<Extracted> {
  const target = join(dir, entry.path);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const handle = await open(target, 'wx', 0o600);
  const hash = createHash('sha256');
  try {
    for await (const chunk of entry.chunks) {
      hash.update(chunk);
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
  return { size: entry.size, sha256: hash.digest('hex') };
}

/** Every file the manifest names is there with its size and digest, nothing else is, and each table has its rows file. */
function checkAgainstManifest(manifest: BackupManifest, extracted: Map<string, Extracted>): void {
  for (const file of manifest.files) {
    const found = extracted.get(file.path);
    if (!found) throw new BackupRefusedError(`the backup lacks ${file.path}, which its manifest lists`);
    if (found.size !== file.size || found.sha256 !== file.sha256) throw new BackupRefusedError(`${file.path} fails its sha256 checksum`);
  }
  const listed = new Set(manifest.files.map((file) => file.path));
  for (const path of extracted.keys()) {
    if (!listed.has(path)) throw new BackupRefusedError(`the backup holds ${path}, which its manifest does not list`);
    if (!path.startsWith(`${DATABASE_DIR}/`) && !path.startsWith(`${FILES_DIR}/`)) throw new BackupRefusedError(`unexpected entry ${path}`);
  }
  for (const table of manifest.tables) {
    if (!listed.has(tableFile(table.name))) throw new BackupRefusedError(`the backup lacks the rows of table ${table.name}`);
  }
}

/**
 * Unpacks `file` into the empty directory `dir` and checks it whole: gzip integrity, tar headers,
 * the manifest's checksum and every entry's size and sha256. Any flaw is a BackupRefusedError.
 */
export async function readBackup(file: string, dir: string): Promise<BackupManifest> {
  const compressed = createReadStream(file);
  const gunzip = createGunzip();
  compressed.on('error', (error) => gunzip.destroy(error));
  compressed.pipe(gunzip);
  const extracted = new Map<string, Extracted>();
  let manifest: BackupManifest | undefined;
  try {
    for await (const entry of readTar(gunzip)) {
      if (manifest) throw new BackupRefusedError(`the backup holds ${entry.path} after its manifest`);
      if (entry.path === MANIFEST_PATH) {
        manifest = parseManifest((await readAll(entry)).toString('utf8'));
        continue;
      }
      if (extracted.has(entry.path)) throw new BackupRefusedError(`the backup holds ${entry.path} twice`);
      extracted.set(entry.path, await extract(entry, dir));
    }
  } catch (error) {
    if (error instanceof BackupRefusedError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new Error(`cannot read ${file}: ${(error as Error).message}`);
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof TarFormatError || (typeof code === 'string' && code.startsWith('Z_'))) {
      throw new BackupRefusedError(`${file} is not a readable Aegis backup: corrupt or truncated (${reason})`);
    }
    throw error;
  } finally {
    compressed.destroy();
  }
  if (!manifest) throw new BackupRefusedError(`${file} has no manifest: not an Aegis backup, or truncated`);
  checkAgainstManifest(manifest, extracted);
  return manifest;
}
