import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createDataSourceOptions, type DatabaseConnection } from './data-source';

/** TypeORM on the given connection; pending migrations run when the module starts. */
@Module({})
export class DatabaseModule {
  static forRoot(connection: DatabaseConnection): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...createDataSourceOptions(connection), migrationsRun: true, migrationsTransactionMode: 'each' })],
      exports: [TypeOrmModule],
    };
  }
}
