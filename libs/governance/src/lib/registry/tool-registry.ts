import { ActionClass, AegisError, isUuid, roleAtLeast } from '@aegis/contracts';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  createHostSystem,
  createToolCatalog,
  type CapabilityTool,
  ToolCatalog,
  type ToolCatalogOptions,
  type ToolDescriptor,
} from '@aegis/sandbox-executor';
import { ApprovalRepository } from '../approvals/approval.repository';
import { RollbackVault } from '../actions/rollback-vault';
import { ToolActionRepository } from '../actions/tool-action.repository';
import { RequesterDirectory } from '../approvals/requester-directory';
import { AuditLog } from '../audit/audit-log';
import { unstorableTextProblems } from '../audit/storable-text';
import { GovernanceEvents } from '../events/governance-events';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import { GOVERNANCE_SETTINGS, TOOL_REGISTRY_OPTIONS } from '../governance.tokens';
import type { Caller, ExecutionOutcome, GovernanceSettings, RollbackResult } from '../governance.types';
import { justificationProblems } from '../policy/justification';
import { decide, denialReason } from '../policy/policy';
import { ActionRollback } from './action-rollback';
import { confirmIfAgent } from './agent-confirmation';
import { ApprovedRuns, type Approver } from './approved-runs';
import { type ContributedTool, governCatalogTool, governContributedTool, type GovernedTool } from './governed-tool';
import { RefusalAudit } from './refusal-audit';
import { completed, type PerformBasis, ToolPerformer } from './tool-performer';
import { GovernanceTelemetry } from '../telemetry/governance-telemetry';

/** How the registry builds its (private) tool catalog: createToolCatalog's options, and the tools for tests. */
export interface ToolRegistryOptions extends ToolCatalogOptions {
  /** Default: every capability tool. */
  tools?: readonly CapabilityTool[];
}

const MAX_AUDITED_NAME = 64;

function buildCatalog(options: ToolRegistryOptions): ToolCatalog {
  if (!options.tools) return createToolCatalog(options);
  return new ToolCatalog(
    {
      workspaceDir: options.workspaceDir,
      runner: options.runner,
      docker: options.dockerClient
        ? { client: options.dockerClient, containers: options.containerAllowlist.map((container) => container.replace(/^\//, '')) }
        : undefined,
      systemdUnits: [...options.systemdUnitAllowlist],
      host: options.host ?? createHostSystem({ aptEnabled: options.aptEnabled }),
    },
    options.tools,
  );
}

/**
 * The one tool registry (docs/governance.md "The one registry"). It builds the ToolCatalog
 * itself and keeps it private, and wraps every tool at registration with policy (role, arguments,
 * class, justification, approval), the handler, verification, rollback records and the audit
 * chain. Tools from outside the catalogue (the agent's memory tools) join through `register` and
 * run the same way; nothing else holds the catalog, so no tool runs any other way.
 */
@Injectable()
export class ToolRegistry {
  readonly #tools = new Map<string, GovernedTool>();
  readonly #refusals: RefusalAudit;
  readonly #performer: ToolPerformer;
  readonly #approved: ApprovedRuns;
  readonly #rollback: ActionRollback;

  constructor(
    @Inject(TOOL_REGISTRY_OPTIONS) options: ToolRegistryOptions,
    @Inject(GOVERNANCE_SETTINGS) private readonly settings: GovernanceSettings,
    audit: AuditLog,
    actions: ToolActionRepository,
    approvals: ApprovalRepository,
    events: GovernanceEvents,
    requesters: RequesterDirectory,
    vault: RollbackVault,
    @Optional() private readonly telemetry: GovernanceTelemetry = new GovernanceTelemetry(),
  ) {
    const catalog = buildCatalog(options);
    const toolNamed = (name: string) => this.#tools.get(name);
    this.#refusals = new RefusalAudit(audit, (name) => toolNamed(name)?.contentFields, telemetry);
    this.#performer = new ToolPerformer(settings, audit, actions, vault, telemetry);
    this.#approved = new ApprovedRuns(settings, audit, approvals, events, requesters, this.#performer, this.#refusals, toolNamed);
    this.#rollback = new ActionRollback({ catalog, runner: options.runner, workspaceDir: options.workspaceDir }, audit, actions, vault);
    for (const descriptor of catalog.list())
      this.add(governCatalogTool(catalog, descriptor, options.workspaceDir, settings.raisedClasses?.[descriptor.name]));
    const unknown = Object.keys(settings.raisedClasses ?? {}).filter((name) => !this.#tools.has(name));
    if (unknown.length > 0)
      throw new Error(
        `GOVERNANCE_RAISE_CLASSES names ${unknown.map((name) => `'${name}'`).join(', ')}, which is not a tool of this server`,
      );
  }

  /**
   * Adds a tool from outside the catalogue (READ or SAFE; docs/governance.md "Contributed tools"):
   * listed, classified, checked by policy, audited and recorded exactly like a catalogue tool.
   */
  register(tool: ContributedTool): void {
    this.add(governContributedTool(tool, this.settings.raisedClasses?.[tool.name]));
  }

  /** Every tool with its class, minimum role and argument schema (GET /tools). */
  list(): ToolDescriptor[] {
    return [...this.#tools.values()].map((tool) => tool.descriptor);
  }

  /**
   * Runs a tool for `caller` if policy allows it now, or stores a pending approval request when
   * it needs one. Refusals throw (and are audited first); a tool's own failure is recorded as a
   * failed action and rethrown. The result's status is `failed` when a required verification did not pass.
   */
  async execute(name: string, rawArgs: unknown, caller: Caller, justification?: string): Promise<ExecutionOutcome> {
    if (caller.runId !== undefined && !isUuid(caller.runId)) throw new Error(`runId must be a UUID, got ${JSON.stringify(caller.runId)}`);
    const tool = this.#tools.get(name);
    const args = rawArgs ?? {};
    const refuse = this.#refusals.refuse.bind(this.#refusals);
    if (!tool) {
      const unknown = new GovernanceException(GovernanceExceptionCode.NotFound, `There is no tool named '${name}'`);
      return refuse(caller, `tool.${name.slice(0, MAX_AUDITED_NAME)}`, ActionClass.Critical, args, unknown);
    }
    const action = `tool.${name}`;
    const declared = tool.descriptor.actionClass;
    if (!roleAtLeast(caller.role, tool.minRole)) {
      const forbidden = new GovernanceException(GovernanceExceptionCode.Forbidden, `'${name}' needs the ${tool.minRole} role or higher`);
      return refuse(caller, action, declared, args, forbidden);
    }
    if (typeof args !== 'object' || Array.isArray(args)) {
      const invalid = new GovernanceException(GovernanceExceptionCode.InvalidArguments, `Invalid arguments for '${name}'`, [
        'args must be an object',
      ]);
      return refuse(caller, action, declared, { args }, invalid);
    }
    const record = args as Record<string, unknown>;
    // Checked before anything else can act: what the audit cannot store whole does not run (docs/governance.md).
    const unstorable = [...unstorableTextProblems(record), ...unstorableTextProblems(justification ?? '', 'justification')];
    if (unstorable.length > 0) {
      return refuse(
        caller,
        action,
        declared,
        record,
        new GovernanceException(GovernanceExceptionCode.InvalidArguments, `Invalid arguments for '${name}'`, unstorable),
      );
    }
    const problems = tool.validate(record);
    if (problems.length > 0) {
      return refuse(
        caller,
        action,
        declared,
        record,
        new GovernanceException(GovernanceExceptionCode.InvalidArguments, `Invalid arguments for '${name}'`, problems),
      );
    }
    let actionClass: ActionClass;
    try {
      actionClass = tool.classify(record, caller);
    } catch (error) {
      if (!(error instanceof AegisError)) throw error;
      return refuse(caller, action, declared, record, error);
    }
    caller.onClassified?.(actionClass);
    const trimmed = justification?.trim();
    const unjustified = () =>
      new GovernanceException(
        GovernanceExceptionCode.JustificationRequired,
        `${actionClass} actions need a written justification`,
        justificationProblems(justification),
      );
    // Runs the call now, after the chatting user's confirmation where one applies (agent-confirmation.ts).
    const run = async () => {
      const confirmedBy = await confirmIfAgent(
        this.#refusals,
        this.settings.confirmationTtlSeconds,
        tool,
        record,
        caller,
        actionClass,
        trimmed,
      );
      const reason = confirmedBy ? [trimmed, `(${confirmedBy})`].filter(Boolean).join(' ') : trimmed;
      const basis: PerformBasis = { decision: 'allowed', reason, justification: trimmed };
      return completed(await this.#performer.perform(tool, record, caller, actionClass, basis));
    };
    switch (decide(caller.role, actionClass)) {
      case 'deny':
        return refuse(
          caller,
          action,
          actionClass,
          record,
          new GovernanceException(GovernanceExceptionCode.PolicyDenied, denialReason(caller.role, actionClass)),
        );
      case 'justify':
        if (justificationProblems(justification).length > 0) return refuse(caller, action, actionClass, record, unjustified());
        return run();
      case 'approve': {
        if (justificationProblems(justification).length > 0) return refuse(caller, action, actionClass, record, unjustified());
        const pending = await this.#approved.request(tool, record, caller, actionClass, trimmed ?? '');
        this.telemetry.toolCalled({ tool: name, outcome: 'pending_approval' });
        return pending;
      }
      case 'allow':
        return run();
    }
  }

  /** Runs an approved request exactly once, with exactly its stored arguments (approved-runs.ts). */
  runApproved(approvalId: string, approver: Approver): Promise<ExecutionOutcome & { kind: 'executed' }> {
    return this.#approved.run(approvalId, approver);
  }

  /** Undoes a recorded action (admins; itself audited; action-rollback.ts). */
  rollback(actionId: string, caller: Caller, reason?: string): Promise<RollbackResult> {
    return this.#rollback.rollback(actionId, caller, reason);
  }

  private add(tool: GovernedTool): void {
    const name = tool.descriptor.name;
    if (this.#tools.has(name)) throw new Error(`Two tools are named '${name}'`);
    this.#tools.set(name, tool);
  }
}
