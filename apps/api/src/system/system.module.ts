import type { DatabaseConnection } from '@aegis/database';
import { GovernanceModule } from '@aegis/governance';
import { type DynamicModule, Module } from '@nestjs/common';
import { SystemController } from './system.controller';
import { SystemRepository } from './system.repository';
import { DATABASE_CONNECTION, SystemService } from './system.service';

/** GET /api/system (admins). Needs the database connection main.ts chose, to say which kind it is. */
@Module({})
export class SystemModule {
  static forRoot(database: DatabaseConnection): DynamicModule {
    return {
      module: SystemModule,
      imports: [GovernanceModule],
      controllers: [SystemController],
      providers: [{ provide: DATABASE_CONNECTION, useValue: { embedded: database.embedded } }, SystemRepository, SystemService],
    };
  }
}
