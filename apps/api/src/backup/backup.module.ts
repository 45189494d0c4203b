import type { DatabaseConnection } from '@aegis/database';
import { type DynamicModule, Module } from '@nestjs/common';
import { BackupSnapshotRepository } from './backup-snapshot.repository';
import { BackupSocketService, EMBEDDED_DATABASE } from './backup-socket.service';

/** The running server's side of `npm run backup` for the embedded database (the backup socket). */
@Module({})
export class BackupModule {
  static forRoot(database: DatabaseConnection): DynamicModule {
    return {
      module: BackupModule,
      providers: [{ provide: EMBEDDED_DATABASE, useValue: database.embedded }, BackupSnapshotRepository, BackupSocketService],
    };
  }
}
