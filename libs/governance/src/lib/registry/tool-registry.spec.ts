import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionClass, type ApprovalRequiredEvent, ErrorCode, Role } from '@aegis/contracts';
import type { ApprovalRequestEntity } from '@aegis/database';
import { CAPABILITY_TOOLS, type CapabilityTool, type CommandRunner } from '@aegis/sandbox-executor';
import { z } from 'zod';
import { RollbackVault } from '../actions/rollback-vault';
import type { ToolActionRepository } from '../actions/tool-action.repository';
import type { ApprovalRepository } from '../approvals/approval.repository';
import type { RequesterDirectory } from '../approvals/requester-directory';
import type { AuditLog } from '../audit/audit-log';
import { GovernanceEvents } from '../events/governance-events';
import { GovernanceException } from '../governance.exception';
import type { Caller } from '../governance.types';
import { ToolRegistry } from './tool-registry';

// The class governance decides for a call, as execute() reports it on every path (no database:
// the repositories and the audit are in-memory stand-ins; the PostgreSQL behaviour is in the integration spec).

const JUSTIFICATION = 'Needed to check the class governance reports';
const EXECUTE_COMMAND = CAPABILITY_TOOLS.find((tool) => tool.name === 'execute_command');

function readNote(): CapabilityTool {
  const schema = z.strictObject({ name: z.string() });
  const tool: CapabilityTool<typeof schema> = {
    name: 'read_note',
    description: 'test: a READ tool',
    actionClass: ActionClass.Read,
    minRole: Role.Viewer,
    argsSchema: schema,
    run: (args) => Promise.resolve({ output: `note ${args.name}` }),
  };
  return tool;
}

describe('ToolRegistry: the class of each call', () => {
  let workspace: string;
  let stored: ApprovalRequestEntity[];
  let events: GovernanceEvents;
  let registry: ToolRegistry;
  const operator: Caller = {
    actor: { type: 'user', id: 'u1', name: 'opal' },
    userId: '11111111-1111-4111-8111-111111111111',
    role: Role.Operator,
  };

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'aegis-registry-'));
    writeFileSync(join(workspace, 'old.txt'), 'b\na\n');
    stored = [];
    events = new GovernanceEvents();
    const audit = { append: () => Promise.resolve() } as unknown as AuditLog;
    const actions = {
      start: () => Promise.resolve({ id: 'action-1' }),
      finish: () => Promise.resolve(),
    } as unknown as ToolActionRepository;
    const approvals = {
      create: (request: ApprovalRequestEntity) => {
        stored.push(request);
        return Promise.resolve(request);
      },
    } as unknown as ApprovalRepository;
    const runner: CommandRunner = { execute: () => Promise.reject(new Error('no command runs in this spec')) };
    if (!EXECUTE_COMMAND) throw new Error('execute_command is not a capability tool');
    registry = new ToolRegistry(
      {
        workspaceDir: workspace,
        runner,
        containerAllowlist: [],
        systemdUnitAllowlist: [],
        aptEnabled: false,
        tools: [readNote(), EXECUTE_COMMAND],
      },
      { verifyRequired: true, fourEyes: false, approvalTtlSeconds: 60 },
      audit,
      actions,
      approvals,
      events,
      {} as RequesterDirectory,
      new RollbackVault('a-test-jwt-secret-of-thirty-two-bytes!!'),
    );
  });

  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  /** Runs execute() and returns what it ended with and every class it reported through onClassified. */
  async function classified(name: string, args: unknown, caller: Caller, justification?: string) {
    const seen: ActionClass[] = [];
    try {
      const outcome = await registry.execute(
        name,
        args,
        { ...caller, onClassified: (actionClass) => seen.push(actionClass) },
        justification,
      );
      return { outcome, error: undefined, seen };
    } catch (error) {
      return { outcome: undefined, error, seen };
    }
  }

  it('reports READ on an executed READ call, on the outcome and before it ran', async () => {
    const { outcome, seen } = await classified('read_note', { name: 'a' }, operator);
    expect(outcome).toMatchObject({
      kind: 'executed',
      actionClass: ActionClass.Read,
      result: { status: 'completed', actionClass: ActionClass.Read },
    });
    expect(seen).toEqual([ActionClass.Read]);
  });

  it('reports the class the arguments raise, also when the policy then refuses the call', async () => {
    // sort is READ; writing its output over an existing file makes the call SENSITIVE, which an operator may not do.
    const { error, seen } = await classified('execute_command', { command: 'sort -o old.txt old.txt' }, operator, JUSTIFICATION);
    expect(error).toBeInstanceOf(GovernanceException);
    expect(error).toMatchObject({ code: ErrorCode.PolicyDenied });
    expect(seen).toEqual([ActionClass.Sensitive]);
  });

  it('reports nothing for a call it never classified: an unknown tool or invalid arguments', async () => {
    const unknown = await classified('no_such_tool', {}, operator);
    expect(unknown.error).toMatchObject({ code: ErrorCode.NotFound });
    expect(unknown.seen).toEqual([]);
    const invalid = await classified('read_note', { name: 42 }, operator);
    expect(invalid.error).toMatchObject({ code: ErrorCode.InvalidArguments });
    expect(invalid.seen).toEqual([]);
  });

  it("gives a pending call the approval's class, and names the agent's tool call in the request and in approval:required", async () => {
    const required: ApprovalRequiredEvent[] = [];
    events.on('approval:required', (event) => required.push(event));
    const agent: Caller = { ...operator, runId: '3f2a1c5e-8d4b-4c1a-9e7f-2b6d8a0c4e11', toolCallId: 'call_abc' };
    const { outcome, seen } = await classified('execute_command', { command: 'python3 script.py' }, agent, JUSTIFICATION);
    expect(outcome).toMatchObject({ kind: 'pending', actionClass: ActionClass.Critical });
    expect(seen).toEqual([ActionClass.Critical]);
    expect(stored).toEqual([expect.objectContaining({ toolCallId: 'call_abc', runId: agent.runId })]);
    expect(required).toEqual([expect.objectContaining({ toolCallId: 'call_abc', runId: agent.runId, actionClass: ActionClass.Critical })]);
  });

  it('leaves toolCallId null on an approval requested over HTTP', async () => {
    const required: ApprovalRequiredEvent[] = [];
    events.on('approval:required', (event) => required.push(event));
    await registry.execute('execute_command', { command: 'python3 script.py' }, operator, JUSTIFICATION);
    expect(stored[0]?.toolCallId).toBeNull();
    expect(required[0]?.toolCallId).toBeNull();
  });

  describe('GOVERNANCE_RAISE_CLASSES', () => {
    function raised(raisedClasses: Record<string, ActionClass>) {
      const runner: CommandRunner = { execute: () => Promise.reject(new Error('no command runs in this spec')) };
      const approvals = { create: (request: ApprovalRequestEntity) => Promise.resolve(request) } as unknown as ApprovalRepository;
      return new ToolRegistry(
        {
          workspaceDir: workspace,
          runner,
          containerAllowlist: [],
          systemdUnitAllowlist: [],
          aptEnabled: false,
          tools: [readNote(), ...(EXECUTE_COMMAND ? [EXECUTE_COMMAND] : [])],
        },
        { verifyRequired: true, fourEyes: false, approvalTtlSeconds: 60, raisedClasses },
        { append: () => Promise.resolve() } as unknown as AuditLog,
        { start: () => Promise.resolve({ id: 'action-1' }), finish: () => Promise.resolve() } as unknown as ToolActionRepository,
        approvals,
        new GovernanceEvents(),
        {} as RequesterDirectory,
        new RollbackVault('a-test-jwt-secret-of-thirty-two-bytes!!'),
      );
    }

    it('makes every call of a raised tool at least that class: a READ tool raised to CRITICAL waits for an admin', async () => {
      const registry = raised({ read_note: ActionClass.Critical });
      expect(registry.list().find((tool) => tool.name === 'read_note')?.actionClass).toBe(ActionClass.Critical);
      const outcome = await registry.execute('read_note', { name: 'a' }, operator, JUSTIFICATION);
      expect(outcome).toMatchObject({ kind: 'pending', actionClass: ActionClass.Critical });
    });

    it('never lowers a class: a command the arguments make SENSITIVE stays SENSITIVE under a SAFE floor', async () => {
      const registry = raised({ execute_command: ActionClass.Safe });
      await expect(
        registry.execute('execute_command', { command: 'sort -o old.txt old.txt' }, operator, JUSTIFICATION),
      ).rejects.toMatchObject({ code: ErrorCode.PolicyDenied });
      expect(registry.list().find((tool) => tool.name === 'execute_command')?.actionClass).not.toBe(ActionClass.Safe);
    });

    it('refuses to start when it names a tool this server does not have', () => {
      expect(() => raised({ no_such_tool: ActionClass.Critical })).toThrow(
        "GOVERNANCE_RAISE_CLASSES names 'no_such_tool', which is not a tool of this server",
      );
    });
  });
});
