import { rmSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// Runs in a worker thread (see embedded-postgres.ts): PGlite (WASM, synchronous file I/O) and its
// socket server, so the API's event loop only does pg-protocol I/O on the unix socket. Node runs
// this file as it is in tests (type stripping) and webpack bundles it beside main.js, so it uses
// only erasable TypeScript and imports nothing of ours.

export interface EmbeddedPostgresJob {
  dbDir: string;
  socketPath: string;
}

/** The main thread asks the worker to stop; the worker answers once PGlite closed its files. */
export type EmbeddedPostgresCommand = { type: 'stop' };

export type EmbeddedPostgresEvent = { type: 'ready' } | { type: 'stopped' } | { type: 'failed'; message: string };

async function serve(port: NonNullable<typeof parentPort>, job: EmbeddedPostgresJob): Promise<void> {
  rmSync(job.socketPath, { force: true });
  const db = await PGlite.create(job.dbDir, { extensions: { vector } });
  const server = new PGLiteSocketServer({ db, path: job.socketPath, maxConnections: 4 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  port.on('message', (command: EmbeddedPostgresCommand) => {
    if (command.type !== 'stop') return;
    void (async () => {
      await server.stop();
      await db.close();
      port.postMessage({ type: 'stopped' } satisfies EmbeddedPostgresEvent);
    })().catch((error: unknown) => port.postMessage(failed(error)));
  });
  port.postMessage({ type: 'ready' } satisfies EmbeddedPostgresEvent);
}

function failed(error: unknown): EmbeddedPostgresEvent {
  return { type: 'failed', message: error instanceof Error ? error.message : String(error) };
}

const port = parentPort;
if (port) {
  serve(port, workerData as EmbeddedPostgresJob).catch((error: unknown) => port.postMessage(failed(error)));
}
