import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** What the system page reads from the database itself (not from any table). */
@Injectable()
export class SystemRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The server's full `version()` string, or null when the answer has no such text. */
  async serverVersion(): Promise<string | null> {
    const rows: unknown = await this.dataSource.query('SELECT version() AS version');
    const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
    return typeof first === 'object' && first !== null && 'version' in first && typeof first.version === 'string' ? first.version : null;
  }
}
