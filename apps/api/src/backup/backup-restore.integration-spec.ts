import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientToServerEvents, MessageSendAck, ServerToClientEvents } from '@aegis/contracts';
import {
  answer,
  createEmptyTestDatabase,
  createTestDatabase,
  DIST_API,
  type FakeLlmServer,
  type RunningServer,
  startBuiltServer,
  startFakeLlmServer,
} from '@aegis/testing';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';
import { rewriteManifest } from './backup-archive.fixture';

const ADMIN_PASSWORD = 'backup-drill-admin-password';
const UPLOAD = Buffer.from('# Drill notes\n\nBacked up while the server ran.\n');

interface Cli {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs dist/apps/api/<script>.js with only PATH and `env`, as an operator's shell would. */
function runCli(script: 'backup' | 'restore', args: string[], env: Record<string, string>): Cli {
  const result = spawnSync(process.execPath, [join(DIST_API, `${script}.js`), ...args], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh DATA_DIR the sandbox user can reach (its workspace lives inside). */
function freshDataDir(base: string, name: string): string {
  const dir = join(base, name);
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  return dir;
}

interface Listed<T> {
  items: T[];
}

/** What must survive a backup and restore, read through the API (the audit list: its latest page). */
async function snapshotOf(url: string, session: BrowserSession, uploadId: string) {
  const get = async <T>(path: string): Promise<T> =>
    (await request(url).get(path).set('Cookie', cookieHeader(session)).expect(200)).body as T;
  const users = (await get<Listed<{ username: string; role: string }>>('/api/users')).items.map(({ username, role }) => ({
    username,
    role,
  }));
  const conversations = (await get<Listed<{ id: string }>>('/api/conversations')).items;
  const messages = await Promise.all(
    conversations.map(async ({ id }) => (await get<Listed<unknown>>(`/api/conversations/${id}/messages`)).items),
  );
  const audit = (await get<Listed<{ id: string }>>('/api/audit')).items;
  const verification = await get<{ valid: boolean; checked: number }>('/api/audit/verify');
  const content = await fetch(`${url}/api/uploads/${uploadId}/content`, { headers: { Cookie: cookieHeader(session) } });
  expect(content.status).toBe(200);
  return { users, conversations, messages, audit, verification, upload: Buffer.from(await content.arrayBuffer()).toString('utf8') };
}

/** One chat turn over the socket, answered by the fake LLM; resolves once both messages are stored. */
async function chatTurn(server: RunningServer, session: BrowserSession): Promise<string> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${server.url}/chat`, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { Cookie: cookieHeader(session) },
  });
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
    const ack = await new Promise<MessageSendAck>((resolve) => socket.emit('message:send', { content: 'What is backed up?' }, resolve));
    if (!ack.ok) throw new Error(`the chat refused the turn: ${ack.message}`);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const listed = await request(server.url)
        .get(`/api/conversations/${ack.conversationId}/messages`)
        .set('Cookie', cookieHeader(session));
      if (((listed.body as { items?: unknown[] }).items ?? []).length >= 2) return ack.conversationId;
      if (Date.now() > deadline) throw new Error(`the turn was not stored: ${JSON.stringify(listed.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    socket.disconnect();
  }
}

describe.each([
  ['the embedded database', false],
  ['PostgreSQL (DATABASE_URL)', true],
])('backup while the server runs, restore into a fresh DATA_DIR: %s', (_name, external) => {
  let base: string;
  let fake: FakeLlmServer;
  let source: Record<string, string>;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST_API, 'backup.js')))
      throw new Error(`${DIST_API}/backup.js is missing: build the API first (npx nx run api:build)`);
    base = mkdtempSync(join(tmpdir(), 'aegis-backup-'));
    chmodSync(base, 0o755);
    fake = await startFakeLlmServer();
    source = {
      DATA_DIR: freshDataDir(base, 'source'),
      ...(external ? { DATABASE_URL: await createTestDatabase() } : {}),
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      PROVIDER_ORDER: 'openai',
      OPENAI_API_KEY: 'sk-test-backup-0123456789',
      OPENAI_BASE_URL: fake.baseUrl('openai'),
    };
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await fake?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('keeps users, conversations, the audit chain, uploads and the generated JWT secret; refuses a damaged or mismatched archive', async () => {
    const before = await startBuiltServer(source);
    servers.push(before);
    const login = async (url: string) =>
      sessionOf(await request(url).post('/api/auth/login').send({ username: 'root', password: ADMIN_PASSWORD }).expect(200));
    const session = await login(before.url);
    const post = (path: string) => request(before.url).post(path).set('Cookie', cookieHeader(session)).set('X-CSRF-Token', session.csrf);
    await post('/api/users').send({ username: 'opal', password: 'correct horse battery staple', role: 'operator' }).expect(201);
    const uploadId = ((await post('/api/uploads').attach('file', UPLOAD, 'drill.md').expect(201)).body as { id: string }).id;
    await post('/api/tools/list_directory/execute')
      .send({ args: { path: '.' } })
      .expect(200);
    fake.enqueue('openai', answer({ text: ['The database, ', 'uploads and secrets.'] }));
    await chatTurn(before, session);
    const expected = await snapshotOf(before.url, session, uploadId);
    expect(expected.verification.valid).toBe(true);
    expect(expected.messages.flat()).toHaveLength(2);

    const archive = join(base, 'aegis.backup');
    const backup = runCli('backup', ['--out', archive], source);
    expect(backup).toMatchObject({ status: 0, stderr: '' });
    expect(backup.stdout).toContain(`Backup written to ${archive}`);
    // The server kept running and serving while its database was exported.
    await request(before.url).get('/api/health/ready').expect(200);
    const overwrite = runCli('backup', ['--out', archive], source);
    expect(overwrite.status).toBe(2);
    expect(overwrite.stderr).toContain('exists: name a new file');

    const target = {
      ...source,
      DATA_DIR: join(base, 'restored'),
      ...(external ? { DATABASE_URL: await createEmptyTestDatabase() } : {}),
    };
    const restored = runCli('restore', [archive, '--data-dir', target.DATA_DIR], target);
    expect(restored).toMatchObject({ status: 0, stderr: '' });
    expect(restored.stdout).toContain('Restored the backup');
    chmodSync(target.DATA_DIR, 0o755);
    expect(readFileSync(join(target.DATA_DIR, 'secrets', 'jwt-secret'))).toEqual(
      readFileSync(join(source.DATA_DIR, 'secrets', 'jwt-secret')),
    );

    await before.stop();
    const after = await startBuiltServer(target);
    servers.push(after);
    expect(after.output()).not.toContain('save it now');
    // The restored JWT secret accepts a session signed before the backup.
    await request(after.url).get('/api/auth/me').set('Cookie', cookieHeader(session)).expect(200);
    const restoredState = await snapshotOf(after.url, await login(after.url), uploadId);
    // Signing in on the restored server appends to the chain: the backed-up entries are all there, and the chain holds.
    const backedUp = new Set(expected.audit.map((entry) => entry.id));
    expect({ ...restoredState, audit: restoredState.audit.filter((entry) => backedUp.has(entry.id)), verification: null }).toEqual({
      ...expected,
      verification: null,
    });
    expect(restoredState.verification.valid).toBe(true);
    expect(restoredState.verification.checked).toBeGreaterThan(expected.verification.checked);

    // A restore never overwrites: the DATA_DIR now holds data.
    const again = runCli('restore', [archive, '--data-dir', target.DATA_DIR], target);
    expect(again.status).toBe(3);
    expect(again.stderr).toMatch(/^restore refused: .* is not empty: restore into a fresh DATA_DIR/);

    if (!external) {
      // The one format moves an installation from the embedded database to PostgreSQL.
      const toPostgres = { ...source, DATABASE_URL: await createEmptyTestDatabase() };
      const moved = runCli('restore', [archive, '--data-dir', join(base, 'moved-to-postgres')], toPostgres);
      expect(moved).toMatchObject({ status: 0, stderr: '' });
      expect(moved.stdout).toContain('and DATABASE_URL');
    }
    if (external) {
      const intoUsedDatabase = runCli('restore', [archive, '--data-dir', join(base, 'beside-a-used-database')], source);
      expect(intoUsedDatabase.status).toBe(3);
      expect(intoUsedDatabase.stderr).toContain('the database at DATABASE_URL is not empty');
    }

    /** Restores `file` into a new DATA_DIR (and, for PostgreSQL, a server never reached): the exit code and its one-line reason. */
    let refusals = 0;
    const expectRefused = (file: string, status: number, reason: string) => {
      refusals += 1;
      const result = runCli('restore', [file, '--data-dir', join(base, `refused-${refusals}`)], {
        ...source,
        ...(external ? { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/never-reached' } : {}),
      });
      expect(result.status).toBe(status);
      expect(result.stderr).toContain(reason);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    };
    const bytes = readFileSync(archive);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)] ^= 0xff;
    writeFileSync(join(base, 'flipped.backup'), flipped);
    expectRefused(join(base, 'flipped.backup'), 3, 'corrupt or truncated');
    writeFileSync(join(base, 'cut.backup'), bytes);
    truncateSync(join(base, 'cut.backup'), bytes.length - 8);
    expectRefused(join(base, 'cut.backup'), 3, 'corrupt or truncated');
    writeFileSync(join(base, 'newer.backup'), await rewriteManifest(bytes, { schemaMigration: 'AddFutureThing9999999999999' }));
    expectRefused(join(base, 'newer.backup'), 3, 'newer than this build');
    writeFileSync(join(base, 'forged.backup'), await rewriteManifest(bytes, { aegisVersion: '9.9.9' }, { keepChecksum: true }));
    expectRefused(join(base, 'forged.backup'), 3, 'fails its checksum');
    expectRefused(join(base, 'missing.backup'), 1, 'cannot read');
  });
});
