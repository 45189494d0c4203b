import { Role } from '@aegis/contracts';
import { samePrincipal } from './socket-sessions';

describe('samePrincipal', () => {
  const user = { kind: 'user' as const, userId: 'u1', username: 'opal', role: Role.Admin, sessionId: 's1' };
  const key = { kind: 'api_key' as const, userId: 'u1', username: 'opal', role: Role.Operator, apiKeyId: 'k1' };

  it('holds for the same sign-in or key with the same role', () => {
    expect(samePrincipal(user, { ...user })).toBe(true);
    expect(samePrincipal(key, { ...key })).toBe(true);
  });

  it('ends with a changed role, another sign-in, another key or another kind', () => {
    expect(samePrincipal(user, { ...user, role: Role.Viewer })).toBe(false);
    expect(samePrincipal(user, { ...user, sessionId: 's2' })).toBe(false);
    expect(samePrincipal(key, { ...key, apiKeyId: 'k2' })).toBe(false);
    expect(samePrincipal(key, { ...key, role: Role.Viewer })).toBe(false);
    expect(samePrincipal(user, key)).toBe(false);
  });
});
