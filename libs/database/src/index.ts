export { createDataSourceOptions, ENTITIES, MIGRATIONS, type DatabaseConnection } from './lib/data-source';
export { DatabaseModule } from './lib/database.module';
export { EmbeddedDatabaseLockedError, startEmbeddedPostgres, type EmbeddedPostgres } from './lib/embedded-postgres';
export { migrateDown, migrateUp, migrationStatus, type MigrationStatus } from './lib/migrations';
export { openDatabase, type OpenDatabase } from './lib/open-database';
export { UserEntity } from './lib/entities/user.entity';
