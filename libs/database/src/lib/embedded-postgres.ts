import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** PGlite served over a unix socket, so the ordinary `pg` driver and TypeORM talk to it. */
export interface EmbeddedPostgres {
  /** A postgres:// URL for `pg`, pointing at the unix socket. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export class EmbeddedDatabaseLockedError extends Error {
  constructor(lockFile: string, pid: number) {
    super(
      `The embedded database is in use by process ${pid} (lock ${lockFile}). ` +
        'PGlite allows one process at a time: stop the server first, or set DATABASE_URL.',
    );
    this.name = 'EmbeddedDatabaseLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One process at a time may open a PGlite directory; a stale lock from a dead process is taken over. */
function acquireLock(lockFile: string): void {
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new EmbeddedDatabaseLockedError(lockFile, pid);
    }
  }
  writeFileSync(lockFile, String(process.pid), { mode: 0o600 });
}

/**
 * Opens (or creates) the embedded database under `<dataDir>/pglite` with the pgvector extension,
 * and serves it on `<dataDir>/run/.s.PGSQL.5432`. PGlite runs one query at a time, so the server
 * takes one connection and the `pg` pool must use one connection too (see createDataSourceOptions).
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dbDir = join(dataDir, 'pglite');
  const runDir = join(dataDir, 'run');
  const lockFile = join(dataDir, 'pglite.lock');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  acquireLock(lockFile);

  const socketPath = join(runDir, '.s.PGSQL.5432');
  rmSync(socketPath, { force: true });
  const db = await PGlite.create(dbDir, { extensions: { vector } });
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 4 });
  await server.start();

  let stopped = false;
  return {
    url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(runDir)}`,
    dataDir: dbDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      rmSync(socketPath, { force: true });
      rmSync(lockFile, { force: true });
    },
  };
}
