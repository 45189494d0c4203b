import { parseArgs } from 'node:util';

/** What one smoke run is told to do (docs/smoke.md "Usage"). */
export interface SmokeOptions {
  /** The server's base URL without a trailing slash (a path prefix behind a proxy is kept). */
  url: string;
  apiKey: string;
  junitFile: string | undefined;
  chat: boolean;
  timeoutMs: number;
  color: boolean;
  /** An admin's sign-in, for rejecting the approval request (API keys may not decide approvals). */
  adminLogin: { username: string; password: string } | undefined;
}

export type ParsedCommandLine = { kind: 'run'; options: SmokeOptions } | { kind: 'help' } | { kind: 'invalid'; problems: string[] };

/** The variables the smoke client reads; the process's environment is passed in by main.ts. */
export interface SmokeEnvironment {
  AEGIS_URL?: string;
  AEGIS_API_KEY?: string;
  AEGIS_ADMIN_USERNAME?: string;
  AEGIS_ADMIN_PASSWORD?: string;
  NO_COLOR?: string;
}

const DEFAULT_TIMEOUT_SECONDS = 30;
const MAX_TIMEOUT_SECONDS = 3600;

export const USAGE = `Usage: npm run smoke -- --url URL [--api-key KEY] [--junit FILE] [--chat] [--timeout SECONDS] [--no-color]
       node dist/apps/smoke/main.js --url URL ...

Checks a running Aegis the way a CI pipeline would (docs/smoke.md).

  --url URL          the server, e.g. https://aegis.example.com (or AEGIS_URL)
  --api-key KEY      an API key; prefer AEGIS_API_KEY: a key in the arguments is visible in ps
  --junit FILE       also write the results as JUnit XML
  --chat             also run one agent turn (needs a configured LLM provider)
  --timeout SECONDS  how long one request (and the chat turn) may take; default ${DEFAULT_TIMEOUT_SECONDS}
  --no-color         plain output (also when NO_COLOR is set or the output is not a terminal)
  --help             this text

AEGIS_ADMIN_USERNAME and AEGIS_ADMIN_PASSWORD (an admin's sign-in) let the approval check reject
the request it leaves pending; without them that check is skipped.

Exit codes: 0 every check passed (or was skipped), 1 a check failed, 2 the server cannot be reached
or the arguments are wrong.`;

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

function baseUrl(text: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(`--url: '${text}' is not a URL (expected e.g. http://localhost:3000)`);
    return text;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`--url: must be http:// or https:// (got ${url.protocol})`);
  if (url.username !== '' || url.password !== '') problems.push('--url: must not carry a user name or password');
  if (url.search !== '' || url.hash !== '') problems.push('--url: must not carry a query or a fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function timeoutMs(text: string | undefined, problems: string[]): number {
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS) {
    problems.push(`--timeout: must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS} (got '${text}')`);
  }
  return Math.round(seconds * 1000);
}

/** The command line and environment as options, or every problem with them (exit code 2). */
export function parseCommandLine(argv: readonly string[], env: SmokeEnvironment, stdoutIsTty: boolean): ParsedCommandLine {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        'api-key': { type: 'string' },
        junit: { type: 'string' },
        chat: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        'no-color': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return { kind: 'invalid', problems: [error instanceof Error ? error.message : String(error)] };
  }
  if (values.help) return { kind: 'help' };

  const problems: string[] = [];
  const urlText = present(values.url) ?? present(env.AEGIS_URL);
  const apiKey = present(values['api-key']) ?? present(env.AEGIS_API_KEY);
  if (urlText === undefined) problems.push('--url (or AEGIS_URL) is required');
  if (apiKey === undefined) problems.push('an API key is required: set AEGIS_API_KEY (or pass --api-key)');
  const url = urlText === undefined ? '' : baseUrl(urlText, problems);
  const junitFile = values.junit === undefined ? undefined : present(values.junit);
  if (values.junit !== undefined && junitFile === undefined) problems.push('--junit: needs a file name');
  const timeout = timeoutMs(values.timeout, problems);
  const username = present(env.AEGIS_ADMIN_USERNAME);
  const password = env.AEGIS_ADMIN_PASSWORD === '' ? undefined : env.AEGIS_ADMIN_PASSWORD;
  if ((username === undefined) !== (password === undefined)) {
    problems.push('AEGIS_ADMIN_USERNAME and AEGIS_ADMIN_PASSWORD go together: set both or neither');
  }
  if (problems.length > 0 || apiKey === undefined) return { kind: 'invalid', problems };

  return {
    kind: 'run',
    options: {
      url,
      apiKey,
      junitFile,
      chat: values.chat,
      timeoutMs: timeout,
      color: stdoutIsTty && !values['no-color'] && (env.NO_COLOR ?? '') === '',
      adminLogin: username !== undefined && password !== undefined ? { username, password } : undefined,
    },
  };
}
