import type { BrowserSession } from '../testing/http-session';
import { ADMIN_PASSWORD, type Instance, startTwoApiInstances, type TwoApiInstances, USER_PASSWORD } from './auth-cache.fixture';

/**
 * The auth state cache (docs/security.md "Authentication") never outlives a change: after each
 * change the NEXT request is refused, made on the instance that changed it or on another one.
 */
describe('auth state cache: every change takes effect at the next request', () => {
  let instances: TwoApiInstances;
  let serial = 0;

  beforeAll(async () => {
    instances = await startTwoApiInstances();
  });

  afterAll(() => instances.stop());

  describe.each([
    ['on the same instance', () => instances.second],
    ['on another instance (through Redis)', () => instances.first],
  ])('a change made %s', (_where, changerOf: () => Instance) => {
    let changer: Instance;
    let checker: Instance;
    let admin: BrowserSession;
    const name = (base: string) => `${base}${++serial}`;

    beforeAll(async () => {
      changer = changerOf();
      checker = instances.second;
      admin = await changer.login('root', ADMIN_PASSWORD);
    });

    it('a revoked key gets 401', async () => {
      const { id, key } = await changer.createKey(admin, 'operator');
      await checker.withKey(key, '/api/auth/me').expect(200);
      await checker.withKey(key, '/api/auth/me').expect(200);
      await changer.asBrowser(admin, 'delete', `/api/api-keys/${id}`).expect(204);
      await checker.withKey(key, '/api/auth/me').expect(401);
    });

    it('a disabled user gets 401 with a cookie and with a key', async () => {
      const username = name('dora');
      const id = await changer.createUser(admin, username, 'operator');
      const dora = await changer.login(username, USER_PASSWORD);
      const { key } = await changer.createKey(dora, 'operator');
      await checker.asBrowser(dora, 'get', '/api/auth/me').expect(200);
      await checker.withKey(key, '/api/auth/me').expect(200);
      await changer.asBrowser(admin, 'delete', `/api/users/${id}`).expect(204);
      await checker.asBrowser(dora, 'get', '/api/auth/me').expect(401);
      await checker.withKey(key, '/api/auth/me').expect(401);
    });

    it('a re-enabled user is let in again', async () => {
      const username = name('erin');
      const id = await changer.createUser(admin, username, 'viewer');
      const { key } = await changer.createKey(await changer.login(username, USER_PASSWORD), 'viewer');
      await changer.asBrowser(admin, 'delete', `/api/users/${id}`).expect(204);
      await checker.withKey(key, '/api/auth/me').expect(401);
      await changer.asBrowser(admin, 'patch', `/api/users/${id}`).send({ disabled: false }).expect(200);
      await checker.withKey(key, '/api/auth/me').expect(200);
    });

    it('a lowered role gets 403 on an admin route with a cookie and with a key', async () => {
      const username = name('ada');
      const id = await changer.createUser(admin, username, 'admin');
      const ada = await changer.login(username, USER_PASSWORD);
      const { key } = await changer.createKey(ada, 'admin');
      await checker.asBrowser(ada, 'get', '/api/users').expect(200);
      await checker.withKey(key, '/api/usage').expect(200);
      await changer.asBrowser(admin, 'patch', `/api/users/${id}`).send({ role: 'viewer' }).expect(200);
      await checker.asBrowser(ada, 'get', '/api/users').expect(403);
      await checker.withKey(key, '/api/usage').expect(403);
    });

    it('a signed-out session gets 401', async () => {
      const session = await changer.login('root', ADMIN_PASSWORD);
      await checker.asBrowser(session, 'get', '/api/auth/me').expect(200);
      await changer.asBrowser(session, 'post', '/api/auth/logout').expect(204);
      await checker.asBrowser(session, 'get', '/api/auth/me').expect(401);
      await checker.asBrowser(admin, 'get', '/api/auth/me').expect(200);
    });

    it('a password change ends every other session of the user', async () => {
      const username = name('paul');
      await changer.createUser(admin, username, 'viewer');
      const elsewhere = await changer.login(username, USER_PASSWORD);
      const here = await changer.login(username, USER_PASSWORD);
      await checker.asBrowser(elsewhere, 'get', '/api/auth/me').expect(200);
      await changer
        .asBrowser(here, 'post', '/api/auth/password')
        .send({ currentPassword: USER_PASSWORD, newPassword: 'a brand new passphrase' })
        .expect(204);
      await checker.asBrowser(elsewhere, 'get', '/api/auth/me').expect(401);
    });

    it('a reused refresh token ends its sign-in for the access token too', async () => {
      const session = await changer.login('root', ADMIN_PASSWORD);
      await checker.asBrowser(session, 'get', '/api/auth/me').expect(200);
      await changer.http().post('/api/auth/refresh').send({ refreshToken: session.refresh }).expect(200);
      await changer.http().post('/api/auth/refresh').send({ refreshToken: session.refresh }).expect(401);
      await checker.asBrowser(session, 'get', '/api/auth/me').expect(401);
    });
  });
});
