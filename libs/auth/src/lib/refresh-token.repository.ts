import { RefreshTokenEntity, UserEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, IsNull, type Repository } from 'typeorm';

type NewRefreshToken = Pick<RefreshTokenEntity, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt' | 'ip' | 'userAgent'>;

/** Where a new refresh token is stored: the repository, or the transaction of a rotation. */
export interface RefreshTokenWriter {
  insert(token: NewRefreshToken): Promise<void>;
}

/** What a rotation may do inside its transaction, the presented token's row locked until it ends. */
interface RefreshTokenRotation extends RefreshTokenWriter {
  lockByHash(tokenHash: string): Promise<RefreshTokenEntity | null>;
  findUser(id: string): Promise<UserEntity | null>;
  markUsed(id: string): Promise<void>;
  revokeFamily(familyId: string): Promise<void>;
}

class RotationInTransaction implements RefreshTokenRotation {
  constructor(private readonly manager: EntityManager) {}

  lockByHash(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.manager
      .getRepository(RefreshTokenEntity)
      .createQueryBuilder('token')
      .setLock('pessimistic_write')
      .where('token.tokenHash = :hash', { hash: tokenHash })
      .getOne();
  }

  findUser(id: string): Promise<UserEntity | null> {
    return this.manager.findOneBy(UserEntity, { id });
  }

  async markUsed(id: string): Promise<void> {
    await this.manager.update(RefreshTokenEntity, { id }, { usedAt: new Date() });
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.manager.update(RefreshTokenEntity, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async insert(token: NewRefreshToken): Promise<void> {
    await this.manager.insert(RefreshTokenEntity, token);
  }
}

/** refresh_tokens: one row per issued token (its sha256), grouped in families, one family per sign-in. */
@Injectable()
export class RefreshTokenRepository implements RefreshTokenWriter {
  private readonly tokens: Repository<RefreshTokenEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.tokens = dataSource.getRepository(RefreshTokenEntity);
  }

  /** Runs a rotation in one transaction: the service decides, the locked row keeps two refreshes of one token apart. */
  rotate<T>(work: (rotation: RefreshTokenRotation) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new RotationInTransaction(manager)));
  }

  async insert(token: NewRefreshToken): Promise<void> {
    await this.tokens.insert(token);
  }

  findByHash(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  /** The user of a family that still holds a token nobody revoked, or undefined when none is left. */
  async activeFamilyOwner(familyId: string): Promise<string | undefined> {
    const token = await this.tokens.findOne({ select: { userId: true }, where: { familyId, revokedAt: IsNull() } });
    return token?.userId;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async revokeUser(userId: string): Promise<void> {
    await this.tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
