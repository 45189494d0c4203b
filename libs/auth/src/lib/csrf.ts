import { hmacHex, randomToken, safeEqual } from './secure-token';

export const CSRF_COOKIE = 'csrf_token';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Signed double-submit CSRF tokens: `<random>.<hmac(session, random)>`. The SPA reads the
 * `csrf_token` cookie and echoes it in `X-CSRF-Token`; a cross-site page can do neither, and a
 * token planted from elsewhere fails the signature because it is bound to the session.
 */
export class CsrfTokens {
  private readonly key: string;

  constructor(serverSecret: string) {
    this.key = hmacHex(serverSecret, 'aegis csrf key v1');
  }

  issue(sessionId: string): string {
    const nonce = randomToken(18);
    return `${nonce}.${hmacHex(this.key, `${sessionId}.${nonce}`)}`;
  }

  verify(sessionId: string, cookieToken: string | undefined, headerToken: string | undefined): boolean {
    if (!cookieToken || !headerToken || !safeEqual(cookieToken, headerToken)) return false;
    const [nonce, signature, extra] = headerToken.split('.');
    if (!nonce || !signature || extra !== undefined) return false;
    return safeEqual(signature, hmacHex(this.key, `${sessionId}.${nonce}`));
  }
}
