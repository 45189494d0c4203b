import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedPostgresCommand, EmbeddedPostgresEvent, EmbeddedPostgresJob } from './embedded-postgres.worker';

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
 * The worker's file: beside the bundle when the server runs from dist (an entry of
 * apps/api/webpack.config.js), else the TypeScript source, which Node runs by stripping its types.
 */
function workerPath(): string {
  const candidates = [join(__dirname, 'embedded-postgres.worker.js'), join(__dirname, 'embedded-postgres.worker.ts')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the embedded database worker is missing (looked for ${candidates.join(', ')})`);
  return found;
}

/** The worker's next answer of one of `types`; a failure, an error or its exit rejects. */
function nextEvent(worker: Worker, types: EmbeddedPostgresEvent['type'][]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (outcome: Error | undefined) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (outcome) reject(outcome);
      else resolve();
    };
    const onMessage = (event: EmbeddedPostgresEvent) => {
      if (event.type === 'failed') done(new Error(`The embedded database failed: ${event.message}`));
      else if (types.includes(event.type)) done(undefined);
    };
    const onError = (error: Error) => done(new Error(`The embedded database failed: ${error.message}`));
    const onExit = (code: number) => done(new Error(`The embedded database stopped unexpectedly (worker exit code ${code})`));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/**
 * Opens (or creates) the embedded database under `<dataDir>/pglite` with the pgvector extension,
 * and serves it on `<dataDir>/run/.s.PGSQL.5432` from a worker thread, so its WASM and synchronous
 * file I/O never block the caller's event loop. PGlite runs one query at a time, so the `pg` pool
 * must use one connection (see createDataSourceOptions).
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dbDir = join(dataDir, 'pglite');
  const runDir = join(dataDir, 'run');
  const lockFile = join(dataDir, 'pglite.lock');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  acquireLock(lockFile);

  const socketPath = join(runDir, '.s.PGSQL.5432');
  const job: EmbeddedPostgresJob = { dbDir, socketPath };
  const release = () => {
    rmSync(socketPath, { force: true });
    rmSync(lockFile, { force: true });
  };
  let worker: Worker | undefined;
  try {
    worker = new Worker(workerPath(), { workerData: job });
    await nextEvent(worker, ['ready']);
  } catch (error) {
    await worker?.terminate();
    release();
    throw error;
  }
  const running = worker;
  let exited = false;
  running.once('exit', () => (exited = true));

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    if (exited) return release();
    // PGlite closes its files first; only then is the thread ended.
    const stopped = nextEvent(running, ['stopped']);
    running.postMessage({ type: 'stop' } satisfies EmbeddedPostgresCommand);
    try {
      await stopped;
    } finally {
      await running.terminate();
      release();
    }
  };
  return {
    url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(runDir)}`,
    dataDir: dbDir,
    stop: () => (stopping ??= stop()),
  };
}
