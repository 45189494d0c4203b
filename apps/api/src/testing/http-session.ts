import type { Response } from 'supertest';

/** Cookies set by a response, by name (Secure cookies are not replayed by supertest over http, so tests carry them). */
export function cookiesOf(response: Response): Record<string, string> {
  const header = response.headers['set-cookie'] as unknown;
  const lines = Array.isArray(header) ? (header as string[]) : typeof header === 'string' ? [header] : [];
  return Object.fromEntries(
    lines.map((line) => {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      return [pair.slice(0, index), decodeURIComponent(pair.slice(index + 1))];
    }),
  );
}

/** The raw Set-Cookie line for one cookie, to check its attributes. */
export function setCookieLine(response: Response, name: string): string {
  const header = response.headers['set-cookie'] as unknown;
  const lines = Array.isArray(header) ? (header as string[]) : [];
  return lines.find((line) => line.startsWith(`${name}=`)) ?? '';
}

export interface BrowserSession {
  access: string;
  refresh: string;
  csrf: string;
}

export function sessionOf(response: Response): BrowserSession {
  const cookies = cookiesOf(response);
  return { access: cookies['access_token'], refresh: cookies['refresh_token'], csrf: cookies['csrf_token'] };
}

/** The Cookie header a browser would send to /api/auth/* (all three cookies) or elsewhere (no refresh cookie). */
export function cookieHeader(session: BrowserSession, path: 'auth' | 'api' = 'api'): string {
  const parts = [`access_token=${session.access}`, `csrf_token=${session.csrf}`];
  if (path === 'auth') parts.push(`refresh_token=${session.refresh}`);
  return parts.join('; ');
}
