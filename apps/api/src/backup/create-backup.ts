import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { AppConfig } from '@aegis/config';
import { EmbeddedDatabaseLockedError, type EmbeddedPostgres, startEmbeddedPostgres } from '@aegis/database';
import { AEGIS_VERSION } from '../system/aegis-version';
import {
  BACKUP_FORMAT,
  type BackupManifest,
  FILES_DIR,
  MANIFEST_PATH,
  manifestChecksum,
  type ManifestFile,
  tableFile,
} from './backup-manifest';
import { backupSocketPath, exportThroughServer } from './backup-socket';
import { BackupRepository } from './backup.repository';
import { exportTables, FileExportSink } from './database-export';
import { TAR_END, tarHeader, tarPadding } from './tar';

/** What DATA_DIR holds that the database does not: upload bytes and generated secrets. The workspace is not backed up. */
const DATA_DIR_PARTS = ['secrets', 'uploads'];

export interface BackupSummary {
  manifest: BackupManifest;
  bytes: number;
}

/** Exports the database of `config` into `sink` in one consistent snapshot; returns what kind of database it was. */
async function exportDatabase(config: AppConfig, sink: FileExportSink): Promise<BackupManifest['source']> {
  if (config.databaseUrl) {
    await exportDirectly(config.databaseUrl.reveal(), sink);
    return 'postgresql';
  }
  if (!existsSync(join(config.dataDir, 'pglite'))) {
    throw new Error(`no embedded database in ${config.dataDir}: set DATA_DIR (or DATABASE_URL)`);
  }
  let embedded: EmbeddedPostgres;
  try {
    embedded = await startEmbeddedPostgres(config.dataDir);
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseLockedError)) throw error;
    // The server holds the database: it exports it on its own connection (backup-socket.service.ts).
    await exportThroughServer(backupSocketPath(config.dataDir), sink).catch((failure: NodeJS.ErrnoException) => {
      if (failure.code !== 'ENOENT' && failure.code !== 'ECONNREFUSED') throw failure;
      throw new Error(`${error.message} It offers no backup socket (${backupSocketPath(config.dataDir)}): stop it, or upgrade it first.`);
    });
    return 'embedded';
  }
  try {
    await exportDirectly(embedded.url, sink);
  } finally {
    await embedded.stop();
  }
  return 'embedded';
}

async function exportDirectly(url: string, sink: FileExportSink): Promise<void> {
  const repository = await BackupRepository.connect(url);
  try {
    await repository.inSnapshot(() => exportTables(repository, sink));
  } finally {
    await repository.close();
  }
}

/** Regular files under DATA_DIR's backed-up parts, relative to DATA_DIR, sorted; half-written uploads (*.tmp) left out. */
async function listDataFiles(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const part of DATA_DIR_PARTS) {
    const entries = await readdir(join(dataDir, part), { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.endsWith('.tmp')) continue;
      found.push(relative(dataDir, join(entry.parentPath, entry.name)).split(sep).join('/'));
    }
  }
  return found.sort();
}

interface PendingEntry {
  path: string;
  source: string;
}

/** The archive's bytes: each entry hashed as it is read, then the manifest naming every digest, last. */
async function* archiveBytes(entries: PendingEntry[], describe: (files: ManifestFile[]) => BackupManifest): AsyncGenerator<Buffer> {
  const files: ManifestFile[] = [];
  for (const entry of entries) {
    const handle = await open(entry.source, 'r');
    const { size, mtime } = await handle.stat();
    yield tarHeader(entry.path, size, mtime);
    const hash = createHash('sha256');
    let read = 0;
    for await (const chunk of handle.createReadStream()) {
      const bytes = chunk as Buffer;
      read += bytes.length;
      if (read > size) throw new Error(`${entry.source} grew while it was archived`);
      hash.update(bytes);
      yield bytes;
    }
    if (read !== size) throw new Error(`${entry.source} shrank while it was archived`);
    yield tarPadding(size);
    files.push({ path: entry.path, size, sha256: hash.digest('hex') });
  }
  const manifest = Buffer.from(`${JSON.stringify(describe(files), null, 2)}\n`);
  yield tarHeader(MANIFEST_PATH, manifest.length, new Date());
  yield manifest;
  yield tarPadding(manifest.length);
  yield TAR_END;
}

/**
 * Writes a backup of the database (consistent snapshot) and of DATA_DIR's uploads and secrets to
 * `out` (gzip'd tar, manifest last). Works while the server runs; `out` appears only once complete.
 */
export async function createBackup(config: AppConfig, out: string): Promise<BackupSummary> {
  const workDir = await mkdtemp(join(dirname(out), '.aegis-backup-'));
  const partial = join(workDir, 'archive.partial');
  try {
    const sink = new FileExportSink(workDir);
    let source: BackupManifest['source'];
    try {
      source = await exportDatabase(config, sink);
    } catch (error) {
      await sink.abandon();
      throw error;
    }
    const exported = await sink.finish();
    // Listed after the snapshot: an upload's bytes are written before its row, so every row exported has its file.
    const dataFiles = await listDataFiles(config.dataDir);
    const entries: PendingEntry[] = [
      ...exported.tables.map((table) => ({ path: tableFile(table.name), source: join(workDir, `${table.name}.jsonl`) })),
      ...dataFiles.map((path) => ({ path: `${FILES_DIR}/${path}`, source: join(config.dataDir, path) })),
    ];
    let manifest: BackupManifest | undefined;
    const describe = (files: ManifestFile[]): BackupManifest => {
      const fields = {
        format: BACKUP_FORMAT,
        aegisVersion: AEGIS_VERSION,
        createdAt: new Date().toISOString(),
        source,
        schemaMigration: exported.schemaMigration,
        tables: exported.tables,
        files,
      } as const;
      manifest = { ...fields, checksum: manifestChecksum(fields) };
      return manifest;
    };
    const output = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    await pipeline(Readable.from(archiveBytes(entries, describe)), createGzip(), output);
    if (!manifest) throw new Error('the archive was written without its manifest');
    await rename(partial, out);
    return { manifest, bytes: output.bytesWritten };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
