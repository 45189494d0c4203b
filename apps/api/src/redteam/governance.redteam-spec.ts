import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ApiComponents, ErrorBody } from '@aegis/contracts';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import { inWorkspace, type RedteamServer, type RedteamUser, startRedteamServer } from './redteam-server';

// Audit and governance decisions (issue 10, items 7–9): arguments the audit cannot hold, an audit
// store that refuses writes, padded commands, secrets written to files, and approvals of requests
// whose requester lost the right to make them.

type Schemas = ApiComponents['schemas'];
type AuditItem = Schemas['AuditPageDto']['items'][number];

const JUSTIFICATION = 'Restore the service configuration after the failed deploy';
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('red team: audit and governance decisions', () => {
  let server: RedteamServer;
  let dataSource: DataSource;

  const audit = async (query: string): Promise<AuditItem[]> =>
    ((await server.as('root').get(`/api/audit?${query}`).expect(200)).body as Schemas['AuditPageDto']).items;
  const runs = () =>
    existsSync(inWorkspace(server, 'runs.txt')) ? readFileSync(inWorkspace(server, 'runs.txt'), 'utf8').split('\n').filter(Boolean) : [];
  const userId = async (username: string): Promise<string> => {
    const users = ((await server.as('root').get('/api/users').expect(200)).body as Schemas['UserListDto']).items;
    const user = users.find((item) => item.username === username);
    if (!user) throw new Error(`no user ${username}`);
    return user.id;
  };
  const requestCritical = async (who: RedteamUser | { key: string }, marker: string): Promise<string> => {
    const body = { args: { command: `python3 record.py ${marker}` }, justification: JUSTIFICATION };
    const response = await (
      'key' in (typeof who === 'string' ? {} : who) ? server.withKey((who as { key: string }).key) : server.as(who as RedteamUser)
    )
      .post('/api/tools/execute_command/execute', body)
      .expect(202);
    return (response.body as Schemas['PendingApprovalDto']).approvalId;
  };
  const expectChainValid = async () => {
    expect((await server.as('root').get('/api/audit/verify').expect(200)).body).toMatchObject({ valid: true, firstBrokenId: null });
  };

  beforeAll(async () => {
    server = await startRedteamServer();
    dataSource = server.app.get(DataSource);
    // Run by python3 (CRITICAL, needs an approval): appends its arguments, so runs can be counted.
    writeFileSync(
      inWorkspace(server, 'record.py'),
      "import sys\nwith open('runs.txt', 'a') as f:\n    f.write(' '.join(sys.argv[1:]) + '\\n')\n",
    );
    chmodSync(inWorkspace(server, 'record.py'), 0o644);
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('arguments the audit cannot hold (item 7)', () => {
    it('a NUL byte in write_file content is refused at the door: 422, the file untouched, nothing half-audited', async () => {
      writeFileSync(inWorkspace(server, 'nul.txt'), 'before\n');
      chmodSync(inWorkspace(server, 'nul.txt'), 0o666);
      const response = await server
        .as('root')
        .post('/api/tools/write_file/execute', { args: { path: 'nul.txt', content: 'a\u0000b' }, justification: JUSTIFICATION });
      expect(response.status).toBe(422);
      expect(errorOf(response).code).toBe('INVALID_ARGUMENTS');
      expect(readFileSync(inWorkspace(server, 'nul.txt'), 'utf8')).toBe('before\n');
      expect((await audit('action=tool.write_file')).filter((entry) => entry.decision !== 'refused')).toEqual([]);
      await expectChainValid();
    });

    it('a NUL byte in a command that would be refused anyway is a 422, not a 500', async () => {
      const response = await server.as('opal').post('/api/tools/execute_command/execute', { args: { command: 'ls\u0000 /' } });
      expect(response.status).toBe(422);
      expect(errorOf(response).code).toBe('INVALID_ARGUMENTS');
    });

    it('a lone UTF-16 surrogate (which jsonb refuses too) is a 422, and so is a NUL in a query string', async () => {
      const surrogate = await server
        .as('root')
        .post('/api/tools/write_file/execute', { args: { path: 'surrogate.txt', content: 'x\ud800y' }, justification: JUSTIFICATION });
      expect(surrogate.status).toBe(422);
      expect(existsSync(inWorkspace(server, 'surrogate.txt'))).toBe(false);
      const query = await server.as('root').get('/api/audit?actor=%00');
      expect(query.status).toBe(422);
      await expectChainValid();
    });

    it('when the audit store refuses writes, no tool runs and the caller gets a clean 503', async () => {
      await dataSource.query(
        `CREATE FUNCTION redteam_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store down'; END $$`,
      );
      await dataSource.query(
        `CREATE TRIGGER redteam_refuse_audit BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION redteam_refuse_audit()`,
      );
      try {
        const write = await server
          .as('root')
          .post('/api/tools/write_file/execute', { args: { path: 'audit-down.txt', content: 'ran' }, justification: JUSTIFICATION });
        expect(write.status).toBe(503);
        expect(errorOf(write).code).toBe('AUDIT_UNAVAILABLE');
        expect(errorOf(write).message).not.toMatch(/audit store down|at .*\.js/);
        expect(existsSync(inWorkspace(server, 'audit-down.txt'))).toBe(false);

        const touch = await server.as('opal').post('/api/tools/execute_command/execute', { args: { command: 'touch audit-down-marker' } });
        expect(touch.status).toBe(503);
        expect(existsSync(inWorkspace(server, 'audit-down-marker'))).toBe(false);

        const refused = await server.as('vera').post('/api/tools/execute_command/execute', { args: { command: 'rm -rf /' } });
        expect(refused.status).toBe(503);
        expect(errorOf(refused).code).toBe('AUDIT_UNAVAILABLE');
      } finally {
        await dataSource.query('DROP TRIGGER redteam_refuse_audit ON audit_entries');
        await dataSource.query('DROP FUNCTION redteam_refuse_audit()');
      }
      await expectChainValid();
    });
  });

  describe('the audit shows what ran (item 8)', () => {
    it('a command padded past a kilobyte is audited whole', async () => {
      const command = `echo ${Array.from({ length: 60 }, () => 'p'.repeat(40)).join(' ')} the-real-end`;
      const ran = await server.as('opal').post('/api/tools/execute_command/execute', { args: { command } });
      expect([ran.status, errorOf(ran).message]).toEqual([200, undefined]);
      const [entry] = await audit('action=tool.execute_command&actor=opal&limit=1');
      expect(entry.args).toMatchObject({ command });
      expect(JSON.stringify(entry)).toContain('the-real-end');
    });

    it('write_file content never lands in the audit (its sha256 and size do), and rollback still restores it', async () => {
      const first = `API_TOKEN=first-${randomBytes(12).toString('hex')}\n`;
      const second = `API_TOKEN=second-${randomBytes(12).toString('hex')}\n`;
      await server
        .as('root')
        .post('/api/tools/write_file/execute', { args: { path: 'service.env', content: first }, justification: JUSTIFICATION })
        .expect(200);
      const overwrite = await server
        .as('root')
        .post('/api/tools/write_file/execute', { args: { path: 'service.env', content: second }, justification: JUSTIFICATION })
        .expect(200);
      const entries = await audit('action=tool.write_file&limit=200');
      const everything = JSON.stringify(entries);
      expect(everything).not.toContain(first.trim());
      expect(everything).not.toContain(second.trim());
      expect(everything).not.toContain(first.slice('API_TOKEN='.length, 30));
      expect(entries[0].args).toMatchObject({ path: 'service.env', content: { sha256: sha256(second), bytes: Buffer.byteLength(second) } });

      // The previous content kept for rollback is not stored in clear either.
      const rows = await dataSource.query<{ rollback: unknown }[]>('SELECT rollback FROM tool_actions WHERE tool = $1', ['write_file']);
      expect(JSON.stringify(rows)).not.toContain(first.slice('API_TOKEN='.length, 30));

      const actionId = (overwrite.body as Schemas['ExecutedActionDto']).actionId;
      await server.as('root').post(`/api/actions/${actionId}/rollback`, { reason: 'wrong token' }).expect(200);
      expect(readFileSync(inWorkspace(server, 'service.env'), 'utf8')).toBe(first);
      expect(JSON.stringify(await audit('limit=200'))).not.toContain(first.slice('API_TOKEN='.length, 30));
      await expectChainValid();
    });
  });

  describe('approvals re-check the requester when they run (item 9)', () => {
    it("an operator's CRITICAL request approved after an admin demoted them is refused, audited, and nothing runs", async () => {
      const approvalId = await requestCritical('otto', 'after-demotion');
      await server
        .as('root')
        .patch(`/api/users/${await userId('otto')}`, { role: 'viewer' })
        .expect(200);
      const approved = await server.as('root').post(`/api/approvals/${approvalId}/approve`, { comment: 'looks fine' });
      await server
        .as('root')
        .patch(`/api/users/${await userId('otto')}`, { role: 'operator' })
        .expect(200);
      expect(approved.status).toBe(409);
      expect(errorOf(approved).code).toBe('REQUESTER_NOT_ALLOWED');
      expect(runs()).not.toContain('after-demotion');
      const [entry] = await audit('action=tool.execute_command&actor=otto&limit=1');
      expect(entry).toMatchObject({ decision: 'refused', reason: expect.stringMatching(/viewer/) as unknown });
      const listed = ((await server.as('root').get('/api/approvals?status=failed').expect(200)).body as Schemas['ApprovalListDto']).items;
      expect(listed.map((item) => item.id)).toContain(approvalId);
    });

    it("a revoked API key's CRITICAL request is refused when approved, and nothing runs", async () => {
      server.sessions.otto = await server.login('otto');
      const key = await server.apiKey('otto');
      const approvalId = await requestCritical({ key }, 'after-revocation');
      const keys = ((await server.as('otto').get('/api/api-keys').expect(200)).body as Schemas['ApiKeyListDto']).items;
      for (const item of keys) await server.as('otto').delete(`/api/api-keys/${item.id}`);
      const approved = await server.as('root').post(`/api/approvals/${approvalId}/approve`, { comment: 'looks fine' });
      expect(approved.status).toBe(409);
      expect(errorOf(approved).code).toBe('REQUESTER_NOT_ALLOWED');
      expect(runs()).not.toContain('after-revocation');
    });

    it("an operator's CRITICAL request approved after an admin disabled them is refused, audited, and nothing runs", async () => {
      const approvalId = await requestCritical('opal', 'after-disabling');
      await server
        .as('root')
        .delete(`/api/users/${await userId('opal')}`)
        .expect((response) => expect(response.status).toBeLessThan(300));
      const approved = await server.as('root').post(`/api/approvals/${approvalId}/approve`, { comment: 'looks fine' });
      expect(approved.status).toBe(409);
      expect(errorOf(approved)).toMatchObject({ code: 'REQUESTER_NOT_ALLOWED', message: expect.stringMatching(/disabled/) as unknown });
      expect(runs()).not.toContain('after-disabling');
      const [entry] = await audit('action=tool.execute_command&actor=opal&limit=1');
      expect(entry).toMatchObject({ decision: 'refused', reason: expect.stringMatching(/disabled/) as unknown });
      await expectChainValid();
    });
  });
});
