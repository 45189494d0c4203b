import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_API, DIST_APPS, startBuiltServer } from '@aegis/testing';

/** The built server, as `npm run start:prod` and the image run it. */
const API_MAIN = join(DIST_API, 'main.js');
/** The built smoke client, one file. */
export const SMOKE_MAIN = join(DIST_APPS, 'smoke', 'main.js');

export const ADMIN = { username: 'smoke-admin', password: 'smoke-admin-password-for-tests' };

export function requireBuilt(): void {
  for (const file of [API_MAIN, SMOKE_MAIN]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: build first (npx nx run-many -t build -p api smoke)`);
  }
}

export interface BuiltAegis {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts dist/apps/api/main.js on a free loopback port in a fresh DATA_DIR with `env` (DATABASE_URL, the LLM). */
export async function startBuiltAegis(env: Record<string, string>): Promise<BuiltAegis> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aegis-smoke-'));
  chmodSync(dataDir, 0o755); // the sandbox user must reach the workspace inside it
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  const server = await startBuiltServer({
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    ...env,
  }).catch((error: unknown) => {
    removeDataDir();
    throw error;
  });
  return {
    url: server.url,
    output: server.output,
    stop: async () => {
      await server.stop();
      removeDataDir();
    },
  };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built smoke client (or a copy of it at `main`) with only `env` (and PATH) as its environment;
 * asynchronous, so servers in this process keep answering.
 */
export function runSmoke(args: readonly string[], env: Record<string, string> = {}, main = SMOKE_MAIN): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: tmpdir(), env: { PATH: process.env['PATH'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The headers of a signed-in admin session: its cookies and the CSRF token. */
async function adminSession(url: string): Promise<Record<string, string>> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookies = new Map(login.headers.getSetCookie().map((line) => (line.split(';')[0] ?? '').split('=') as [string, string]));
  return {
    'Content-Type': 'application/json',
    Cookie: `access_token=${cookies.get('access_token')}; csrf_token=${cookies.get('csrf_token')}`,
    'X-CSRF-Token': cookies.get('csrf_token') ?? '',
  };
}

async function postAsAdmin(url: string, path: string, body: object): Promise<unknown> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: await adminSession(url), body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`POST ${path} failed: ${response.status} ${await response.text()}`);
  return response.json();
}

type Role = 'admin' | 'operator' | 'viewer';

/** Creates an API key with `role` as the admin, the HTTP API's own way (as an operator of Aegis would). */
export async function createApiKey(url: string, role: Role): Promise<string> {
  return ((await postAsAdmin(url, '/api/api-keys', { name: `smoke ${role}`, role })) as { key: string }).key;
}

/** Creates a user as the admin. */
export async function createUser(url: string, user: { username: string; password: string; role: Role }): Promise<void> {
  await postAsAdmin(url, '/api/users', user);
}

/** The `items` of a GET with the API key (approvals, conversations). */
export async function listItems(url: string, key: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
  if (response.status !== 200) throw new Error(`GET ${url} failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { items: Record<string, unknown>[] }).items;
}
