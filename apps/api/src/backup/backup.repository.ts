import { Client } from 'pg';

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
  private constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<BackupRepository> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return new BackupRepository(client);
  }

  close(): Promise<void> {
    return this.client.end();
  }

  /** A consistent, read-only view for the whole export. On the embedded database every other query waits until it ends. */
  async beginSnapshot(): Promise<void> {
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async begin(): Promise<void> {
    await this.client.query('BEGIN');
  }

  async commit(): Promise<void> {
    await this.client.query('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.client.query('ROLLBACK');
  }

  /** Applied migrations, oldest first; none when the migrations table does not exist. */
  async appliedMigrations(): Promise<string[]> {
    const present = await this.client.query<{ present: boolean }>(`SELECT to_regclass('migrations') IS NOT NULL AS present`);
    if (!present.rows[0]?.present) return [];
    const rows = await this.client.query<{ name: string }>('SELECT name FROM migrations ORDER BY timestamp ASC, id ASC');
    return rows.rows.map((row) => row.name);
  }

  /** True when the public schema holds no relation at all (no table, sequence or view). */
  async isEmpty(): Promise<boolean> {
    const result = await this.client.query<{ count: string }>(
      `SELECT count(*) AS count FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`,
    );
    return Number(result.rows[0]?.count) === 0;
  }

  /** The application's tables (not the migrations table) with their stored columns, by name. */
  async tables(): Promise<TableShape[]> {
    const result = await this.client.query<{ name: string; columns: string[] }>(
      `SELECT c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'migrations'
        GROUP BY c.relname
        ORDER BY c.relname`,
    );
    return result.rows;
  }

  /** The table's rows as JSON text, `batchSize` at a time, through a cursor (inside the snapshot). */
  async *rows(table: TableShape, batchSize: number): AsyncGenerator<string[]> {
    await this.client.query(
      `DECLARE backup_rows NO SCROLL CURSOR FOR
         SELECT row_to_json(r)::text AS line FROM (SELECT ${columnList(table.columns)} FROM ${quote(table.name)}) r`,
    );
    try {
      for (;;) {
        const batch = await this.client.query<{ line: string }>(`FETCH ${batchSize} FROM backup_rows`);
        if (batch.rows.length === 0) return;
        yield batch.rows.map((row) => row.line);
      }
    } finally {
      await this.client.query('CLOSE backup_rows');
    }
  }

  async foreignKeys(): Promise<ForeignKey[]> {
    const result = await this.client.query<ForeignKey>(
      `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
         FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY conname`,
    );
    return result.rows;
  }

  async dropForeignKey(key: ForeignKey): Promise<void> {
    await this.client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${quote(key.name)}`);
  }

  /** Adds the constraint back, which checks every restored row against it. */
  async addForeignKey(key: ForeignKey): Promise<void> {
    await this.client.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${quote(key.name)} ${key.definition}`);
  }

  /** Inserts rows given as JSON objects (row_to_json's text); each column is parsed by its own type. */
  async insertRows(table: TableShape, lines: string[]): Promise<void> {
    const columns = columnList(table.columns);
    await this.client.query(
      `INSERT INTO ${quote(table.name)} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${quote(table.name)}, $1::json)`,
      [`[${lines.join(',')}]`],
    );
  }

  /** Moves each serial column's sequence past the restored rows' largest value. */
  async resetSequences(table: TableShape): Promise<void> {
    for (const column of table.columns) {
      const found = await this.client.query<{ sequence: string | null }>(`SELECT pg_get_serial_sequence($1, $2) AS sequence`, [
        quote(table.name),
        column,
      ]);
      const sequence = found.rows[0]?.sequence;
      if (!sequence) continue;
      await this.client.query(
        `SELECT setval($1::regclass, COALESCE((SELECT max(${quote(column)}) FROM ${quote(table.name)}), 0) + 1, false)`,
        [sequence],
      );
    }
  }
}
