import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionClass, ErrorCode, Role } from '@aegis/contracts';
import type { CommandRunner } from '@aegis/sandbox-executor';
import { z } from 'zod';
import { RollbackVault } from '../actions/rollback-vault';
import type { ToolActionRepository } from '../actions/tool-action.repository';
import type { ApprovalRepository } from '../approvals/approval.repository';
import type { RequesterDirectory } from '../approvals/requester-directory';
import type { AuditLog, AuditRecord } from '../audit/audit-log';
import { GovernanceEvents } from '../events/governance-events';
import type { Caller } from '../governance.types';
import { GovernanceTelemetry, type ToolCallReport } from '../telemetry/governance-telemetry';
import type { ContributedTool } from './governed-tool';
import { toolListingFor } from './tool-listing';
import { ToolRegistry } from './tool-registry';

// A tool contributed from outside the catalogue (as the agent contributes its memory tools) goes the
// catalogue tools' way: zod arguments, class, policy, the action record and the audit chain (stand-ins here).

const RUN_ID = '3f2a1c5e-8d4b-4c1a-9e7f-2b6d8a0c4e11';
const viewer: Caller = {
  actor: { type: 'user', id: 'u1', name: 'vera' },
  userId: '11111111-1111-4111-8111-111111111111',
  role: Role.Viewer,
};

function rememberTool(calls: { userId: string; content: string }[]): ContributedTool {
  const schema = z.strictObject({ content: z.string().min(1).max(20) });
  const tool: ContributedTool<typeof schema> = {
    name: 'remember_note',
    description: 'test: keeps a note for the caller',
    actionClass: ActionClass.Safe,
    minRole: Role.Viewer,
    argsSchema: schema,
    contentFields: ['content'],
    run: (args, { caller }) => {
      calls.push({ userId: caller.userId, content: args.content });
      return Promise.resolve({ output: { saved: true } });
    },
  };
  return tool;
}

describe('ToolRegistry: contributed tools', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-contributed-'));
  let entries: AuditRecord[];
  let started: { tool: string; actionClass: ActionClass; runId: string | null }[];
  let calls: { userId: string; content: string }[];
  let reports: ToolCallReport[];
  let registry: ToolRegistry;

  beforeEach(() => {
    entries = [];
    started = [];
    calls = [];
    reports = [];
    const telemetry = new GovernanceTelemetry();
    telemetry.observe({ toolCalled: (report) => reports.push(report), auditAppended: () => undefined, sandboxRan: () => undefined });
    const audit = {
      append: (entry: AuditRecord) => {
        entries.push(entry);
        return Promise.resolve();
      },
    } as unknown as AuditLog;
    const actions = {
      start: (row: { tool: string; actionClass: ActionClass; runId: string | null }) => {
        started.push({ tool: row.tool, actionClass: row.actionClass, runId: row.runId });
        return Promise.resolve({ id: 'action-1' });
      },
      finish: () => Promise.resolve(),
    } as unknown as ToolActionRepository;
    const runner: CommandRunner = { execute: () => Promise.reject(new Error('no command runs in this spec')) };
    registry = new ToolRegistry(
      { workspaceDir: workspace, runner, containerAllowlist: [], systemdUnitAllowlist: [], aptEnabled: false, tools: [] },
      { verifyRequired: true, fourEyes: false, approvalTtlSeconds: 60 },
      audit,
      actions,
      {} as ApprovalRepository,
      new GovernanceEvents(),
      {} as RequesterDirectory,
      new RollbackVault('a-test-jwt-secret-of-thirty-two-bytes!!'),
      telemetry,
    );
    registry.register(rememberTool(calls));
  });

  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('is listed like a catalogue tool: class, minimum role, JSON Schema of its arguments and the policy', () => {
    const listed = registry.list().find((tool) => tool.name === 'remember_note');
    expect(listed).toMatchObject({ actionClass: ActionClass.Safe, minRole: Role.Viewer });
    expect(listed?.argsSchema).toMatchObject({ type: 'object', additionalProperties: false, required: ['content'] });
    expect(toolListingFor(registry.list(), Role.Viewer)).toEqual([
      expect.objectContaining({ name: 'remember_note', policy: expect.objectContaining({ decision: 'allow' }) as unknown }),
    ]);
  });

  it('runs through the governed path: an action record, and a started and a completed audit entry with the run id', async () => {
    const outcome = await registry.execute('remember_note', { content: 'likes tea' }, { ...viewer, runId: RUN_ID });
    expect(outcome).toMatchObject({
      kind: 'executed',
      actionId: 'action-1',
      actionClass: ActionClass.Safe,
      result: { status: 'completed', output: { saved: true } },
    });
    expect(calls).toEqual([{ userId: viewer.userId, content: 'likes tea' }]);
    expect(started).toEqual([{ tool: 'remember_note', actionClass: ActionClass.Safe, runId: RUN_ID }]);
    expect(entries.map((entry) => [entry.action, entry.decision, (entry.result as { status: string }).status, entry.runId])).toEqual([
      ['tool.remember_note', 'allowed', 'started', RUN_ID],
      ['tool.remember_note', 'allowed', 'completed', RUN_ID],
    ]);
    // A content field is audited as its hash and size, never as the text.
    expect(entries[0]?.args).toEqual({ content: { sha256: expect.any(String) as unknown, bytes: 9 } });
  });

  it('refuses a bad argument with its zod schema (INVALID_ARGUMENTS), audits the refusal and does not run', async () => {
    await expect(registry.execute('remember_note', { content: '', extra: 1 }, viewer)).rejects.toMatchObject({
      code: ErrorCode.InvalidArguments,
      message: "Invalid arguments for 'remember_note'",
      details: expect.arrayContaining([expect.stringContaining('content')]) as unknown,
    });
    expect(calls).toEqual([]);
    expect(started).toEqual([]);
    expect(entries).toEqual([
      expect.objectContaining({ action: 'tool.remember_note', decision: 'refused', actionClass: ActionClass.Safe }),
    ]);
  });

  it('reports each call once for metrics: completed, failed, refused, and a name nobody registered as "unknown"', async () => {
    const failing = { ...rememberTool([]), name: 'lose_note', run: () => Promise.reject(new Error('the store is gone')) };
    registry.register(failing);
    await registry.execute('remember_note', { content: 'likes tea' }, viewer);
    await expect(registry.execute('lose_note', { content: 'x' }, viewer)).rejects.toThrow('the store is gone');
    await expect(registry.execute('remember_note', { content: '' }, viewer)).rejects.toMatchObject({ code: ErrorCode.InvalidArguments });
    await expect(registry.execute('rm -rf / # nobody registered this', {}, viewer)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect(reports).toEqual([
      { tool: 'remember_note', outcome: 'completed' },
      { tool: 'lose_note', outcome: 'failed' },
      { tool: 'remember_note', outcome: 'refused' },
      { tool: 'unknown', outcome: 'refused' },
    ]);
  });

  it('refuses a second tool of the same name, and a contributed tool above SAFE', () => {
    expect(() => registry.register(rememberTool([]))).toThrow("Two tools are named 'remember_note'");
    const moderate = { ...rememberTool([]), name: 'change_note', actionClass: ActionClass.Moderate } as unknown as ContributedTool;
    expect(() => registry.register(moderate)).toThrow(
      "The contributed tool 'change_note' is MODERATE; only READ and SAFE tools can be contributed",
    );
  });
});
