import type { ApiComponents } from '@aegis/contracts';
import { hostAvailability } from '@aegis/governance';
import { errorOf } from '../testing/cockpit-server';
import { governanceOverHttp, JUSTIFICATION } from './governance.fixture';

// The governance HTTP contract end to end for approvals and the audit log: CRITICAL commands and apt_install wait
// for an admin and run once, a pending request outlives an API restart, and the audit log pages and proves its chain.
// The tests build on each other's records, in order. Tools run at once are in governance-tools.integration-spec.ts.

type Schemas = ApiComponents['schemas'];
type Executed = Schemas['ExecutedActionDto'];
type Pending = Schemas['PendingApprovalDto'];
type AuditPage = Schemas['AuditPageDto'];

describe('governance over HTTP against PostgreSQL and the bubblewrap sandbox: approvals and the audit log', () => {
  const gov = governanceOverHttp({ container: false });
  const { get, post, runs, auditOf, requestApproval } = gov;
  beforeAll(() => gov.start());
  afterAll(() => gov.close());

  it('keeps a CRITICAL command waiting for approval, runs it once with the stored arguments, and never again', async () => {
    const approvalId = await requestApproval('operator', {
      args: { command: 'python3 record.py approved-args' },
      justification: JUSTIFICATION,
    });
    expect(runs()).toEqual([]);
    await get('operator', '/api/approvals').expect(403);

    const listed = (await get('root', '/api/approvals?status=pending').expect(200)).body as Schemas['ApprovalListDto'];
    expect(listed.items.find((item) => item.id === approvalId)).toMatchObject({
      tool: 'execute_command',
      actionClass: 'CRITICAL',
      args: { command: 'python3 record.py approved-args' },
      argsSha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      justification: JUSTIFICATION,
      requestedBy: { type: 'user', name: 'operator', role: 'operator' },
      status: 'pending',
    });

    // There is no way to send other arguments with an approval.
    const changed = await post('root', `/api/approvals/${approvalId}/approve`, {
      comment: 'ok',
      args: { command: 'python3 record.py other' },
    }).expect(400);
    expect(errorOf(changed).message).toBe('property args should not exist');
    await post('root', `/api/approvals/${approvalId}/approve`, { comment: 'x'.repeat(1001) }).expect(400);

    const approved = await post('root', `/api/approvals/${approvalId}/approve`, { comment: 'reviewed the script' }).expect(200);
    expect((approved.body as Executed).result).toMatchObject({ status: 'completed', actionClass: 'CRITICAL', output: { exitCode: 0 } });
    expect(runs()).toEqual(['approved-args']);

    const twice = await post('admin2', `/api/approvals/${approvalId}/approve`, { comment: 'me too' }).expect(409);
    expect(errorOf(twice).code).toBe('APPROVAL_NOT_PENDING');
    expect(runs()).toEqual(['approved-args']);
    const [item] = ((await get('root', '/api/approvals?status=executed').expect(200)).body as Schemas['ApprovalListDto']).items;
    expect(item).toMatchObject({
      id: approvalId,
      decidedBy: { name: 'root' },
      comment: 'reviewed the script',
      actionId: (approved.body as Executed).actionId,
    });
  });

  it('never runs a rejected or an expired request', async () => {
    const rejected = await requestApproval('operator', { args: { command: 'python3 record.py rejected' }, justification: JUSTIFICATION });
    const decision = await post('root', `/api/approvals/${rejected}/reject`, { reason: 'not on a Friday' }).expect(200);
    expect(decision.body).toMatchObject({ id: rejected, status: 'rejected', comment: 'not on a Friday', decidedBy: { name: 'root' } });
    expect(errorOf(await post('root', `/api/approvals/${rejected}/approve`, { comment: 'after all' }).expect(409)).code).toBe(
      'APPROVAL_NOT_PENDING',
    );

    const expired = await requestApproval('operator', { args: { command: 'python3 record.py expired' }, justification: JUSTIFICATION });
    await gov.dataSource.query(`UPDATE approval_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired]);
    expect(errorOf(await post('root', `/api/approvals/${expired}/approve`, { comment: 'late' }).expect(410)).code).toBe('APPROVAL_EXPIRED');
    const listed = ((await get('root', '/api/approvals?status=expired').expect(200)).body as Schemas['ApprovalListDto']).items;
    expect(listed.map((item) => item.id)).toContain(expired);
    expect(runs()).toEqual(['approved-args']);
    expect((await auditOf('action=approval.*')).map((entry) => [entry.action, entry.decision])).toEqual(
      expect.arrayContaining([
        ['approval.approve', 'refused'],
        ['approval.expire', 'expired'],
        ['approval.reject', 'allowed'],
      ]),
    );
  });

  it('puts apt_install behind an approval and runs it once with the approved packages', async () => {
    const requested = await post('root', '/api/tools/apt_install/execute', {
      args: { packages: ['coreutils'] },
      justification: JUSTIFICATION,
    }).expect(202);
    const { approvalId } = requested.body as Pending;
    const rejected = await post('root', '/api/tools/apt_install/execute', {
      args: { packages: ['coreutils'] },
      justification: JUSTIFICATION,
    }).expect(202);
    await post('root', `/api/approvals/${(rejected.body as Pending).approvalId}/reject`, { reason: 'duplicate' }).expect(200);
    expect(await auditOf('action=tool.apt_install&decision=approved')).toEqual([]);

    const availability = hostAvailability({ aptEnabled: true }).apt();
    const approved = await post('admin2', `/api/approvals/${approvalId}/approve`, { comment: 'coreutils is already there' });
    if (!availability.available) {
      // Not root or no apt here: the approved action ran once and failed with the host's reason.
      expect(approved.status).toBe(503);
      expect(errorOf(approved)).toMatchObject({ code: 'CAPABILITY_UNAVAILABLE', message: availability.reason });
    } else {
      expect(approved.status).toBe(200);
      expect((approved.body as Executed).result).toMatchObject({
        status: 'completed',
        output: { exitCode: 0, newlyInstalled: [], alreadyInstalled: ['coreutils'] },
        verification: { verified: true },
        rollback: { available: false, reason: 'no package was newly installed, so there is nothing to remove' },
      });
    }
    const ran = await auditOf('action=tool.apt_install&decision=approved');
    expect(ran.map((entry) => entry.result?.['status'])).toEqual([expect.stringMatching(/^(completed|failed)$/), 'started']);
    expect(ran[0].args).toEqual({ packages: ['coreutils'] });
    expect(ran[0].reason).toBe('approved by admin2: coreutils is already there');
  });

  it('pages through the audit log with filters and a validated limit', async () => {
    const first = (await get('root', '/api/audit?limit=2&action=tool.*').expect(200)).body as AuditPage;
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1].id);
    const second = (await get('root', `/api/audit?limit=2&action=tool.*&cursor=${first.nextCursor}`).expect(200)).body as AuditPage;
    expect(BigInt(second.items[0].id)).toBeLessThan(BigInt(first.items[1].id));
    expect(
      (await auditOf('class=CRITICAL&decision=pending')).every((entry) => entry.actionClass === 'CRITICAL' && entry.decision === 'pending'),
    ).toBe(true);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await auditOf(`from=${encodeURIComponent(future)}`)).toEqual([]);
    for (const bad of ['limit=0', 'limit=201', 'limit=x', 'cursor=-1', 'class=HUGE', 'from=yesterday'])
      await get('root', `/api/audit?${bad}`).expect(400);
    await get('operator', '/api/audit').expect(403);
    await get('operator', '/api/audit/verify').expect(403);
  });

  it('keeps a pending request across an API restart; with four eyes another admin approves it, and it runs once; tools are rate-limited', async () => {
    const approvalId = await requestApproval('root', {
      args: { command: 'python3 record.py after-restart' },
      justification: JUSTIFICATION,
    });
    await gov.restart({ GOVERNANCE_FOUR_EYES: 'true', RATE_LIMIT_TOOLS: '3/60' });

    const pending = ((await get('root', '/api/approvals?status=pending').expect(200)).body as Schemas['ApprovalListDto']).items;
    expect(pending.map((item) => item.id)).toEqual([approvalId]);
    const own = await post('root', `/api/approvals/${approvalId}/approve`, { comment: 'my own' }).expect(403);
    expect(errorOf(own).code).toBe('SELF_APPROVAL_FORBIDDEN');
    expect(runs()).toEqual(['approved-args']);

    await post('admin2', `/api/approvals/${approvalId}/approve`, { comment: 'checked by a second admin' }).expect(200);
    expect(runs()).toEqual(['approved-args', 'after-restart']);
    await post('admin2', `/api/approvals/${approvalId}/approve`, { comment: 'again' }).expect(409);
    expect(runs()).toEqual(['approved-args', 'after-restart']);

    // Direct tool executions are rate-limited per user (RATE_LIMIT_TOOLS, 3 a minute in this app).
    for (let call = 0; call < 3; call++) await post('viewer', '/api/tools/list_directory/execute').expect(200);
    expect(errorOf(await post('viewer', '/api/tools/list_directory/execute').expect(429)).code).toBe('RATE_LIMITED');
  });

  it('verifies the chain, and reports the entry an attacker edited directly in the database', async () => {
    const intact = (await get('root', '/api/audit/verify').expect(200)).body as Schemas['ChainVerificationDto'];
    expect(intact).toMatchObject({ valid: true, firstBrokenId: null });
    expect(intact.checked).toBeGreaterThan(20);

    const [refusal] = await auditOf('actor=viewer&decision=refused&limit=1');
    await expect(gov.dataSource.query(`UPDATE audit_entries SET decision = 'allowed' WHERE id = $1`, [refusal.id])).rejects.toThrow(
      /append-only/,
    );
    // Someone with the table owner's rights can turn the trigger off; the hash chain still shows the edit.
    await gov.dataSource.query('ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change');
    await gov.dataSource.query(`UPDATE audit_entries SET decision = 'allowed' WHERE id = $1`, [refusal.id]);
    await gov.dataSource.query('ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change');

    const [before] = await gov.dataSource.query<{ count: string }[]>('SELECT count(*) FROM audit_entries WHERE id < $1', [refusal.id]);
    const broken = (await get('root', '/api/audit/verify').expect(200)).body as Schemas['ChainVerificationDto'];
    expect(broken).toMatchObject({
      valid: false,
      checked: Number(before.count),
      firstBrokenId: refusal.id,
      firstBroken: { id: refusal.id, position: Number(before.count) + 1 },
    });
  });
});
