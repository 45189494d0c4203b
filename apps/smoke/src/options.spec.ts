import { parseCommandLine, type SmokeOptions } from './options';

const KEY = 'aegis_0123456789abcdef';

function options(argv: string[], env: Record<string, string> = {}, tty = true): SmokeOptions {
  const parsed = parseCommandLine(argv, env, tty);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

function problems(argv: string[], env: Record<string, string> = {}): string[] {
  const parsed = parseCommandLine(argv, env, true);
  if (parsed.kind !== 'invalid') throw new Error(`expected problems, got ${JSON.stringify(parsed)}`);
  return parsed.problems;
}

describe('parseCommandLine', () => {
  it('takes the URL and key from the arguments, with the defaults', () => {
    expect(options(['--url', 'http://localhost:3000/', '--api-key', KEY])).toEqual({
      url: 'http://localhost:3000',
      apiKey: KEY,
      junitFile: undefined,
      chat: false,
      timeoutMs: 30_000,
      color: true,
      adminLogin: undefined,
    });
  });

  it('falls back to AEGIS_URL and AEGIS_API_KEY, and the arguments win over them', () => {
    expect(options([], { AEGIS_URL: 'https://aegis.example.com', AEGIS_API_KEY: KEY })).toMatchObject({
      url: 'https://aegis.example.com',
      apiKey: KEY,
    });
    expect(options(['--url', 'http://127.0.0.1:9'], { AEGIS_URL: 'https://aegis.example.com', AEGIS_API_KEY: KEY }).url).toBe(
      'http://127.0.0.1:9',
    );
  });

  it('keeps a path prefix (a server behind a proxy) without its trailing slashes', () => {
    expect(options(['--url', 'https://example.com/aegis//'], { AEGIS_API_KEY: KEY }).url).toBe('https://example.com/aegis');
  });

  it('reads --junit, --chat, --timeout and the admin sign-in', () => {
    expect(
      options(['--url', 'http://h', '--junit', 'out/smoke.xml', '--chat', '--timeout', '2.5'], {
        AEGIS_API_KEY: KEY,
        AEGIS_ADMIN_USERNAME: 'root',
        AEGIS_ADMIN_PASSWORD: ' a password with spaces ',
      }),
    ).toMatchObject({
      junitFile: 'out/smoke.xml',
      chat: true,
      timeoutMs: 2500,
      adminLogin: { username: 'root', password: ' a password with spaces ' },
    });
  });

  it('turns colours off for --no-color, NO_COLOR, or output that is not a terminal', () => {
    const env = { AEGIS_URL: 'http://h', AEGIS_API_KEY: KEY };
    expect(options(['--no-color'], env).color).toBe(false);
    expect(options([], { ...env, NO_COLOR: '1' }).color).toBe(false);
    expect(options([], env, false).color).toBe(false);
    expect(options([], { ...env, NO_COLOR: '' }).color).toBe(true);
  });

  it('answers --help', () => {
    expect(parseCommandLine(['--help'], {}, true)).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-h', '--url', 'nonsense'], {}, true)).toEqual({ kind: 'help' });
  });

  it('lists every problem at once', () => {
    expect(problems([])).toEqual(['--url (or AEGIS_URL) is required', 'an API key is required: set AEGIS_API_KEY (or pass --api-key)']);
    expect(problems(['--url', 'localhost:3000', '--timeout', '0'], { AEGIS_API_KEY: KEY })).toEqual([
      '--url: must be http:// or https:// (got localhost:)',
      "--timeout: must be a number of seconds above 0 and at most 3600 (got '0')",
    ]);
    expect(problems(['--url', 'not a url', '--junit', ' '], { AEGIS_API_KEY: KEY })).toEqual([
      "--url: 'not a url' is not a URL (expected e.g. http://localhost:3000)",
      '--junit: needs a file name',
    ]);
    expect(problems(['--url', 'http://user:pw@h/?q=1'], { AEGIS_API_KEY: KEY })).toEqual([
      '--url: must not carry a user name or password',
      '--url: must not carry a query or a fragment',
    ]);
    expect(problems(['--url', 'http://h', '--timeout', '1e3'], { AEGIS_API_KEY: KEY })).toHaveLength(1);
  });

  it('refuses half an admin sign-in', () => {
    expect(problems(['--url', 'http://h'], { AEGIS_API_KEY: KEY, AEGIS_ADMIN_USERNAME: 'root' })).toEqual([
      'AEGIS_ADMIN_USERNAME and AEGIS_ADMIN_PASSWORD go together: set both or neither',
    ]);
  });

  it("reports the parser's refusals of unknown options, positionals and missing values", () => {
    expect(problems(['--verbose'])).toEqual([expect.stringContaining("Unknown option '--verbose'")]);
    expect(problems(['http://h'])).toEqual([expect.stringContaining("Unexpected argument 'http://h'")]);
    expect(problems(['--url'])).toEqual([expect.stringContaining("Option '--url <value>' argument missing")]);
  });
});
