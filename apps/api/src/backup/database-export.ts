import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestTable } from './backup-manifest';
import type { BackupRepository, TableShape } from './backup.repository';

const ROWS_PER_FETCH = 1000;

/** Where an export goes: the schema's last migration, then each table followed by its rows. */
export interface ExportSink {
  schema(migration: string): Promise<void>;
  table(table: TableShape): Promise<void>;
  rows(lines: string[]): Promise<void>;
}

/** Exports every table into `sink`; the caller holds the snapshot (one transaction) around it. */
export async function exportTables(repository: BackupRepository, sink: ExportSink): Promise<void> {
  const migration = (await repository.appliedMigrations()).at(-1);
  if (!migration) throw new Error('the database has no Aegis schema (no migration applied): nothing to back up');
  await sink.schema(migration);
  for (const table of await repository.tables()) {
    await sink.table(table);
    for await (const batch of repository.rows(table, ROWS_PER_FETCH)) await sink.rows(batch);
  }
}

export interface ExportedDatabase {
  schemaMigration: string;
  tables: ManifestTable[];
}

/** Writes each table's rows to `<dir>/<table>.jsonl` (one JSON object a line) and counts them. */
export class FileExportSink implements ExportSink {
  private schemaMigration: string | undefined;
  private readonly tables: ManifestTable[] = [];
  private file: Awaited<ReturnType<typeof open>> | undefined;

  constructor(private readonly dir: string) {}

  schema(migration: string): Promise<void> {
    this.schemaMigration = migration;
    return Promise.resolve();
  }

  async table(table: TableShape): Promise<void> {
    await this.file?.close();
    this.file = await open(join(this.dir, `${table.name}.jsonl`), 'wx', 0o600);
    this.tables.push({ name: table.name, columns: table.columns, rows: 0 });
  }

  async rows(lines: string[]): Promise<void> {
    const current = this.tables.at(-1);
    if (!this.file || !current) throw new Error('rows arrived before their table');
    await this.file.write(`${lines.join('\n')}\n`);
    current.rows += lines.length;
  }

  /** Closes the last file; the export as the manifest describes it. */
  async finish(): Promise<ExportedDatabase> {
    await this.file?.close();
    this.file = undefined;
    if (!this.schemaMigration) throw new Error('the export named no schema migration');
    return { schemaMigration: this.schemaMigration, tables: this.tables };
  }

  /** Closes the open file after a failure (the directory is removed by the caller). */
  async abandon(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
  }
}
