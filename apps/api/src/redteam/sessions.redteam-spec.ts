import type { Response } from 'supertest';
import { REDTEAM_ADMIN_PASSWORD, REDTEAM_USER_PASSWORD, type RedteamServer, startRedteamServer } from './redteam-server';

// Sessions and the socket (issue 10, items 11–16): what a stolen key or a foreign page can do.

const FOREIGN_ORIGIN = 'https://evil.example';
const LISTED_ORIGIN = 'https://app.example.com';

function codeOf(response: Response): string | undefined {
  return (response.body as { code?: string }).code;
}

function setsCookies(response: Response): boolean {
  const header = response.headers['set-cookie'] as unknown;
  return Array.isArray(header) ? header.length > 0 : header !== undefined;
}

/** Audit entries of one action, newest first, as an admin reads them. */
async function auditOf(server: RedteamServer, action: string): Promise<{ ip: string | null; args: unknown }[]> {
  const response = await server
    .as('root')
    .get(`/api/audit?action=${encodeURIComponent(action)}&limit=200`)
    .expect(200);
  return (response.body as { items: { ip: string | null; args: unknown }[] }).items;
}

describe('red team: sessions', () => {
  let server: RedteamServer;

  beforeAll(async () => {
    server = await startRedteamServer({ env: { CORS_ORIGINS: LISTED_ORIGIN, RATE_LIMIT_LOGIN: '3/60' } });
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('an API key is not a session (item 11)', () => {
    it('an API key cannot mint another API key (which would outlive it)', async () => {
      const key = await server.apiKey('opal');
      const minted = await server.withKey(key).post('/api/api-keys', { name: 'child' });
      expect(minted.status).toBe(403);
      expect(codeOf(minted)).toBe('SESSION_REQUIRED');
      expect((minted.body as { key?: string }).key).toBeUndefined();
    });

    it('an API key cannot list or revoke the owner’s keys', async () => {
      const key = await server.apiKey('opal');
      const listed = await server.withKey(key).get('/api/api-keys');
      expect(listed.status).toBe(403);
      expect(codeOf(listed)).toBe('SESSION_REQUIRED');
      const other = await server.as('opal').post('/api/api-keys', { name: 'sibling' }).expect(201);
      const revoked = await server.withKey(key).delete(`/api/api-keys/${(other.body as { id: string }).id}`);
      expect(revoked.status).toBe(403);
      expect(codeOf(revoked)).toBe('SESSION_REQUIRED');
    });

    it('an API key cannot change its owner’s password', async () => {
      const key = await server.apiKey('otto');
      const changed = await server
        .withKey(key)
        .post('/api/auth/password', { currentPassword: REDTEAM_USER_PASSWORD, newPassword: 'a password the thief chose' });
      expect(changed.status).toBe(403);
      expect(codeOf(changed)).toBe('SESSION_REQUIRED');
      await server.login('otto');
    });

    it('even an admin’s API key cannot list, create, change or disable users', async () => {
      const key = await server.apiKey('root');
      const listed = await server.withKey(key).get('/api/users');
      expect(listed.status).toBe(403);
      expect(codeOf(listed)).toBe('SESSION_REQUIRED');
      const created = await server
        .withKey(key)
        .post('/api/users', { username: 'backdoor', password: 'a backdoor passphrase', role: 'admin' });
      expect(created.status).toBe(403);
      expect(codeOf(created)).toBe('SESSION_REQUIRED');
      const users = (await server.as('root').get('/api/users').expect(200)).body as { items: { id: string; username: string }[] };
      expect(users.items.map((user) => user.username)).not.toContain('backdoor');
      const vera = users.items.find((user) => user.username === 'vera');
      const promoted = await server.withKey(key).patch(`/api/users/${vera?.id}`, { role: 'admin' });
      expect(promoted.status).toBe(403);
      expect(codeOf(promoted)).toBe('SESSION_REQUIRED');
      const disabled = await server.withKey(key).delete(`/api/users/${vera?.id}`);
      expect(disabled.status).toBe(403);
      expect(codeOf(disabled)).toBe('SESSION_REQUIRED');
    });

    it('even an admin’s API key cannot approve or reject a CRITICAL request: a human decides', async () => {
      const key = await server.apiKey('root');
      const id = '7d1f2c3a-4b5c-4d6e-8f90-a1b2c3d4e5f6';
      const approved = await server.withKey(key).post(`/api/approvals/${id}/approve`, { comment: 'looks fine to a script' });
      expect(approved.status).toBe(403);
      expect(codeOf(approved)).toBe('SESSION_REQUIRED');
      const rejected = await server.withKey(key).post(`/api/approvals/${id}/reject`, { reason: 'no' });
      expect(rejected.status).toBe(403);
      expect(codeOf(rejected)).toBe('SESSION_REQUIRED');
      await server.withKey(key).get('/api/approvals').expect(200);
    });

    it('a key still does its ordinary work, and the refusal is audited', async () => {
      const key = await server.apiKey('opal');
      await server.withKey(key).get('/api/auth/me').expect(200);
      await server.withKey(key).post('/api/conversations', { title: 'from a script' }).expect(201);
      await server.withKey(key).post('/api/api-keys', { name: 'child' }).expect(403);
      const refusals = await auditOf(server, 'auth.authorization.refused');
      expect(JSON.stringify(refusals)).toContain('/api/api-keys');
    });
  });

  describe('login CSRF and foreign origins (item 12)', () => {
    const credentials = { username: 'vera', password: REDTEAM_USER_PASSWORD };

    it('a cross-site HTML form cannot sign the victim in (urlencoded)', async () => {
      const response = await server.http().post('/api/auth/login').set('Origin', FOREIGN_ORIGIN).type('form').send(credentials);
      expect(response.status).toBe(415);
      expect(codeOf(response)).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(setsCookies(response)).toBe(false);
      const sameOrigin = await server.http().post('/api/auth/login').type('form').send(credentials);
      expect(sameOrigin.status).toBe(415);
      expect(setsCookies(sameOrigin)).toBe(false);
    });

    it('a text/plain body (the other form encoding) is refused too', async () => {
      const response = await server.http().post('/api/auth/login').set('Content-Type', 'text/plain').send(JSON.stringify(credentials));
      expect(response.status).toBe(415);
      expect(codeOf(response)).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(response.body).toMatchObject({ statusCode: 415, requestId: expect.any(String) as string });
      expect(setsCookies(response)).toBe(false);
    });

    it('a JSON login from a foreign Origin or a cross-site fetch sets no cookie', async () => {
      const foreign = await server.http().post('/api/auth/login').set('Origin', FOREIGN_ORIGIN).send(credentials);
      expect(foreign.status).toBe(403);
      expect(codeOf(foreign)).toBe('ORIGIN_REFUSED');
      expect(setsCookies(foreign)).toBe(false);
      const crossSite = await server.http().post('/api/auth/login').set('Sec-Fetch-Site', 'cross-site').send(credentials);
      expect(crossSite.status).toBe(403);
      expect(codeOf(crossSite)).toBe('ORIGIN_REFUSED');
      expect(setsCookies(crossSite)).toBe(false);
      const opaque = await server.http().post('/api/auth/login').set('Origin', 'null').send(credentials);
      expect(opaque.status).toBe(403);
    });

    it('the served origin, a CORS_ORIGINS origin and a client without Origin can sign in', async () => {
      const served = await server
        .http()
        .post('/api/auth/login')
        .set('Origin', server.baseUrl)
        .set('Sec-Fetch-Site', 'same-origin')
        .send(credentials);
      expect(served.status).toBe(200);
      expect(setsCookies(served)).toBe(true);
      const listed = await server
        .http()
        .post('/api/auth/login')
        .set('Origin', LISTED_ORIGIN)
        .set('Sec-Fetch-Site', 'cross-site')
        .send(credentials);
      expect(listed.status).toBe(200);
      const script = await server.http().post('/api/auth/login').send(credentials);
      expect(script.status).toBe(200);
    });

    it('a foreign page cannot use the victim’s cookies even with a valid CSRF token', async () => {
      const foreign = await server.as('opal').post('/api/conversations', { title: 'planted' }).set('Origin', FOREIGN_ORIGIN);
      expect(foreign.status).toBe(403);
      expect(codeOf(foreign)).toBe('ORIGIN_REFUSED');
      const crossSite = await server.as('opal').post('/api/conversations', { title: 'planted' }).set('Sec-Fetch-Site', 'cross-site');
      expect(crossSite.status).toBe(403);
      const logout = await server.as('opal').post('/api/auth/logout').set('Origin', FOREIGN_ORIGIN);
      expect(logout.status).toBe(403);
      await server.as('opal').post('/api/conversations', { title: 'mine' }).set('Origin', server.baseUrl).expect(201);
      await server.as('opal').post('/api/conversations', { title: 'mine' }).set('Origin', LISTED_ORIGIN).expect(201);
      await server.as('opal').post('/api/conversations', { title: 'mine' }).expect(201);
      expect(JSON.stringify(await auditOf(server, 'auth.origin.refused'))).toContain(FOREIGN_ORIGIN);
    });

    it('an API key works from any origin: it is no ambient credential', async () => {
      const key = await server.apiKey('opal');
      await server.withKey(key).post('/api/conversations', { title: 'from a script' }).set('Origin', FOREIGN_ORIGIN).expect(201);
    });
  });

  describe('TRUST_PROXY (item 16)', () => {
    const failLogin = (target: RedteamServer, forwardedFor: string) =>
      target
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', forwardedFor)
        .send({ username: 'ghost', password: 'wrong guess number' });

    it('unset: a client cannot dodge the login limit or the audit by writing X-Forwarded-For', async () => {
      for (let attempt = 1; attempt <= 3; attempt++) expect((await failLogin(server, `203.0.113.${attempt}`)).status).toBe(401);
      const fourth = await failLogin(server, '203.0.113.99');
      expect(fourth.status).toBe(429);
      const failures = await auditOf(server, 'auth.login.failed');
      expect(failures.map((entry) => entry.ip)).not.toContain('203.0.113.1');
      expect(failures[0]?.ip).toMatch(/127\.0\.0\.1/);
    });

    describe('behind one proxy (TRUST_PROXY=1)', () => {
      let proxied: RedteamServer;

      beforeAll(async () => {
        proxied = await startRedteamServer({ env: { TRUST_PROXY: '1', RATE_LIMIT_LOGIN: '3/60' } });
      });

      afterAll(async () => {
        await proxied?.close();
      });

      it('two clients behind the proxy get separate login limits, and the audit names each', async () => {
        for (let attempt = 1; attempt <= 3; attempt++) expect((await failLogin(proxied, '203.0.113.10')).status).toBe(401);
        expect((await failLogin(proxied, '203.0.113.10')).status).toBe(429);
        expect((await failLogin(proxied, '203.0.113.11')).status).toBe(401);
        const ips = (await auditOf(proxied, 'auth.login.failed')).map((entry) => entry.ip);
        expect(ips).toContain('203.0.113.10');
        expect(ips).toContain('203.0.113.11');
      });

      it('an address the client wrote before the trusted hop is not believed', async () => {
        for (let attempt = 1; attempt <= 3; attempt++)
          expect((await failLogin(proxied, `198.51.100.${attempt}, 203.0.113.20`)).status).toBe(401);
        expect((await failLogin(proxied, '198.51.100.77, 203.0.113.20')).status).toBe(429);
        const ips = (await auditOf(proxied, 'auth.login.failed')).map((entry) => entry.ip);
        expect(ips).toContain('203.0.113.20');
        expect(ips).not.toContain('198.51.100.1');
      });

      it('a signed-in request is audited with the forwarded address', async () => {
        const session = await proxied
          .http()
          .post('/api/auth/login')
          .set('X-Forwarded-For', '203.0.113.30')
          .send({ username: 'root', password: REDTEAM_ADMIN_PASSWORD })
          .expect(200);
        expect(setsCookies(session)).toBe(true);
        const logins = await auditOf(proxied, 'auth.login.succeeded');
        expect(logins.map((entry) => entry.ip)).toContain('203.0.113.30');
      });
    });
  });
});
