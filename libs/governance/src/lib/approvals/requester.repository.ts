import { ApiKeyEntity, UserEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * The users and api_keys rows governance reads to judge a stored request's requester (through
 * @aegis/database, since auth depends on governance and not the other way round).
 */
@Injectable()
export class RequesterRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findUser(id: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id });
  }

  findApiKey(id: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ id });
  }
}
