import { createHash } from 'node:crypto';
import { chownSync, mkdirSync } from 'node:fs';
import { ActionClass, Role } from '@aegis/contracts';
import { createDataSourceOptions, UserEntity } from '@aegis/database';
import { type CapabilityTool, SANDBOX_UID, SecureExecutor } from '@aegis/sandbox-executor';
import { createTestDatabase, testConfig } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { RollbackVault } from '../actions/rollback-vault';
import { ToolActionRepository } from '../actions/tool-action.repository';
import { ApprovalRepository } from '../approvals/approval.repository';
import { ApprovalService } from '../approvals/approval.service';
import { RequesterDirectory } from '../approvals/requester-directory';
import { RequesterRepository } from '../approvals/requester.repository';
import { AuditLog } from '../audit/audit-log';
import { AuditRepository } from '../audit/audit.repository';
import { GovernanceEvents } from '../events/governance-events';
import type { Caller, GovernanceSettings } from '../governance.types';
import { ToolRegistry, type ToolRegistryOptions } from './tool-registry';

// What the registry's integration specs share: a real PostgreSQL database, the real bubblewrap
// sandbox, four users, and a registry with its approval service built on them.

export const JUSTIFICATION = 'Needed for the integration test of governance';
export const sha = (text: string) => createHash('sha256').update(text).digest('hex');

export interface AuditRow {
  id: string;
  action: string;
  role: string | null;
  action_class: string | null;
  decision: string;
  reason: string | null;
  result: Record<string, unknown> | null;
}

/** A CRITICAL tool that only records what it was asked to do, to count runs and compare arguments. */
export function countingTool(calls: unknown[]): CapabilityTool {
  const schema = z.strictObject({ target: z.string(), count: z.number().int() });
  const tool: CapabilityTool<typeof schema> = {
    name: 'counted_change',
    description: 'test: records its arguments',
    actionClass: ActionClass.Critical,
    minRole: Role.Operator,
    argsSchema: schema,
    run(args) {
      calls.push(args);
      return Promise.resolve({ output: { done: args.target }, verification: { verified: true, detail: 'recorded' } });
    },
  };
  return tool;
}

export function moderateTool(name: string, verification: { verified: boolean; detail: string } | undefined): CapabilityTool {
  const schema = z.strictObject({});
  const tool: CapabilityTool<typeof schema> = {
    name,
    description: 'test: a MODERATE change',
    actionClass: ActionClass.Moderate,
    minRole: Role.Operator,
    argsSchema: schema,
    run: () => Promise.resolve({ output: { changed: true }, verification }),
  };
  return tool;
}

export type TestUsers = Record<'viewer' | 'operator' | 'admin' | 'otherAdmin', Caller>;

export interface RegistryHarness {
  dataSource: DataSource;
  executor: SecureExecutor;
  workspace: string;
  audit: AuditLog;
  actions: ToolActionRepository;
  approvals: ApprovalRepository;
  users: TestUsers;
  settings: GovernanceSettings;
  build: (
    overrides?: Partial<ToolRegistryOptions>,
    with_?: Partial<GovernanceSettings>,
  ) => { registry: ToolRegistry; service: ApprovalService; events: GovernanceEvents };
  auditSince: (id: string) => Promise<AuditRow[]>;
  lastAuditId: () => Promise<string>;
  close: () => Promise<void>;
}

/** Opens a new test database and the sandbox, and creates the four users (call in beforeAll, close in afterAll). */
export async function openRegistryHarness(): Promise<RegistryHarness> {
  const dataSource = await new DataSource(createDataSourceOptions({ url: await createTestDatabase(), embedded: false })).initialize();
  const config = testConfig();
  const workspace = config.workspaceDir;
  mkdirSync(workspace, { recursive: true });
  if (process.getuid?.() === 0) chownSync(workspace, SANDBOX_UID, SANDBOX_UID);
  const executor = new SecureExecutor(config);
  const audit = new AuditLog(new AuditRepository(dataSource));
  const actions = new ToolActionRepository(dataSource);
  const approvals = new ApprovalRepository(dataSource);
  const settings: GovernanceSettings = { verifyRequired: true, fourEyes: false, approvalTtlSeconds: 3600 };
  const users = {} as TestUsers;
  const repository = dataSource.getRepository(UserEntity);
  for (const [key, role] of [
    ['viewer', Role.Viewer],
    ['operator', Role.Operator],
    ['admin', Role.Admin],
    ['otherAdmin', Role.Admin],
  ] as const) {
    const user = await repository.save({ username: `${key}-user`, passwordHash: 'x', role });
    users[key] = { actor: { type: 'user', id: user.id, name: user.username }, userId: user.id, role };
  }
  return {
    dataSource,
    executor,
    workspace,
    audit,
    actions,
    approvals,
    users,
    settings,
    build: (overrides = {}, with_ = {}) => {
      const events = new GovernanceEvents();
      const options: ToolRegistryOptions = {
        workspaceDir: workspace,
        runner: executor,
        containerAllowlist: ['web'],
        systemdUnitAllowlist: ['nginx.service'],
        aptEnabled: false,
        ...overrides,
      };
      const effective = { ...settings, ...with_ };
      const requesters = new RequesterDirectory(new RequesterRepository(dataSource));
      const registry = new ToolRegistry(
        options,
        effective,
        audit,
        actions,
        approvals,
        events,
        requesters,
        new RollbackVault('a-test-jwt-secret-of-thirty-two-bytes!!'),
      );
      const service = new ApprovalService(approvals, registry, audit, events, effective);
      return { registry, service, events };
    },
    auditSince: (id) =>
      dataSource.query<AuditRow[]>(
        'SELECT id, action, role, action_class, decision, reason, result FROM audit_entries WHERE id > $1 ORDER BY id',
        [id],
      ),
    lastAuditId: async () => {
      const [row] = await dataSource.query<{ id: string | null }[]>('SELECT max(id)::text AS id FROM audit_entries');
      return row?.id ?? '0';
    },
    close: async () => {
      await executor.close();
      await dataSource.destroy();
    },
  };
}
