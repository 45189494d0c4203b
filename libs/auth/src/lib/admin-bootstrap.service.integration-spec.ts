import { loadConfig } from '@aegis/config';
import { createDataSourceOptions, UserEntity } from '@aegis/database';
import { createTestDatabase } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { verifyPassword } from './password-hasher';
import { UserRepository } from './user.repository';

describe('AdminBootstrapService on PostgreSQL', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await new DataSource(createDataSourceOptions({ url: await createTestDatabase(), embedded: false })).initialize();
  });

  afterEach(() => dataSource.destroy());

  it('creates the admin once with a generated password, then never again', async () => {
    const service = new AdminBootstrapService(new UserRepository(dataSource), loadConfig({ ADMIN_USERNAME: 'root-admin' }));
    const first = await service.ensureAdmin();
    expect(first).toMatchObject({ created: true, username: 'root-admin' });
    const generated = first.created ? first.generatedPassword : undefined;
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const [admin] = await dataSource.getRepository(UserEntity).find();
    expect(admin).toMatchObject({ username: 'root-admin', role: 'admin', disabled: false });
    await expect(verifyPassword(admin.passwordHash, generated ?? '')).resolves.toBe(true);

    await expect(service.ensureAdmin()).resolves.toEqual({ created: false });
    expect(await dataSource.getRepository(UserEntity).count()).toBe(1);
  });

  it('uses ADMIN_PASSWORD when given and does not echo it back', async () => {
    const config = loadConfig({ ADMIN_PASSWORD: 'Given-Password-2026!' });
    const result = await new AdminBootstrapService(new UserRepository(dataSource), config).ensureAdmin();
    expect(result).toEqual({ created: true, username: 'admin' });
    const [admin] = await dataSource.getRepository(UserEntity).find();
    await expect(verifyPassword(admin.passwordHash, 'Given-Password-2026!')).resolves.toBe(true);
  });
});
