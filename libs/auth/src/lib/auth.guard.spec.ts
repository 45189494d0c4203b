import { type AppConfig, Secret } from '@aegis/config';
import { AegisError, ErrorCode, Role } from '@aegis/contracts';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { sign } from 'jsonwebtoken';
import type { ApiKeysService } from './api-keys.service';
import { JsonOnly, Public, SessionOnly } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import type { Authentication, Authenticator } from './authenticator';
import { AccessTokenStrategy } from './passport/access-token.strategy';
import { ApiKeyStrategy } from './passport/api-key.strategy';
import type { AuthenticatedRequest } from './principal';
import type { AuthStateCache } from './principal-cache/auth-state-cache';
import type { SecurityEvent, SecurityEvents } from './security-events';
import { ACCESS_COOKIE } from './session-cookies';

class Routes {
  @SessionOnly()
  mintKey(this: void): void {}
  @JsonOnly()
  @Public()
  login(this: void): void {}
  ordinary(this: void): void {}
}

const userAuth: Authentication = {
  via: 'cookie',
  principal: { kind: 'user', userId: 'u1', username: 'opal', role: Role.Operator, sessionId: 's1' },
};
const keyAuth: Authentication = {
  via: 'api_key',
  principal: { kind: 'api_key', userId: 'u1', username: 'opal', role: Role.Operator, apiKeyId: 'k1' },
};

const JWT_SECRET = 'unit-test-jwt-secret-that-is-long-enough-0123456789';

/** The guard with its real passport strategies; the API key `aegis_x` and the access cookie stand for `authentication`. */
function setup(authentication: Authentication | undefined) {
  const recorded: SecurityEvent[] = [];
  const config = { corsOrigins: ['https://app.example.com'], jwtSecret: new Secret(JWT_SECRET) } as unknown as AppConfig;
  const keyPrincipal = authentication?.via === 'api_key' ? authentication.principal : undefined;
  const authenticate = jest.fn((key: string) => Promise.resolve(key === 'aegis_x' ? keyPrincipal : undefined));
  new ApiKeyStrategy({ authenticate } as unknown as ApiKeysService);
  const user = authentication?.principal.kind === 'user' ? authentication.principal : undefined;
  // The signed-in user is enabled with the token's role and the sign-in is not revoked.
  const states = {
    user: (id: string) => Promise.resolve(user && { id, username: user.username, role: user.role, disabled: false }),
    familyActive: () => Promise.resolve(true),
  } as unknown as AuthStateCache;
  new AccessTokenStrategy(config, states);
  const cookies = user
    ? { [ACCESS_COOKIE]: sign({ sub: user.userId, name: user.username, role: user.role, sid: user.sessionId, typ: 'access' }, JWT_SECRET) }
    : {};
  const authenticator = { csrfValid: () => true } as unknown as Authenticator;
  const events = { record: (event: SecurityEvent) => Promise.resolve(void recorded.push(event)) } as unknown as SecurityEvents;
  const guard = new AuthGuard(new Reflector(), authenticator, events, config);
  const run = (handler: keyof Routes, method: string, headers: Record<string, string>) => {
    const request = {
      method,
      path: '/api/x',
      headers: { host: 'aegis.example.com', ...headers },
      cookies,
      socket: {},
    } as unknown as AuthenticatedRequest;
    const context = {
      getType: () => 'http',
      getHandler: () => Routes.prototype[handler],
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
    } as unknown as ExecutionContext;
    return guard.canActivate(context).then(
      () => 'allowed',
      (error: unknown) => (error instanceof AegisError ? error.code : 'unexpected'),
    );
  };
  return { run, recorded, authenticate };
}

describe('AuthGuard', () => {
  it('refuses an API key on a @SessionOnly route, audited, and lets a session through', async () => {
    const withKey = setup(keyAuth);
    await expect(withKey.run('mintKey', 'POST', { authorization: 'Bearer aegis_x' })).resolves.toBe(ErrorCode.SessionRequired);
    expect(withKey.recorded).toMatchObject([{ type: 'auth.authorization.refused', reason: 'needs a signed-in session' }]);
    await expect(withKey.run('ordinary', 'POST', { authorization: 'Bearer aegis_x' })).resolves.toBe('allowed');
    await expect(setup(userAuth).run('mintKey', 'POST', { origin: 'https://aegis.example.com' })).resolves.toBe('allowed');
  });

  it('refuses a non-JSON body on a @JsonOnly route before looking at credentials', async () => {
    const { run, authenticate } = setup(keyAuth);
    await expect(
      run('login', 'POST', { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer aegis_x' }),
    ).resolves.toBe(ErrorCode.UnsupportedMediaType);
    await expect(run('login', 'POST', { 'content-type': 'application/json', authorization: 'Bearer aegis_x' })).resolves.toBe('allowed');
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('refuses an unsafe request without an API key from a foreign origin, audited, even on a public route', async () => {
    const { run, recorded } = setup(userAuth);
    await expect(run('ordinary', 'POST', { origin: 'https://evil.example' })).resolves.toBe(ErrorCode.OriginRefused);
    await expect(run('login', 'POST', { 'sec-fetch-site': 'cross-site' })).resolves.toBe(ErrorCode.OriginRefused);
    expect(recorded.map((event) => event.type)).toEqual(['auth.origin.refused', 'auth.origin.refused']);
    await expect(run('ordinary', 'GET', { origin: 'https://evil.example' })).resolves.toBe('allowed');
    await expect(run('ordinary', 'POST', { origin: 'https://app.example.com' })).resolves.toBe('allowed');
    await expect(run('ordinary', 'POST', {})).resolves.toBe('allowed');
    await expect(setup(keyAuth).run('ordinary', 'POST', { origin: 'https://evil.example', authorization: 'Bearer aegis_x' })).resolves.toBe(
      'allowed',
    );
  });

  it('finds the caller with the api-key strategy, else the access cookie, and answers UNAUTHENTICATED otherwise', async () => {
    await expect(setup(undefined).run('ordinary', 'GET', {})).resolves.toBe(ErrorCode.Unauthenticated);
    await expect(setup(keyAuth).run('ordinary', 'GET', { authorization: 'Bearer aegis_unknown' })).resolves.toBe(ErrorCode.Unauthenticated);
    await expect(setup(userAuth).run('ordinary', 'GET', {})).resolves.toBe('allowed');
    // An Authorization header is judged alone: a valid cookie beside a wrong scheme does not sign the request in.
    await expect(setup(userAuth).run('ordinary', 'GET', { authorization: 'Basic b3BhbDp4' })).resolves.toBe(ErrorCode.Unauthenticated);
  });
});
