export { createDataSourceOptions, ENTITIES, MIGRATIONS, type DatabaseConnection } from './lib/data-source';
export { DatabaseModule } from './lib/database.module';
export { EmbeddedDatabaseLockedError, startEmbeddedPostgres, type EmbeddedPostgres } from './lib/embedded-postgres';
export { migrateDown, migrateUp, migrationStatus, type MigrationStatus } from './lib/migrations';
export { openDatabase, type OpenDatabase } from './lib/open-database';
export { ApiKeyEntity } from './lib/entities/api-key.entity';
export { AuditEntryEntity, type AuditActorType } from './lib/entities/audit-entry.entity';
export { RefreshTokenEntity } from './lib/entities/refresh-token.entity';
export { UserEntity } from './lib/entities/user.entity';
