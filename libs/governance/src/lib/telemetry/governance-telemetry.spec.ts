import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionClass, Role } from '@aegis/contracts';
import { z } from 'zod';
import { RollbackVault } from '../actions/rollback-vault';
import type { ToolActionRepository } from '../actions/tool-action.repository';
import type { ApprovalRepository } from '../approvals/approval.repository';
import type { RequesterDirectory } from '../approvals/requester-directory';
import type { AuditLog } from '../audit/audit-log';
import { GovernanceEvents } from '../events/governance-events';
import type { Caller } from '../governance.types';
import type { ContributedTool } from '../registry/governed-tool';
import { ToolRegistry } from '../registry/tool-registry';
import { GovernanceTelemetry, type ToolCallReport } from './governance-telemetry';

// What the registry reports for metrics (docs/observability.md): one report per call, labelled by a tool of this
// server (or 'unknown') and how the call ended. The audit and action stores are stand-ins here; the real ones and
// the sandbox are in apps/api/src/metrics/metrics.integration-spec.ts.

const viewer: Caller = {
  actor: { type: 'user', id: 'u1', name: 'vera' },
  userId: '11111111-1111-4111-8111-111111111111',
  role: Role.Viewer,
};

function noteTool(): ContributedTool {
  const schema = z.strictObject({ content: z.string().min(1).max(20) });
  const tool: ContributedTool<typeof schema> = {
    name: 'remember_note',
    description: 'test: keeps a note, or fails on "boom"',
    actionClass: ActionClass.Safe,
    minRole: Role.Viewer,
    argsSchema: schema,
    run: (args) =>
      args.content === 'boom' ? Promise.reject(new Error('the store is gone')) : Promise.resolve({ output: { saved: true } }),
  };
  return tool;
}

describe('GovernanceTelemetry', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-telemetry-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  function registryReporting(reports: ToolCallReport[]): ToolRegistry {
    const telemetry = new GovernanceTelemetry();
    telemetry.observe({ toolCalled: (report) => reports.push(report), auditAppended: () => undefined, sandboxRan: () => undefined });
    const audit = { append: () => Promise.resolve() } as unknown as AuditLog;
    const actions = {
      start: () => Promise.resolve({ id: 'action-1' }),
      finish: () => Promise.resolve(),
    } as unknown as ToolActionRepository;
    const registry = new ToolRegistry(
      {
        workspaceDir: workspace,
        runner: { execute: () => Promise.reject(new Error('no command runs in this spec')) },
        containerAllowlist: [],
        systemdUnitAllowlist: [],
        aptEnabled: false,
        tools: [],
      },
      { verifyRequired: true, fourEyes: false, approvalTtlSeconds: 60 },
      audit,
      actions,
      {} as ApprovalRepository,
      new GovernanceEvents(),
      {} as RequesterDirectory,
      new RollbackVault('a-test-jwt-secret-of-thirty-two-bytes!!'),
      telemetry,
    );
    registry.register(noteTool());
    return registry;
  }

  it('reports each call through the registry once: completed, failed, refused, and an unknown name as "unknown"', async () => {
    const reports: ToolCallReport[] = [];
    const registry = registryReporting(reports);
    await registry.execute('remember_note', { content: 'likes tea' }, viewer);
    await expect(registry.execute('remember_note', { content: 'boom' }, viewer)).rejects.toThrow('the store is gone');
    await expect(registry.execute('remember_note', { content: '' }, viewer)).rejects.toMatchObject({ code: 'INVALID_ARGUMENTS' });
    await expect(registry.execute('rm -rf / # a name nobody registered', {}, viewer)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(reports).toEqual([
      { tool: 'remember_note', outcome: 'completed' },
      { tool: 'remember_note', outcome: 'failed' },
      { tool: 'remember_note', outcome: 'refused' },
      { tool: 'unknown', outcome: 'refused' },
    ]);
  });

  it('keeps going when an observer throws: the others hear of it and the caller never does', () => {
    const telemetry = new GovernanceTelemetry();
    const heard: string[] = [];
    telemetry.observe({
      toolCalled: () => {
        throw new Error('observer broke');
      },
      auditAppended: () => {
        throw new Error('observer broke');
      },
      sandboxRan: () => undefined,
    });
    telemetry.observe({
      toolCalled: (report) => heard.push(`${report.tool} ${report.outcome}`),
      auditAppended: (outcome) => heard.push(`audit ${outcome}`),
      sandboxRan: (report) => heard.push(`${report.driver} ${report.outcome}`),
    });
    telemetry.toolCalled({ tool: 'read_file', outcome: 'completed' });
    telemetry.auditAppended('written');
    telemetry.sandboxRan({ driver: 'bwrap', outcome: 'ok', seconds: 0.01 });
    expect(heard).toEqual(['read_file completed', 'audit written', 'bwrap ok']);
  });
});
