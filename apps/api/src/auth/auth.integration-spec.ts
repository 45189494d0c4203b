import { AdminBootstrapService } from '@aegis/auth';
import type { ErrorBody } from '@aegis/contracts';
import { createTestDatabase, testConfig } from '@aegis/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { createApp } from '../app/create-app';
import { type BrowserSession, cookieHeader, cookiesOf, sessionOf, setCookieLine } from '../testing/http-session';

const ADMIN_PASSWORD = 'admin-password-for-tests';
const USER_PASSWORD = 'correct horse battery staple';
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;

describe('auth against PostgreSQL', () => {
  let app: NestExpressApplication;
  let dataSource: DataSource;
  let admin: BrowserSession;
  const http = () => request(app.getHttpServer());

  async function login(username: string, password: string): Promise<request.Response> {
    return http().post('/api/auth/login').send({ username, password });
  }

  async function loginSession(username: string, password: string): Promise<BrowserSession> {
    const response = await login(username, password);
    expect(response.status).toBe(200);
    return sessionOf(response);
  }

  /** A cookie-authenticated state change, as the SPA makes it: cookies plus the CSRF header. */
  function asBrowser(session: BrowserSession, method: 'post' | 'patch' | 'delete', path: string) {
    const agent = http();
    return agent[method](path)
      .set('Cookie', cookieHeader(session, path.startsWith('/api/auth') ? 'auth' : 'api'))
      .set('X-CSRF-Token', session.csrf);
  }

  async function createUser(username: string, role: string): Promise<string> {
    const response = await asBrowser(admin, 'post', '/api/users').send({ username, password: USER_PASSWORD, role }).expect(201);
    return (response.body as { id: string }).id;
  }

  async function auditActions(): Promise<string[]> {
    return (await dataSource.query<{ action: string }[]>('SELECT action FROM audit_entries ORDER BY id')).map((row) => row.action);
  }

  beforeAll(async () => {
    const url = await createTestDatabase();
    ({ app } = await createApp(
      testConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD, RATE_LIMIT_LOGIN: '5/60', RATE_LIMIT_LOGIN_IP: '100/60' }),
      { url, embedded: false },
    ));
    await app.init();
    await app.get(AdminBootstrapService).ensureAdmin();
    dataSource = app.get(DataSource);
    admin = await loginSession('root', ADMIN_PASSWORD);
  });

  afterAll(() => app.close());

  it('signs in with httpOnly, SameSite=Strict, Secure cookies; the refresh cookie only goes to /api/auth', async () => {
    const response = await login('root', ADMIN_PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: { id: expect.any(String) as unknown, username: 'root', role: 'admin' } });
    const access = setCookieLine(response, 'access_token');
    const refresh = setCookieLine(response, 'refresh_token');
    const csrf = setCookieLine(response, 'csrf_token');
    for (const line of [access, refresh, csrf]) {
      expect(line).toMatch(/; Secure/);
      expect(line).toMatch(/SameSite=Strict/);
    }
    expect(access).toMatch(/HttpOnly/);
    expect(refresh).toMatch(/HttpOnly/);
    expect(refresh).toMatch(/Path=\/api\/auth/);
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(JSON.stringify(response.body)).not.toContain(cookiesOf(response)['refresh_token']);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await login('nobody-here', 'whatever-password');
    const wrong = await login('root', 'not-the-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect({ ...errorOf(unknown), requestId: '' }).toEqual({ ...errorOf(wrong), requestId: '' });
    expect(errorOf(wrong)).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Invalid username or password' });
  });

  it('keeps a viewer who refreshes a viewer, with the viewer’s own id', async () => {
    const viewerId = await createUser('vera', 'viewer');
    const viewer = await loginSession('vera', USER_PASSWORD);
    const refreshed = await http()
      .post('/api/auth/refresh')
      .set('Cookie', cookieHeader(viewer, 'auth'))
      .set('X-CSRF-Token', viewer.csrf)
      .expect(200);
    expect(refreshed.body).toEqual({ user: { id: viewerId, username: 'vera', role: 'viewer' } });
    const next = sessionOf(refreshed);
    const me = await http().get('/api/auth/me').set('Cookie', cookieHeader(next)).expect(200);
    expect(me.body).toEqual({ id: viewerId, username: 'vera', role: 'viewer' });
    await http().get('/api/users').set('Cookie', cookieHeader(next)).expect(403);
    expect(await auditActions()).toContain('auth.authorization.refused');
  });

  it('refreshes from the JSON body without cookies, and rotates every time', async () => {
    const session = await loginSession('root', ADMIN_PASSWORD);
    const first = await http().post('/api/auth/refresh').send({ refreshToken: session.refresh }).expect(200);
    const rotated = sessionOf(first).refresh;
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(session.refresh);
    await http().post('/api/auth/refresh').send({ refreshToken: rotated }).expect(200);
  });

  it('refuses a cookie-based refresh without the CSRF header', async () => {
    const session = await loginSession('root', ADMIN_PASSWORD);
    const response = await http().post('/api/auth/refresh').set('Cookie', cookieHeader(session, 'auth')).expect(403);
    expect(errorOf(response).code).toBe('CSRF_INVALID');
  });

  it('kills the whole family when a spent refresh token is replayed, and records it', async () => {
    const session = await loginSession('root', ADMIN_PASSWORD);
    const next = sessionOf(await http().post('/api/auth/refresh').send({ refreshToken: session.refresh }).expect(200));
    const replay = await http().post('/api/auth/refresh').send({ refreshToken: session.refresh }).expect(401);
    expect(errorOf(replay).code).toBe('REFRESH_TOKEN_REUSED');
    // The legitimate newer token of the same family is dead too.
    expect(errorOf(await http().post('/api/auth/refresh').send({ refreshToken: next.refresh }).expect(401)).code).toBe('UNAUTHENTICATED');
    expect(await auditActions()).toContain('auth.refresh.reused');
  });

  it('makes the refresh token useless after logout and clears the cookies', async () => {
    const session = await loginSession('root', ADMIN_PASSWORD);
    const response = await asBrowser(session, 'post', '/api/auth/logout').expect(204);
    expect(setCookieLine(response, 'access_token')).toMatch(/Expires=Thu, 01 Jan 1970/);
    await http().post('/api/auth/refresh').send({ refreshToken: session.refresh }).expect(401);
  });

  it('refuses a cookie-authenticated state change without the CSRF header', async () => {
    const withoutHeader = await http().post('/api/api-keys').set('Cookie', cookieHeader(admin)).send({ name: 'x' }).expect(403);
    expect(errorOf(withoutHeader).code).toBe('CSRF_INVALID');
    const wrongHeader = await http()
      .post('/api/api-keys')
      .set('Cookie', cookieHeader(admin))
      .set('X-CSRF-Token', 'forged.value')
      .send({ name: 'x' });
    expect(wrongHeader.status).toBe(403);
    await asBrowser(admin, 'post', '/api/api-keys').send({ name: 'with csrf' }).expect(201);
  });

  it('lets an API key work without CSRF until it is revoked', async () => {
    const created = await asBrowser(admin, 'post', '/api/api-keys').send({ name: 'ci smoke', role: 'operator' }).expect(201);
    const { id, key, prefix } = created.body as { id: string; key: string; prefix: string };
    expect(key).toMatch(/^aegis_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);

    const bearer = { Authorization: `Bearer ${key}` };
    expect((await http().get('/api/auth/me').set(bearer).expect(200)).body).toMatchObject({ username: 'root', role: 'operator' });
    const minted = await http().post('/api/api-keys').set(bearer).send({ name: 'made by a key', role: 'viewer' }).expect(403);
    expect(errorOf(minted).code).toBe('SESSION_REQUIRED');
    const listed = await http().get('/api/api-keys').set('Cookie', cookieHeader(admin)).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(JSON.stringify(await dataSource.query('SELECT * FROM api_keys'))).not.toContain(key);

    await asBrowser(admin, 'delete', `/api/api-keys/${id}`).expect(204);
    await http().get('/api/auth/me').set(bearer).expect(401);
    expect(await auditActions()).toEqual(expect.arrayContaining(['auth.api_key.created', 'auth.api_key.revoked']));
  });

  it('never gives an API key a role above its creator’s', async () => {
    await createUser('otto', 'operator');
    const operator = await loginSession('otto', USER_PASSWORD);
    const response = await asBrowser(operator, 'post', '/api/api-keys').send({ name: 'too strong', role: 'admin' }).expect(403);
    expect(errorOf(response).code).toBe('FORBIDDEN');
  });

  it('applies a role change and a disabled account at the next refresh', async () => {
    const id = await createUser('paula', 'operator');
    const paula = await loginSession('paula', USER_PASSWORD);
    await asBrowser(admin, 'patch', `/api/users/${id}`).send({ role: 'viewer' }).expect(200);
    const refreshed = await http().post('/api/auth/refresh').send({ refreshToken: paula.refresh }).expect(200);
    expect((refreshed.body as { user: { role: string } }).user.role).toBe('viewer');

    await asBrowser(admin, 'delete', `/api/users/${id}`).expect(204);
    await http()
      .post('/api/auth/refresh')
      .send({ refreshToken: sessionOf(refreshed).refresh })
      .expect(401);
    await login('paula', USER_PASSWORD).then((r) => expect(r.status).toBe(401));
  });

  it('validates user input and protects the last admin', async () => {
    const weak = await asBrowser(admin, 'post', '/api/users').send({ username: 'weakling', password: 'short', role: 'viewer' }).expect(422);
    expect(errorOf(weak)).toMatchObject({ code: 'WEAK_PASSWORD', details: ['password must be at least 12 characters'] });
    await asBrowser(admin, 'post', '/api/users').send({ username: 'ROOT', password: 'another-password-1', role: 'viewer' }).expect(409);
    await asBrowser(admin, 'post', '/api/users').send({ username: 'x', password: 'another-password-1', role: 'root' }).expect(400);
    await asBrowser(admin, 'patch', '/api/users/not-a-uuid').send({ role: 'viewer' }).expect(400);
    const [{ id }] = await dataSource.query<{ id: string }[]>(`SELECT id FROM users WHERE username = 'root'`);
    expect(errorOf(await asBrowser(admin, 'patch', `/api/users/${id}`).send({ role: 'viewer' }).expect(403)).code).toBe('LAST_ADMIN');
  });

  it('changes the own password, ending every session', async () => {
    await createUser('carla', 'viewer');
    const carla = await loginSession('carla', USER_PASSWORD);
    await asBrowser(carla, 'post', '/api/auth/password')
      .send({ currentPassword: 'wrong', newPassword: 'a brand new passphrase' })
      .expect(401);
    await asBrowser(carla, 'post', '/api/auth/password')
      .send({ currentPassword: USER_PASSWORD, newPassword: 'a brand new passphrase' })
      .expect(204);
    await http().post('/api/auth/refresh').send({ refreshToken: carla.refresh }).expect(401);
    await loginSession('carla', 'a brand new passphrase');
  });

  it('answers the sixth failed sign-in for one username within a minute with 429 and Retry-After', async () => {
    await createUser('mallory', 'viewer');
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await login('mallory', `guess-number-${attempt}`)).status).toBe(401);
    }
    const sixth = await login('mallory', USER_PASSWORD);
    expect(sixth.status).toBe(429);
    expect(errorOf(sixth).code).toBe('RATE_LIMITED');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another account from the same address is not locked out.
    expect((await login('root', ADMIN_PASSWORD)).status).toBe(200);
    expect(await auditActions()).toContain('auth.rate_limited');
  });

  it('keeps registration closed by default', async () => {
    expect(
      errorOf(await http().post('/api/auth/register').send({ username: 'newbie', password: 'newbie-password-1' }).expect(403)).code,
    ).toBe('REGISTRATION_DISABLED');
  });

  it('records sign-ins in the audit chain without any secret', async () => {
    const rows = JSON.stringify(await dataSource.query('SELECT * FROM audit_entries'));
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['auth.login.succeeded', 'auth.login.failed', 'auth.user.created', 'auth.user.role_changed']),
    );
    for (const secret of [ADMIN_PASSWORD, admin.refresh, admin.access, admin.csrf]) expect(rows).not.toContain(secret);
  });
});
