import { Role } from '@aegis/contracts';
import { UserEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, Not, QueryFailedError, type Repository } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
}

/** users: accounts, their password hashes, roles and the disabled flag. */
@Injectable()
export class UserRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  /** Oldest first. */
  list(): Promise<UserEntity[]> {
    return this.users.find({ order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** Usernames are unique regardless of case. */
  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('user').where('lower(user.username) = lower(:username)', { username }).getOne();
  }

  count(): Promise<number> {
    return this.users.count();
  }

  /** Enabled admins other than `id`: the last one can be neither demoted nor disabled. */
  countActiveAdminsExcept(id: string): Promise<number> {
    return this.users.countBy({ role: Role.Admin, disabled: false, id: Not(id) });
  }

  /** The new user, or undefined when the username is taken (also by a concurrent insert). */
  async insert(user: NewUser): Promise<UserEntity | undefined> {
    try {
      return await this.users.save(this.users.create(user));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
      throw error;
    }
  }

  save(user: UserEntity): Promise<UserEntity> {
    return this.users.save(user);
  }
}
