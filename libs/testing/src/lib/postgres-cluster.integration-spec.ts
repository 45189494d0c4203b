import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { startPostgresCluster } from './postgres-cluster';
import { createEmptyTestDatabase, createTestDatabase } from './test-database';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('PostgreSQL test harness', () => {
  it('starts a real server on a private socket and removes it on stop', async () => {
    const cluster = await startPostgresCluster();
    const [row] = await query<{ server_version_num: string }>(cluster.url(), 'SHOW server_version_num');
    expect(Number(row.server_version_num)).toBeGreaterThanOrEqual(150000);
    await cluster.stop();
    expect(existsSync(cluster.socketDir)).toBe(false);
  });

  it('gives each caller its own migrated database, and empty ones on request', async () => {
    const [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    expect(first).not.toBe(second);
    const tables = await query<{ tablename: string }>(first, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['migrations', 'users']));
    const empty = await query<{ count: string }>(
      await createEmptyTestDatabase(),
      `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`,
    );
    expect(Number(empty[0].count)).toBe(0);
  });
});
