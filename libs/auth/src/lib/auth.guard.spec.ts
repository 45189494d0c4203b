import type { AppConfig } from '@aegis/config';
import { AegisError, ErrorCode, Role } from '@aegis/contracts';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JsonOnly, Public, SessionOnly } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import type { Authentication, Authenticator } from './authenticator';
import type { AuthenticatedRequest } from './principal';
import type { SecurityEvent, SecurityEvents } from './security-events';

class Routes {
  @SessionOnly()
  mintKey(this: void): void {}
  @JsonOnly()
  @Public()
  login(this: void): void {}
  ordinary(this: void): void {}
}

const userAuth: Authentication = { via: 'cookie', principal: { kind: 'user', userId: 'u1', username: 'opal', role: Role.Operator, sessionId: 's1' } };
const keyAuth: Authentication = { via: 'api_key', principal: { kind: 'api_key', userId: 'u1', username: 'opal', role: Role.Operator, apiKeyId: 'k1' } };

function setup(authentication: Authentication | undefined) {
  const recorded: SecurityEvent[] = [];
  const authenticate = jest.fn(() => Promise.resolve(authentication));
  const authenticator = { authenticate, csrfValid: () => true } as unknown as Authenticator;
  const events = { record: (event: SecurityEvent) => Promise.resolve(void recorded.push(event)) } as unknown as SecurityEvents;
  const config = { corsOrigins: ['https://app.example.com'] } as unknown as AppConfig;
  const guard = new AuthGuard(new Reflector(), authenticator, events, config);
  const run = (handler: keyof Routes, method: string, headers: Record<string, string>) => {
    const request = { method, path: '/api/x', headers: { host: 'aegis.example.com', ...headers }, socket: {} } as unknown as AuthenticatedRequest;
    const context = {
      getType: () => 'http',
      getHandler: () => Routes.prototype[handler],
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => request }),
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
    const { run, authenticate } = setup(undefined);
    await expect(run('login', 'POST', { 'content-type': 'application/x-www-form-urlencoded' })).resolves.toBe(ErrorCode.UnsupportedMediaType);
    await expect(run('login', 'POST', { 'content-type': 'application/json' })).resolves.toBe('allowed');
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
    await expect(setup(keyAuth).run('ordinary', 'POST', { origin: 'https://evil.example', authorization: 'Bearer aegis_x' })).resolves.toBe('allowed');
  });
});
