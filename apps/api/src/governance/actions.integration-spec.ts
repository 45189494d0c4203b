import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AdminBootstrapService } from '@aegis/auth';
import type { ApiComponents, ErrorBody } from '@aegis/contracts';
import { SANDBOX_UID } from '@aegis/governance';
import { createGitWorkspace, createTestDatabase, testConfig } from '@aegis/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../app/create-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';

// GET /api/tools (schemas and policy per role) and GET /api/actions (filters, paging, what a rollback
// would do) against PostgreSQL and the real file tools; a rollback restores the exact bytes.

type Schemas = ApiComponents['schemas'];
type ActionPage = Schemas['ActionPageDto'];
type ActionItem = ActionPage['items'][number];
type ToolCatalog = Schemas['ToolCatalogDto'];
type Executed = Schemas['ExecutedActionDto'];

const ADMIN_PASSWORD = 'admin-password-for-action-tests';
const USER_PASSWORD = 'correct horse battery staple';
const JUSTIFICATION = 'Update the readme for the release notes';
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;

describe('GET /api/tools and GET /api/actions against PostgreSQL and the file tools', () => {
  // CRLF, non-ASCII and no final newline: a rollback must give back these exact bytes.
  const previous = '# Aegis\r\n\r\nünïcödé — “quoted”\n\tno newline at the end';
  const { base, workspace } = createGitWorkspace(SANDBOX_UID, 'aegis-actions-', { 'README.md': 'first\n' });
  let app: NestExpressApplication;
  const sessions = {} as Record<'root' | 'olga' | 'vic', BrowserSession>;
  const ids = {} as Record<'root' | 'olga' | 'vic', string>;
  let olgaKey: string;
  const actions = {} as Record<'readme' | 'created' | 'listing' | 'keyListing' | 'reading', string>;
  const http = () => request(app.getHttpServer());
  const get = (who: keyof typeof sessions, path: string) => http().get(path).set('Cookie', cookieHeader(sessions[who]));
  const post = (who: keyof typeof sessions, path: string, body: object = {}) =>
    http().post(path).set('Cookie', cookieHeader(sessions[who])).set('X-CSRF-Token', sessions[who].csrf).send(body);
  const page = async (who: keyof typeof sessions, query = ''): Promise<ActionPage> =>
    (await get(who, `/api/actions${query}`).expect(200)).body as ActionPage;
  const idsOf = (items: ActionItem[]) => items.map((item) => item.id);
  const run = async (who: keyof typeof sessions, tool: string, args: object, justification?: string): Promise<string> =>
    ((await post(who, `/api/tools/${tool}/execute`, { args, justification }).expect(200)).body as Executed).actionId;

  async function login(username: string, password: string): Promise<BrowserSession> {
    return sessionOf(await http().post('/api/auth/login').send({ username, password }).expect(200));
  }

  beforeAll(async () => {
    writeFileSync(join(workspace, 'README.md'), previous);
    const config = testConfig({
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD,
      RATE_LIMIT_TOOLS: '1000/60',
      RATE_LIMIT_LOGIN_IP: '100/60',
      WORKSPACE_DIR: workspace,
    });
    ({ app } = await createApp(config, { url: await createTestDatabase(), embedded: false }));
    await app.init();
    await app.get(AdminBootstrapService).ensureAdmin();
    sessions.root = await login('root', ADMIN_PASSWORD);
    ids.root = ((await get('root', '/api/auth/me').expect(200)).body as { id: string }).id;
    for (const [username, role] of [
      ['olga', 'operator'],
      ['vic', 'viewer'],
    ] as const) {
      ids[username] = (
        (await post('root', '/api/users', { username, password: USER_PASSWORD, role }).expect(201)).body as { id: string }
      ).id;
      sessions[username] = await login(username, USER_PASSWORD);
    }
    olgaKey = ((await post('olga', '/api/api-keys', { name: 'olga ci' }).expect(201)).body as { key: string }).key;

    actions.readme = await run('root', 'write_file', { path: 'README.md', content: 'replaced\n' }, JUSTIFICATION);
    actions.created = await run('root', 'write_file', { path: 'new.txt', content: 'brand new\n' }, JUSTIFICATION);
    actions.listing = await run('olga', 'list_directory', { path: '.' });
    const byKey = await http()
      .post('/api/tools/list_directory/execute')
      .set('Authorization', `Bearer ${olgaKey}`)
      .send({ args: {} })
      .expect(200);
    actions.keyListing = (byKey.body as Executed).actionId;
    actions.reading = await run('vic', 'read_file', { path: 'README.md' });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(base, { recursive: true, force: true });
  });

  describe('GET /api/tools', () => {
    it("publishes each tool's JSON Schema and what the policy means for the caller's role", async () => {
      const catalogs = {} as Record<'root' | 'olga' | 'vic', ToolCatalog>;
      for (const who of ['root', 'olga', 'vic'] as const) catalogs[who] = (await get(who, '/api/tools').expect(200)).body as ToolCatalog;
      expect([catalogs.root.role, catalogs.olga.role, catalogs.vic.role]).toEqual(['admin', 'operator', 'viewer']);
      for (const catalog of Object.values(catalogs)) {
        expect(catalog.items).toHaveLength(22);
        for (const tool of catalog.items)
          expect(tool.argsSchema).toMatchObject({ type: 'object', properties: expect.any(Object) as unknown });
      }
      const writeFile = (who: 'root' | 'olga' | 'vic') => catalogs[who].items.find((tool) => tool.name === 'write_file')?.policy;
      expect(writeFile('root')).toEqual({
        decision: 'justify',
        allowed: true,
        justificationRequired: true,
        approvalRequired: false,
        summary: 'Runs at once with a written justification',
      });
      expect(writeFile('olga')).toMatchObject({
        decision: 'deny',
        allowed: false,
        justificationRequired: false,
        summary: "'write_file' needs the admin role or higher",
      });
      const command = (who: 'root' | 'olga' | 'vic') => catalogs[who].items.find((tool) => tool.name === 'execute_command');
      expect(command('olga')).toMatchObject({
        classifiedPerCall: true,
        policy: { decision: 'approve', justificationRequired: true, approvalRequired: true },
      });
      expect(command('vic')?.policy).toMatchObject({ decision: 'deny', allowed: false });
      const readFile = catalogs.vic.items.find((tool) => tool.name === 'read_file');
      expect(readFile).toMatchObject({
        classifiedPerCall: false,
        policy: { decision: 'allow', allowed: true, justificationRequired: false },
      });
      expect(readFile?.argsSchema).toMatchObject({ required: ['path'], properties: { path: { type: 'string' } } });
      // The agent's memory tools are registry tools (docs/memory.md): listed with their class, schema and policy like the rest.
      expect(catalogs.vic.items.find((tool) => tool.name === 'memory_save')).toMatchObject({
        actionClass: 'SAFE',
        minRole: 'viewer',
        policy: { decision: 'allow' },
      });
      expect(catalogs.vic.items.find((tool) => tool.name === 'memory_search')?.argsSchema).toMatchObject({
        required: ['query'],
        additionalProperties: false,
      });
    });
  });

  describe('GET /api/actions', () => {
    it('needs a session', async () => {
      expect(errorOf(await http().get('/api/actions').expect(401)).code).toBe('UNAUTHENTICATED');
    });

    it("shows an admin everyone's actions, newest first, with audited arguments and what a rollback would do", async () => {
      const { items, nextCursor } = await page('root');
      expect(idsOf(items)).toEqual([actions.reading, actions.keyListing, actions.listing, actions.created, actions.readme]);
      expect(nextCursor).toBeNull();
      const readme = items.find((item) => item.id === actions.readme);
      expect(readme).toMatchObject({
        tool: 'write_file',
        actionClass: 'SENSITIVE',
        status: 'completed',
        actor: { type: 'user', id: ids.root, name: 'root', role: 'admin' },
        verificationState: 'verified',
        canRollback: true,
        rollback: {
          available: true,
          kind: 'restore_file',
          description: `restores 'README.md' as it was before (${Buffer.byteLength(previous)} bytes)`,
        },
        rolledBackAt: null,
      });
      // The audit keeps a file's content as its sha256 and size, never the text.
      expect(readme?.args).toEqual({
        path: 'README.md',
        content: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown, bytes: 9 },
      });
      expect(readme?.summary).toMatch(/^completed; verified: /);
      expect(items.find((item) => item.id === actions.created)?.rollback).toEqual({
        available: true,
        kind: 'restore_file',
        description: "deletes the created file 'new.txt'",
      });
      const listing = items.find((item) => item.id === actions.listing);
      expect(listing).toMatchObject({ actor: { name: 'olga', role: 'operator' }, args: { path: '.' }, canRollback: false });
      expect(listing?.rollback).toEqual({ available: false, kind: null, description: 'nothing to undo: this action changes nothing' });
      expect(items.find((item) => item.id === actions.keyListing)?.actor).toMatchObject({ type: 'api_key', name: 'olga' });
    });

    it('never shows a file content: not what was written, not the sealed previous content', async () => {
      const response = await get('root', '/api/actions?tool=write_file').expect(200);
      for (const text of ['replaced', 'brand new', 'ünïcödé', 'sealedPreviousContent', 'previousContent'])
        expect(response.text).not.toContain(text);
    });

    it('filters by actor, tool, class, status, verification, whether it can be undone, and time', async () => {
      expect(idsOf((await page('root', '?tool=write_file')).items)).toEqual([actions.created, actions.readme]);
      expect(idsOf((await page('root', '?class=READ')).items)).toEqual([actions.reading, actions.keyListing, actions.listing]);
      expect(idsOf((await page('root', `?actor=${ids.olga}`)).items)).toEqual([actions.listing]);
      expect(idsOf((await page('root', '?actor=vic')).items)).toEqual([actions.reading]);
      expect((await page('root', '?status=completed')).items).toHaveLength(5);
      expect((await page('root', '?status=failed')).items).toEqual([]);
      const verified = (await page('root', '?verification=verified')).items;
      const unverified = (await page('root', '?verification=none')).items;
      expect(verified.every((item) => item.verificationState === 'verified')).toBe(true);
      expect(unverified.every((item) => item.verificationState === 'none' && item.verification === null)).toBe(true);
      expect(idsOf(verified)).toEqual(expect.arrayContaining([actions.created, actions.readme]));
      expect((await page('root', '?verification=failed')).items.length + verified.length + unverified.length).toBe(5);
      expect(idsOf((await page('root', '?rollbackable=true')).items)).toEqual([actions.created, actions.readme]);
      expect(idsOf((await page('root', '?rollbackable=false')).items)).toEqual([actions.reading, actions.keyListing, actions.listing]);
      expect((await page('root', `?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).items).toEqual([]);
      expect((await page('root', `?to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).items).toEqual([]);
    });

    it('pages with a cursor, newest first, without gaps or repeats', async () => {
      const all = idsOf((await page('root')).items);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const next: ActionPage = await page('root', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(next.items.length).toBeLessThanOrEqual(2);
        seen.push(...idsOf(next.items));
        cursor = next.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
      const filtered = await page('root', '?class=READ&limit=2');
      expect(idsOf((await page('root', `?class=READ&limit=2&cursor=${filtered.nextCursor ?? ''}`)).items)).toEqual([actions.listing]);
    });

    it('shows an operator or a viewer only their own actions (API keys included), and no rollback for them', async () => {
      const own = await page('olga');
      expect(idsOf(own.items)).toEqual([actions.keyListing, actions.listing]);
      expect(idsOf((await page('olga', '?actor=root')).items)).toEqual([]);
      expect(idsOf((await page('olga', '?tool=write_file')).items)).toEqual([]);
      const byKey = await http().get('/api/actions').set('Authorization', `Bearer ${olgaKey}`).expect(200);
      expect(idsOf((byKey.body as ActionPage).items)).toEqual([actions.keyListing, actions.listing]);
      const viewer = await page('vic');
      expect(idsOf(viewer.items)).toEqual([actions.reading]);
      expect(viewer.items.every((item) => !item.canRollback)).toBe(true);
    });

    it.each([
      ['class=HUGE', 'class must be one of the following values'],
      ['status=done', 'status must be one of running, completed, failed'],
      ['verification=maybe', 'verification must be one of verified, failed, none'],
      ['rollbackable=yes', 'rollbackable must be true or false'],
      ['tool=Write-File', 'tool must be a tool name like write_file'],
      ['cursor=not%20a%20cursor', 'cursor must be the nextCursor of a previous page'],
      [`cursor=${Buffer.from('["yesterday","x"]').toString('base64url')}`, 'cursor must be the nextCursor of a previous page'],
      ['limit=0', 'limit must not be less than 1'],
      ['limit=201', 'limit must not be greater than 200'],
      ['from=last-week', 'from must be a valid ISO 8601 date string'],
      ['sort=oldest', 'property sort should not exist'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (query, message) => {
      const response = await get('root', `/api/actions?${query}`).expect(400);
      expect(errorOf(response).code).toBe('VALIDATION_FAILED');
      expect(errorOf(response).message).toContain(message);
    });
  });

  describe('POST /api/actions/:id/rollback', () => {
    it('refuses an operator (403) and leaves the file as the action left it', async () => {
      expect(errorOf(await post('olga', `/api/actions/${actions.readme}/rollback`).expect(403)).code).toBe('FORBIDDEN');
      expect(readFileSync(join(workspace, 'README.md'), 'utf8')).toBe('replaced\n');
    });

    it('restores the exact bytes, says so in words, and the list then shows who rolled it back', async () => {
      const undone = await post('root', `/api/actions/${actions.readme}/rollback`, { reason: 'the release was postponed' }).expect(200);
      expect(undone.body).toMatchObject({
        actionId: actions.readme,
        status: 'rolled_back',
        kind: 'restore_file',
        detail: expect.stringMatching(
          new RegExp(`^restored the previous content of 'README.md' \\(${Buffer.byteLength(previous)} bytes, sha256 [0-9a-f]{64}\\)$`),
        ) as unknown,
      });
      expect(readFileSync(join(workspace, 'README.md'))).toEqual(Buffer.from(previous, 'utf8'));
      const readme = (await page('root', '?tool=write_file')).items.find((item) => item.id === actions.readme);
      expect(readme).toMatchObject({ canRollback: false, rolledBackByName: 'root', rollback: { available: false, kind: 'restore_file' } });
      expect(readme?.rollback.description).toMatch(/^already rolled back by root at \d{4}-/);
      expect(idsOf((await page('root', '?rollbackable=true')).items)).toEqual([actions.created]);

      await post('root', `/api/actions/${actions.created}/rollback`).expect(200);
      expect(existsSync(join(workspace, 'new.txt'))).toBe(false);
      expect((await page('root', '?rollbackable=true')).items).toEqual([]);
    });
  });
});
