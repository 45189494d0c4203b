import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionClass, Role, ROLES } from '@aegis/contracts';
import { CAPABILITY_TOOLS, type CommandRunner } from '@aegis/sandbox-executor';
import { RollbackVault } from '../actions/rollback-vault';
import type { ToolActionRepository } from '../actions/tool-action.repository';
import type { ApprovalRepository } from '../approvals/approval.repository';
import type { RequesterDirectory } from '../approvals/requester-directory';
import type { AuditLog } from '../audit/audit-log';
import { GovernanceEvents } from '../events/governance-events';
import { toolListingFor, toolPolicyFor } from './tool-listing';
import { ToolRegistry } from './tool-registry';

// Every tool the registry holds publishes a JSON Schema of its arguments that a form can be built
// from; the registry is the real one over every capability tool (no database: stand-ins).

describe('the tool catalogue of GET /api/tools', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-listing-'));
  const runner: CommandRunner = { execute: () => Promise.reject(new Error('no command runs in this spec')) };
  const registry = new ToolRegistry(
    { workspaceDir: workspace, runner, containerAllowlist: [], systemdUnitAllowlist: [], aptEnabled: false },
    { approvalTtlSeconds: 60, verifyRequired: true } as ConstructorParameters<typeof ToolRegistry>[1],
    {} as AuditLog,
    {} as ToolActionRepository,
    {} as ApprovalRepository,
    new GovernanceEvents(),
    {} as RequesterDirectory,
    new RollbackVault('a-jwt-secret-of-at-least-thirty-two-bytes!'),
  );
  const tools = registry.list();

  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('holds every capability tool', () => {
    expect(tools.map((tool) => tool.name).sort()).toEqual(CAPABILITY_TOOLS.map((tool) => tool.name).sort());
  });

  it.each(CAPABILITY_TOOLS.map((tool) => [tool.name]))('%s has an object JSON Schema (draft 2020-12) with properties', (name) => {
    const schema = tools.find((tool) => tool.name === name)?.argsSchema;
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false });
    const properties = schema?.['properties'];
    expect(properties).toEqual(expect.any(Object));
    const propertyNames = Object.keys(properties as Record<string, unknown>);
    for (const required of (schema?.['required'] as string[] | undefined) ?? []) expect(propertyNames).toContain(required);
    for (const property of Object.values(properties as Record<string, Record<string, unknown>>)) {
      // Every property says what it holds, so that a form can choose its control.
      expect(typeof property['type'] === 'string' || Array.isArray(property['anyOf']) || Array.isArray(property['enum'])).toBe(true);
    }
    // The schema is plain JSON: it survives the HTTP answer unchanged.
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('publishes defaults as the caller may omit them (input schemas)', () => {
    const listFiles = tools.find((tool) => tool.name === 'list_directory')?.argsSchema as {
      properties: Record<string, { default?: unknown }>;
      required?: string[];
    };
    expect(listFiles.properties['path']?.default).toBe('.');
    expect(listFiles.required ?? []).not.toContain('path');
  });

  it('says per role whether the policy wants a justification or an approval', () => {
    const moderate = { name: 'edit_note', actionClass: ActionClass.Moderate, minRole: Role.Operator };
    expect(toolPolicyFor(moderate, Role.Viewer)).toMatchObject({
      allowed: false,
      decision: 'deny',
      summary: "'edit_note' needs the operator role or higher",
    });
    expect(toolPolicyFor(moderate, Role.Operator)).toMatchObject({
      allowed: true,
      decision: 'allow',
      justificationRequired: false,
      approvalRequired: false,
    });
    const sensitive = { name: 'systemd_restart', actionClass: ActionClass.Sensitive, minRole: Role.Operator };
    expect(toolPolicyFor(sensitive, Role.Operator)).toMatchObject({ allowed: false, decision: 'deny' });
    expect(toolPolicyFor(sensitive, Role.Admin)).toMatchObject({
      allowed: true,
      justificationRequired: true,
      approvalRequired: false,
      summary: 'Runs at once with a written justification',
    });
    const critical = { name: 'execute_command', actionClass: ActionClass.Critical, minRole: Role.Operator };
    for (const role of [Role.Operator, Role.Admin])
      expect(toolPolicyFor(critical, role)).toMatchObject({ justificationRequired: true, approvalRequired: true });
  });

  it('lists every tool for every role, marking what is classified per call', () => {
    for (const role of ROLES) {
      const listing = toolListingFor(tools, role);
      expect(listing).toHaveLength(tools.length);
      for (const item of listing) {
        expect(item.classifiedPerCall).toBe(item.name === 'execute_command');
        // A justification is asked exactly where the policy does not simply allow the call.
        expect(item.policy.justificationRequired).toBe(item.policy.decision === 'justify' || item.policy.decision === 'approve');
      }
    }
    const reads = toolListingFor(tools, Role.Viewer).filter((item) => item.actionClass === ActionClass.Read);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((item) => item.policy.decision === 'allow' || item.minRole !== Role.Viewer)).toBe(true);
  });
});
