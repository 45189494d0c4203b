import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionClass, ErrorCode, Role } from '@aegis/contracts';
import { type AuditLog, type AuditRecord, type Caller, GovernanceEvents, RollbackVault, ToolRegistry } from '@aegis/governance';
import type { MemoryItem } from '@aegis/memory';
import { memoryTools, registerMemoryTools } from './memory-tools';

type RegistryParameters = ConstructorParameters<typeof ToolRegistry>;

const RUN_ID = '3f2a1c5e-8d4b-4c1a-9e7f-2b6d8a0c4e11';
const CONVERSATION_ID = '5b1c0e2a-7d3f-4a9b-8c6e-1f2a3b4c5d6e';
const viewer: Caller = {
  actor: { type: 'user', id: 'u1', name: 'vera' },
  userId: '11111111-1111-4111-8111-111111111111',
  role: Role.Viewer,
};

describe('memoryTools', () => {
  it('offers memory_save (SAFE) and memory_search (READ) to every role', () => {
    const tools = memoryTools({ save: () => Promise.reject(new Error('unused')), search: () => Promise.resolve([]) });
    expect(tools.map((tool) => [tool.name, tool.actionClass, tool.minRole])).toEqual([
      ['memory_save', ActionClass.Safe, Role.Viewer],
      ['memory_search', ActionClass.Read, Role.Viewer],
    ]);
  });
});

// The memory tools registered in the real registry (repositories and audit are stand-ins): audited, validated and listed by governance.
describe('the memory tools in the ToolRegistry', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-memory-tools-'));
  let entries: AuditRecord[];
  let saved: { userId: string; content: string; source: string | null | undefined }[];
  let registry: ToolRegistry;

  beforeEach(() => {
    entries = [];
    saved = [];
    const audit = {
      append: (entry: AuditRecord) => {
        entries.push(entry);
        return Promise.resolve();
      },
    } as unknown as AuditLog;
    const actions = {
      start: () => Promise.resolve({ id: 'action-1' }),
      finish: () => Promise.resolve(),
    } as unknown as RegistryParameters[3];
    registry = new ToolRegistry(
      {
        workspaceDir: workspace,
        runner: { execute: () => Promise.reject(new Error('no command runs in this spec')) },
        containerAllowlist: [],
        systemdUnitAllowlist: [],
        aptEnabled: false,
      },
      { verifyRequired: true, fourEyes: false, approvalTtlSeconds: 60 },
      audit,
      actions,
      {} as RegistryParameters[4],
      new GovernanceEvents(),
      {} as RegistryParameters[6],
      new RollbackVault('a-test-jwt-secret-of-thirty-two-bytes!!'),
    );
    registerMemoryTools(registry, {
      save: (userId, content, options) => {
        saved.push({ userId, content, source: options?.source });
        return Promise.resolve<MemoryItem>({
          id: 'm1',
          kind: 'fact',
          content,
          source: options?.source ?? null,
          createdAt: new Date(0).toISOString(),
        });
      },
      search: () => Promise.resolve([]),
    });
  });

  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('lists both with a closed object JSON Schema, beside the catalogue tools', () => {
    const listed = registry.list().filter((tool) => tool.name.startsWith('memory_'));
    expect(listed.map((tool) => [tool.name, tool.actionClass])).toEqual([
      ['memory_save', ActionClass.Safe],
      ['memory_search', ActionClass.Read],
    ]);
    for (const tool of listed) expect(tool.argsSchema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(registry.list().length).toBeGreaterThan(listed.length);
  });

  it("audits a memory_save of the agent through the registry, on the caller's own user and conversation", async () => {
    const outcome = await registry.execute(
      'memory_save',
      { content: 'Staging is quokka.' },
      { ...viewer, runId: RUN_ID, conversationId: CONVERSATION_ID },
    );
    expect(outcome).toMatchObject({ kind: 'executed', actionClass: ActionClass.Safe, result: { status: 'completed' } });
    expect(saved).toEqual([{ userId: viewer.userId, content: 'Staging is quokka.', source: CONVERSATION_ID }]);
    expect(entries.map((entry) => [entry.action, entry.actionClass, entry.decision, entry.runId])).toEqual([
      ['tool.memory_save', ActionClass.Safe, 'allowed', RUN_ID],
      ['tool.memory_save', ActionClass.Safe, 'allowed', RUN_ID],
    ]);
  });

  it('refuses a bad argument with zod (INVALID_ARGUMENTS) and audits the refusal', async () => {
    await expect(registry.execute('memory_search', { query: 'x', limit: 0, userId: 'someone-else' }, viewer)).rejects.toMatchObject({
      code: ErrorCode.InvalidArguments,
      message: "Invalid arguments for 'memory_search'",
    });
    expect(entries).toEqual([
      expect.objectContaining({ action: 'tool.memory_search', decision: 'refused', actionClass: ActionClass.Read }),
    ]);
  });
});
