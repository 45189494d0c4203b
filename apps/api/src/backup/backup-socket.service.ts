import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { type AppConfig, APP_CONFIG } from '@aegis/config';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BackupSnapshotRepository } from './backup-snapshot.repository';
import { backupSocketPath, socketExportSink } from './backup-socket';
import { exportTables } from './database-export';

export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');
const CLIENT_IDLE_MS = 60_000;

/**
 * With the embedded database, which one process holds, `npm run backup` exports it through the
 * running server: this socket answers each connection with one snapshot, read on the server's own
 * pooled connection so it never interleaves with the server's queries (docs/operations.md, "Backups").
 */
@Injectable()
export class BackupSocketService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BackupSocketService.name);
  private server: Server | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EMBEDDED_DATABASE) private readonly embedded: boolean,
    private readonly snapshots: BackupSnapshotRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.embedded) return;
    const path = backupSocketPath(this.config.dataDir);
    await rm(path, { force: true });
    const server = createServer((socket) => void this.serve(socket));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
    await chmod(path, 0o600);
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(backupSocketPath(this.config.dataDir), { force: true });
  }

  private async serve(socket: Socket): Promise<void> {
    socket.on('error', () => undefined); // a client that leaves early ends its export; nothing to report
    // A client that stops reading must not hold the snapshot (with PGlite, the server's only connection) for long.
    socket.setTimeout(CLIENT_IDLE_MS, () => socket.destroy());
    const sink = socketExportSink(socket);
    try {
      await this.snapshots.withSnapshot((repository) => exportTables(repository, sink));
      await sink.end();
      this.logger.log('database exported for a backup');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ err: error }, 'database export for a backup failed');
      if (!socket.destroyed) await sink.fail(reason).catch(() => undefined);
    } finally {
      socket.end();
    }
  }
}
