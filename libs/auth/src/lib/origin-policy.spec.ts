import { originAllowed } from './origin-policy';

describe('originAllowed', () => {
  const cors = ['https://app.example.com', 'http://localhost:4200'];

  it('allows the served origin, whatever the default port spelling', () => {
    expect(originAllowed('https://aegis.example.com', 'aegis.example.com', [])).toBe(true);
    expect(originAllowed('https://aegis.example.com', 'aegis.example.com:443', [])).toBe(true);
    expect(originAllowed('http://127.0.0.1:3000', '127.0.0.1:3000', [], 'same-origin')).toBe(true);
    expect(originAllowed('HTTPS://Aegis.Example.com', 'aegis.example.COM', [])).toBe(true);
  });

  it('allows an origin listed in CORS_ORIGINS, even when the browser calls it cross-site', () => {
    expect(originAllowed('https://app.example.com', 'api.example.org', cors, 'cross-site')).toBe(true);
    expect(originAllowed('https://app.example.com:443', 'api.example.org', cors)).toBe(true);
    expect(originAllowed('http://localhost:4200', '127.0.0.1:3000', cors)).toBe(true);
  });

  it('refuses a foreign origin, another port or scheme-port, a sibling subdomain and the opaque null', () => {
    expect(originAllowed('https://evil.example', 'aegis.example.com', cors)).toBe(false);
    expect(originAllowed('http://127.0.0.1:3001', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('http://aegis.example.com', 'aegis.example.com:443', [])).toBe(false);
    expect(originAllowed('https://evil.aegis.example.com', 'aegis.example.com', [], 'same-site')).toBe(false);
    expect(originAllowed('null', 'aegis.example.com', [])).toBe(false);
    expect(originAllowed('http://localhost:4201', '127.0.0.1:3000', cors)).toBe(false);
  });

  it('refuses malformed origins and hosts rather than guessing', () => {
    expect(originAllowed('https://aegis.example.com/path', 'aegis.example.com', [])).toBe(false);
    expect(originAllowed('https://user@aegis.example.com', 'aegis.example.com', [])).toBe(false);
    expect(originAllowed('ftp://aegis.example.com', 'aegis.example.com', [])).toBe(false);
    expect(originAllowed('https://aegis.example.com', undefined, [])).toBe(false);
    expect(originAllowed('https://aegis.example.com', 'evil.example@aegis.example.com', [])).toBe(false);
    expect(originAllowed('https://aegis.example.com', '', [])).toBe(false);
  });

  it('without Origin, refuses a browser that says cross-site and allows a non-browser client', () => {
    expect(originAllowed(undefined, 'aegis.example.com', [], 'cross-site')).toBe(false);
    expect(originAllowed('', 'aegis.example.com', [], 'Cross-Site')).toBe(false);
    expect(originAllowed(undefined, 'aegis.example.com', [])).toBe(true);
    expect(originAllowed(undefined, undefined, [], 'none')).toBe(true);
    expect(originAllowed(undefined, 'aegis.example.com', [], 'same-origin')).toBe(true);
  });
});
