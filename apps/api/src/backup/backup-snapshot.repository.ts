import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BackupRepository } from './backup.repository';

/** A read-only snapshot on one of the server's own pooled connections (with the embedded database, its only one). */
@Injectable()
export class BackupSnapshotRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async withSnapshot<T>(work: (repository: BackupRepository) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const repository = new BackupRepository(<R>(sql: string, params?: unknown[]) => runner.query(sql, params) as Promise<R[]>);
      return await repository.inSnapshot(() => work(repository));
    } finally {
      await runner.release();
    }
  }
}
