import { Client } from 'pg';

/** Runs one statement and returns its rows: a `pg` client here, the server's own TypeORM query runner in the backup socket. */
export type RunStatement = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

export interface TableShape {
  name: string;
  /** Stored columns in table order (generated columns are recomputed on restore). */
  columns: string[];
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const columnList = (columns: string[]) => columns.map(quote).join(', ');

/**
 * Every statement of backup and restore, on one `pg` connection: to an external PostgreSQL, or to
 * the embedded database's socket, also while the server runs (docs/operations.md, "Backups").
 */
export class BackupRepository {
  constructor(
    private readonly run: RunStatement,
    readonly close: () => Promise<void> = () => Promise.resolve(),
  ) {}

  static async connect(url: string): Promise<BackupRepository> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return new BackupRepository(
      async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
      () => client.end(),
    );
  }

  /** Runs `work` in one consistent, read-only view; with the embedded database every other query waits until it ends. */
  async inSnapshot<T>(work: () => Promise<T>): Promise<T> {
    await this.run('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await work();
    } finally {
      await this.run('COMMIT');
    }
  }

  async begin(): Promise<void> {
    await this.run('BEGIN');
  }

  async commit(): Promise<void> {
    await this.run('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.run('ROLLBACK');
  }

  /** Applied migrations, oldest first; none when the migrations table does not exist. */
  async appliedMigrations(): Promise<string[]> {
    const present = await this.run<{ present: boolean }>(`SELECT to_regclass('migrations') IS NOT NULL AS present`);
    if (!present[0]?.present) return [];
    const rows = await this.run<{ name: string }>('SELECT name FROM migrations ORDER BY timestamp ASC, id ASC');
    return rows.map((row) => row.name);
  }

  /** True when the public schema holds no relation at all (no table, sequence or view). */
  async isEmpty(): Promise<boolean> {
    const result = await this.run<{ count: string }>(
      `SELECT count(*) AS count FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`,
    );
    return Number(result[0]?.count) === 0;
  }

  /** The application's tables (not the migrations table) with their stored columns, by name. */
  async tables(): Promise<TableShape[]> {
    const result = await this.run<{ name: string; columns: string[] }>(
      `SELECT c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'migrations'
        GROUP BY c.relname
        ORDER BY c.relname`,
    );
    return result;
  }

  /** The table's rows as JSON text, `batchSize` at a time, through a cursor (inside the snapshot). */
  async *rows(table: TableShape, batchSize: number): AsyncGenerator<string[]> {
    await this.run(
      `DECLARE backup_rows NO SCROLL CURSOR FOR
         SELECT row_to_json(r)::text AS line FROM (SELECT ${columnList(table.columns)} FROM ${quote(table.name)}) r`,
    );
    try {
      for (;;) {
        const batch = await this.run<{ line: string }>(`FETCH ${batchSize} FROM backup_rows`);
        if (batch.length === 0) return;
        yield batch.map((row) => row.line);
      }
    } finally {
      await this.run('CLOSE backup_rows');
    }
  }

  async foreignKeys(): Promise<ForeignKey[]> {
    const result = await this.run<ForeignKey>(
      `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
         FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY conname`,
    );
    return result;
  }

  async dropForeignKey(key: ForeignKey): Promise<void> {
    await this.run(`ALTER TABLE ${key.table} DROP CONSTRAINT ${quote(key.name)}`);
  }

  /** Adds the constraint back, which checks every restored row against it. */
  async addForeignKey(key: ForeignKey): Promise<void> {
    await this.run(`ALTER TABLE ${key.table} ADD CONSTRAINT ${quote(key.name)} ${key.definition}`);
  }

  /** Inserts rows given as JSON objects (row_to_json's text); each column is parsed by its own type. */
  async insertRows(table: TableShape, lines: string[]): Promise<void> {
    const columns = columnList(table.columns);
    await this.run(
      `INSERT INTO ${quote(table.name)} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${quote(table.name)}, $1::json)`,
      [`[${lines.join(',')}]`],
    );
  }

  /** Moves each serial column's sequence past the restored rows' largest value. */
  async resetSequences(table: TableShape): Promise<void> {
    for (const column of table.columns) {
      const found = await this.run<{ sequence: string | null }>(`SELECT pg_get_serial_sequence($1, $2) AS sequence`, [
        quote(table.name),
        column,
      ]);
      const sequence = found[0]?.sequence;
      if (!sequence) continue;
      await this.run(`SELECT setval($1::regclass, COALESCE((SELECT max(${quote(column)}) FROM ${quote(table.name)}), 0) + 1, false)`, [
        sequence,
      ]);
    }
  }
}
