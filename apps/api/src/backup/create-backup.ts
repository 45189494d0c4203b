import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { AppConfig } from '@aegis/config';
import { embeddedDatabaseUrl, EmbeddedDatabaseLockedError, startEmbeddedPostgres } from '@aegis/database';
import { AEGIS_VERSION } from '../system/aegis-version';
import {
  BACKUP_FORMAT,
  type BackupManifest,
  FILES_DIR,
  MANIFEST_PATH,
  manifestChecksum,
  type ManifestFile,
  type ManifestTable,
  tableFile,
} from './backup-manifest';
import { BackupRepository } from './backup.repository';
import { TAR_END, tarHeader, tarPadding } from './tar';

/** What DATA_DIR holds that the database does not: upload bytes and generated secrets. The workspace is not backed up. */
const DATA_DIR_PARTS = ['secrets', 'uploads'];
const ROWS_PER_FETCH = 1000;

export interface BackupSummary {
  manifest: BackupManifest;
  bytes: number;
}

interface Source {
  url: string;
  kind: BackupManifest['source'];
  close(): Promise<void>;
}

/** DATABASE_URL; else the embedded database, through the running server's socket when the server holds it. */
async function openSource(config: AppConfig): Promise<Source> {
  if (config.databaseUrl) return { url: config.databaseUrl.reveal(), kind: 'postgresql', close: () => Promise.resolve() };
  if (!existsSync(join(config.dataDir, 'pglite')))
    throw new Error(`no embedded database in ${config.dataDir}: set DATA_DIR (or DATABASE_URL)`);
  try {
    const embedded = await startEmbeddedPostgres(config.dataDir);
    return { url: embedded.url, kind: 'embedded', close: () => embedded.stop() };
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseLockedError)) throw error;
    return { url: embeddedDatabaseUrl(config.dataDir), kind: 'embedded', close: () => Promise.resolve() };
  }
}

/** Exports every table to `<workDir>/<table>.jsonl` in one snapshot; returns the schema's last migration and the tables. */
async function exportDatabase(url: string, workDir: string): Promise<{ schemaMigration: string; tables: ManifestTable[] }> {
  const repository = await BackupRepository.connect(url);
  try {
    await repository.beginSnapshot();
    try {
      const migrations = await repository.appliedMigrations();
      const schemaMigration = migrations.at(-1);
      if (!schemaMigration) throw new Error('the database has no Aegis schema (no migration applied): nothing to back up');
      const tables: ManifestTable[] = [];
      for (const table of await repository.tables()) {
        const handle = await open(join(workDir, `${table.name}.jsonl`), 'wx', 0o600);
        let rows = 0;
        try {
          for await (const batch of repository.rows(table, ROWS_PER_FETCH)) {
            await handle.write(`${batch.join('\n')}\n`);
            rows += batch.length;
          }
        } finally {
          await handle.close();
        }
        tables.push({ name: table.name, columns: table.columns, rows });
      }
      return { schemaMigration, tables };
    } finally {
      await repository.commit();
    }
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
    const source = await openSource(config);
    let exported: Awaited<ReturnType<typeof exportDatabase>>;
    try {
      exported = await exportDatabase(source.url, workDir);
    } finally {
      await source.close();
    }
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
        source: source.kind,
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
