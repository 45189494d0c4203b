import { type Role } from '@aegis/contracts';
import { ApiKeyEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';

interface NewApiKey {
  userId: string;
  name: string;
  prefix: string;
  keyHash: string;
  role: Role;
  expiresAt: Date | null;
}

/** api_keys: stored by the sha256 of the key, never the key itself. */
@Injectable()
export class ApiKeyRepository {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  create(key: NewApiKey): Promise<ApiKeyEntity> {
    return this.keys.save(this.keys.create(key));
  }

  /** A user's keys, newest first. */
  listOf(userId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  findById(id: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ id });
  }

  findByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ keyHash });
  }

  async revoke(id: string): Promise<void> {
    await this.keys.update({ id }, { revokedAt: new Date() });
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.keys.update({ id }, { lastUsedAt: at });
  }
}
