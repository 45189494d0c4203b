import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AppConfig } from '@aegis/config';
import { type DatabaseConnection, migrateUp, startEmbeddedPostgres } from '@aegis/database';
import { type BackupManifest, BackupRefusedError, FILES_DIR, tableFile } from './backup-manifest';
import { MIGRATION_NAMES, migrateThrough } from './backup-schema.repository';
import { BackupRepository, type TableShape } from './backup.repository';
import { readBackup } from './read-backup';

const ROWS_PER_INSERT = 500;

export interface RestoreSummary {
  manifest: BackupManifest;
  /** Migrations this build applied after the backup's own. */
  upgradedWith: string[];
  /** `table.column` values of the backup this database has no column for (an optional extension missing). */
  leftOut: string[];
}

interface Target extends DatabaseConnection {
  close(): Promise<void>;
}

async function isEmptyDirectory(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return true;
  return (await readdir(dir)).length === 0;
}

/** DATABASE_URL, which must hold nothing yet; else a new embedded database in the (empty) DATA_DIR. */
async function openTarget(config: AppConfig): Promise<Target> {
  if (!config.databaseUrl) {
    const embedded = await startEmbeddedPostgres(config.dataDir);
    return { url: embedded.url, embedded: true, close: () => embedded.stop() };
  }
  const url = config.databaseUrl.reveal();
  const repository = await BackupRepository.connect(url);
  try {
    if (!(await repository.isEmpty())) {
      throw new BackupRefusedError('the database at DATABASE_URL is not empty: restore into a new, empty database');
    }
  } finally {
    await repository.close();
  }
  return { url, embedded: false, close: () => Promise.resolve() };
}

async function* linesOf(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) yield line;
}

/**
 * Each backed-up table with the columns this database has too. A column only the backup has is an optional one
 * (pgvector's `memory_items.embedding` where the extension is missing): its values are left out, and named when there were any.
 */
async function columnsToLoad(repository: BackupRepository, manifest: BackupManifest): Promise<{ tables: TableShape[]; leftOut: string[] }> {
  const schema = new Map((await repository.tables()).map((table) => [table.name, new Set(table.columns)]));
  const leftOut: string[] = [];
  const tables = manifest.tables.map((table) => {
    const here = schema.get(table.name);
    if (!here) {
      throw new BackupRefusedError(`table ${table.name} of the backup does not exist in this build's schema ${manifest.schemaMigration}`);
    }
    const missing = table.columns.filter((column) => !here.has(column));
    if (table.rows > 0) leftOut.push(...missing.map((column) => `${table.name}.${column}`));
    return { name: table.name, columns: table.columns.filter((column) => here.has(column)) };
  });
  return { tables, leftOut };
}

/** Loads every table's rows in one transaction, foreign keys dropped meanwhile and checked again when added back; returns the columns left out. */
async function loadRows(url: string, manifest: BackupManifest, dir: string): Promise<string[]> {
  const repository = await BackupRepository.connect(url);
  try {
    const { tables, leftOut } = await columnsToLoad(repository, manifest);
    await repository.begin();
    try {
      const keys = await repository.foreignKeys();
      for (const key of keys) await repository.dropForeignKey(key);
      for (const [index, table] of tables.entries()) {
        const expected = manifest.tables[index].rows;
        let batch: string[] = [];
        let rows = 0;
        for await (const line of linesOf(join(dir, tableFile(table.name)))) {
          batch.push(line);
          rows += 1;
          if (batch.length === ROWS_PER_INSERT) {
            await repository.insertRows(table, batch);
            batch = [];
          }
        }
        if (batch.length > 0) await repository.insertRows(table, batch);
        if (rows !== expected) throw new BackupRefusedError(`table ${table.name} has ${rows} rows, its manifest says ${expected}`);
        await repository.resetSequences(table);
      }
      for (const key of keys) await repository.addForeignKey(key);
      await repository.commit();
      return leftOut;
    } catch (error) {
      await repository.rollback();
      throw error;
    }
  } finally {
    await repository.close();
  }
}

/** Moves the backed-up DATA_DIR parts (uploads, secrets) from the unpacked archive into DATA_DIR. */
async function placeFiles(unpacked: string, dataDir: string): Promise<void> {
  const files = join(unpacked, FILES_DIR);
  if (!existsSync(files)) return;
  for (const part of await readdir(files)) await rename(join(files, part), join(dataDir, part));
}

/** Empties DATA_DIR again after a failed restore (it was empty before: checked first). */
async function clearDataDir(dataDir: string): Promise<void> {
  if (!existsSync(dataDir)) return;
  for (const entry of await readdir(dataDir)) await rm(join(dataDir, entry), { recursive: true, force: true });
}

/**
 * Restores `file` into the configured DATA_DIR (which must be empty) and database (DATABASE_URL,
 * which must be empty, or the embedded one created in DATA_DIR): schema up to the backup's
 * migration, the rows, then this build's later migrations, then the uploads and secrets.
 */
export async function restoreBackup(config: AppConfig, file: string): Promise<RestoreSummary> {
  const dataDir = config.dataDir;
  if (!(await isEmptyDirectory(dataDir))) {
    throw new BackupRefusedError(`${dataDir} is not empty: restore into a fresh DATA_DIR (--data-dir DIR)`);
  }
  // Unpacked inside DATA_DIR itself: the same file system (its parts are moved into place by rename), and
  // writable where DATA_DIR is a volume on a read-only container.
  await mkdir(dataDir, { recursive: true });
  const unpacked = await mkdtemp(join(dataDir, '.restore-'));
  try {
    const manifest = await readBackup(file, unpacked);
    if (!MIGRATION_NAMES.includes(manifest.schemaMigration)) {
      throw new BackupRefusedError(
        `the backup's schema (${manifest.schemaMigration}, Aegis ${manifest.aegisVersion}) is newer than this build's ` +
          `(${MIGRATION_NAMES.at(-1)}): restore it with that version of Aegis or a later one`,
      );
    }
    let target: Target | undefined;
    try {
      target = await openTarget(config);
      let upgradedWith: string[];
      let leftOut: string[];
      try {
        await migrateThrough(target, manifest.schemaMigration);
        leftOut = await loadRows(target.url, manifest, unpacked);
        upgradedWith = await migrateUp(target);
      } finally {
        await target.close();
      }
      await placeFiles(unpacked, dataDir);
      return { manifest, upgradedWith, leftOut };
    } catch (error) {
      await clearDataDir(dataDir);
      if (!target || target.embedded) throw error;
      const note = ' (the database at DATABASE_URL may now hold part of the schema: recreate it empty before trying again)';
      if (error instanceof BackupRefusedError) throw new BackupRefusedError(`${error.message}${note}`);
      throw new Error(`${error instanceof Error ? error.message : String(error)}${note}`, { cause: error });
    }
  } finally {
    await rm(unpacked, { recursive: true, force: true });
  }
}
