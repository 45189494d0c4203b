import { CsrfTokens } from './csrf';

describe('CsrfTokens', () => {
  const csrf = new CsrfTokens('a-server-secret-of-at-least-32-characters');

  it('accepts the issued token in both cookie and header for its session', () => {
    const token = csrf.issue('session-1');
    expect(csrf.verify('session-1', token, token)).toBe(true);
  });

  it('refuses a missing or mismatched header, another session, a forged or foreign token', () => {
    const token = csrf.issue('session-1');
    expect(csrf.verify('session-1', token, undefined)).toBe(false);
    expect(csrf.verify('session-1', token, csrf.issue('session-1'))).toBe(false);
    expect(csrf.verify('session-2', token, token)).toBe(false);
    expect(csrf.verify('session-1', 'abc.def', 'abc.def')).toBe(false);
    const foreign = new CsrfTokens('another-server-secret-of-32-characters!!').issue('session-1');
    expect(csrf.verify('session-1', foreign, foreign)).toBe(false);
  });
});
