import { randomUUID } from 'node:crypto';
import { ActionClass, AegisError, ErrorCode, Role, ROLES, roleAtLeast } from '@aegis/contracts';
import type { ApprovalRequestEntity } from '@aegis/database';
import {
  authorizeArgv,
  type CapabilityTool,
  createHostSystem,
  createToolCatalog,
  describeIssues,
  type CommandRunner,
  type RollbackRecord,
  ToolCatalog,
  type ToolCatalogOptions,
  type ToolDescriptor,
  type ToolOutcome,
} from '@aegis/sandbox-executor';
import type { ApprovalRepository } from '../approvals/approval.repository';
import type { RollbackVault } from '../actions/rollback-vault';
import type { ToolActionRepository } from '../actions/tool-action.repository';
import type { RequesterDirectory } from '../approvals/requester-directory';
import type { AuditLog, AuditRecord } from '../audit/audit-log';
import { unstorableTextProblems } from '../audit/storable-text';
import { classifyCommand } from '../classification/command-classification';
import type { GovernanceEvents } from '../events/governance-events';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import type {
  ActionResult,
  Caller,
  ConfirmationDecision,
  ConfirmationRequest,
  ExecutionOutcome,
  GovernanceSettings,
  RollbackResult,
} from '../governance.types';
import { justificationProblems } from '../policy/justification';
import { decide, denialReason } from '../policy/policy';
import { rollbackAvailability, undo } from '../rollback/rollback';
import { compareSeverity, mostSevere } from '../severity';
import { argsSha256, auditArgs } from './arguments';

/** How the registry builds its (private) tool catalog: createToolCatalog's options, and the tools for tests. */
export interface ToolRegistryOptions extends ToolCatalogOptions {
  /** Default: every capability tool. */
  tools?: readonly CapabilityTool[];
}

/** A tool as the registry holds it: its description, and the one governed way to run it. */
interface GovernedTool {
  descriptor: ToolDescriptor;
  minRole: CapabilityTool['minRole'];
  /** Argument fields the audit keeps as sha256 and size only. */
  contentFields: readonly string[];
  /** The effective class of one call (execute_command: its program's); throws the executor's refusal for a command that could never run. */
  classify(args: Record<string, unknown>, caller: Caller): ActionClass;
  validate(args: Record<string, unknown>): string[];
  /** The tool's handler: reached only from `perform` below. */
  run(args: Record<string, unknown>, caller: Caller, justification: string | undefined): Promise<ToolOutcome>;
}

interface Performance {
  actionId: string;
  result?: ActionResult;
  error?: unknown;
}

const MAX_AUDITED_NAME = 64;
const DEFAULT_CONFIRMATION_TTL_SECONDS = 300;

const lowerRole = (a: Role, b: Role): Role => (ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function errorSummary(error: unknown): { code: string; message: string } {
  if (error instanceof AegisError) return { code: error.code, message: error.message };
  return { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
}

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
 * class, justification, approval), the executor-backed handler, verification, rollback records
 * and the audit chain. Nothing else holds the catalog, so no tool runs any other way.
 */
export class ToolRegistry {
  readonly #catalog: ToolCatalog;
  readonly #runner: CommandRunner;
  readonly #workspaceDir: string;
  readonly #tools = new Map<string, GovernedTool>();

  constructor(
    options: ToolRegistryOptions,
    private readonly settings: GovernanceSettings,
    private readonly audit: AuditLog,
    private readonly actions: ToolActionRepository,
    private readonly approvals: ApprovalRepository,
    private readonly events: GovernanceEvents,
    private readonly requesters: RequesterDirectory,
    private readonly vault: RollbackVault,
  ) {
    this.#catalog = buildCatalog(options);
    this.#runner = options.runner;
    this.#workspaceDir = options.workspaceDir;
    for (const descriptor of this.#catalog.list()) this.register(descriptor);
    const unknown = Object.keys(settings.raisedClasses ?? {}).filter((name) => !this.#tools.has(name));
    if (unknown.length > 0) throw new Error(`GOVERNANCE_RAISE_CLASSES names ${unknown.map((name) => `'${name}'`).join(', ')}, which is not a tool of this server`);
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
    if (caller.runId !== undefined && !UUID.test(caller.runId)) throw new Error(`runId must be a UUID, got ${JSON.stringify(caller.runId)}`);
    const tool = this.#tools.get(name);
    const args = rawArgs ?? {};
    if (!tool) {
      const unknown = new GovernanceException(GovernanceExceptionCode.NotFound, `There is no tool named '${name}'`);
      return this.refuse(caller, `tool.${name.slice(0, MAX_AUDITED_NAME)}`, ActionClass.Critical, args, unknown);
    }
    const action = `tool.${name}`;
    const declared = tool.descriptor.actionClass;
    if (!roleAtLeast(caller.role, tool.minRole)) {
      const forbidden = new GovernanceException(GovernanceExceptionCode.Forbidden, `'${name}' needs the ${tool.minRole} role or higher`);
      return this.refuse(caller, action, declared, args, forbidden);
    }
    if (typeof args !== 'object' || Array.isArray(args)) {
      const invalid = new GovernanceException(GovernanceExceptionCode.InvalidArguments, `Invalid arguments for '${name}'`, ['args must be an object']);
      return this.refuse(caller, action, declared, { args }, invalid);
    }
    const record = args as Record<string, unknown>;
    // Checked before anything else can act: what the audit cannot store whole does not run (docs/governance.md).
    const unstorable = [...unstorableTextProblems(record), ...unstorableTextProblems(justification ?? '', 'justification')];
    if (unstorable.length > 0) {
      return this.refuse(caller, action, declared, record, new GovernanceException(GovernanceExceptionCode.InvalidArguments, `Invalid arguments for '${name}'`, unstorable));
    }
    const problems = tool.validate(record);
    if (problems.length > 0) {
      return this.refuse(caller, action, declared, record, new GovernanceException(GovernanceExceptionCode.InvalidArguments, `Invalid arguments for '${name}'`, problems));
    }
    let actionClass: ActionClass;
    try {
      actionClass = tool.classify(record, caller);
    } catch (error) {
      if (!(error instanceof AegisError)) throw error;
      return this.refuse(caller, action, declared, record, error);
    }
    caller.onClassified?.(actionClass);
    const unjustified = () =>
      new GovernanceException(
        GovernanceExceptionCode.JustificationRequired,
        `${actionClass} actions need a written justification`,
        justificationProblems(justification),
      );
    switch (decide(caller.role, actionClass)) {
      case 'deny':
        return this.refuse(caller, action, actionClass, record, new GovernanceException(GovernanceExceptionCode.PolicyDenied, denialReason(caller.role, actionClass)));
      case 'justify': {
        if (justificationProblems(justification).length > 0) return this.refuse(caller, action, actionClass, record, unjustified());
        const confirmedBy = await this.confirmIfAgent(name, record, caller, actionClass, justification?.trim());
        const reason = confirmedBy ? `${justification?.trim() ?? ''} (${confirmedBy})` : justification?.trim();
        return this.completed(await this.perform(name, record, caller, actionClass, { decision: 'allowed', reason, justification: justification?.trim() }));
      }
      case 'approve': {
        if (justificationProblems(justification).length > 0) return this.refuse(caller, action, actionClass, record, unjustified());
        return this.requestApproval(name, record, caller, actionClass, (justification ?? '').trim());
      }
      case 'allow': {
        const confirmedBy = await this.confirmIfAgent(name, record, caller, actionClass, justification?.trim());
        const reason = confirmedBy ? [justification?.trim(), `(${confirmedBy})`].filter(Boolean).join(' ') : justification?.trim();
        return this.completed(await this.perform(name, record, caller, actionClass, { decision: 'allowed', reason, justification: justification?.trim() }));
      }
    }
  }

  /**
   * An agent-initiated SENSITIVE action waits for the chatting user's explicit confirmation
   * (docs/governance.md): the model writes the justification, so it cannot be the only gate.
   * Returns the audit wording of who confirmed, or undefined when no confirmation applies;
   * anything but 'confirmed' (or no way to ask) is an audited refusal.
   */
  private async confirmIfAgent(name: string, args: Record<string, unknown>, caller: Caller, actionClass: ActionClass, justification: string | undefined): Promise<string | undefined> {
    if (caller.runId === undefined || actionClass !== ActionClass.Sensitive) return undefined;
    const action = `tool.${name}`;
    if (!caller.confirm) {
      const refused = new GovernanceException(
        GovernanceExceptionCode.ConfirmationDeclined,
        `${actionClass} actions of the agent need the chatting user's confirmation, and there is no one to ask; nothing ran`,
      );
      return this.refuse(caller, action, actionClass, args, refused);
    }
    const ttlSeconds = this.settings.confirmationTtlSeconds ?? DEFAULT_CONFIRMATION_TTL_SECONDS;
    const request: ConfirmationRequest = {
      confirmationId: randomUUID(),
      tool: name,
      actionClass,
      args: auditArgs(args, this.#tools.get(name)?.contentFields),
      justification,
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
    };
    let decision: ConfirmationDecision;
    try {
      decision = await caller.confirm(request);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const failed = new GovernanceException(GovernanceExceptionCode.ConfirmationDeclined, `The confirmation of '${name}' could not be asked (${detail}); nothing ran`);
      return this.refuse(caller, action, actionClass, args, failed);
    }
    if (decision !== 'confirmed') {
      const declined = new GovernanceException(
        GovernanceExceptionCode.ConfirmationDeclined,
        `${caller.actor.name} did not confirm '${name}' (${decision}, confirmation ${request.confirmationId}); nothing ran`,
      );
      return this.refuse(caller, action, actionClass, args, declined);
    }
    return `confirmed in the chat by ${caller.actor.name}, confirmation ${request.confirmationId}`;
  }

  /**
   * Runs an approved request exactly once, with exactly its stored arguments: approved → executing
   * is one conditional UPDATE, and the arguments must still have the hash recorded at request time.
   */
  async runApproved(approvalId: string, approver: { name: string; comment: string | null }): Promise<ExecutionOutcome & { kind: 'executed' }> {
    if (!(await this.approvals.claimForExecution(approvalId))) {
      throw new GovernanceException(ErrorCode.ApprovalNotPending, `Approval request ${approvalId} is not approved and waiting to run`);
    }
    const request = await this.approvals.findById(approvalId);
    if (!request) throw new GovernanceException(ErrorCode.NotFound, `There is no approval request ${approvalId}`);
    const requester = this.requesterOf(request);
    const fail = async (error: GovernanceException): Promise<never> => {
      await this.approvals.finishExecution(approvalId, 'failed', null);
      this.publishDecided(request, null, 'failed', approver);
      return this.refuse(requester, `tool.${request.tool}`, request.actionClass, request.args, error);
    };
    if (argsSha256(request.args) !== request.argsSha256) {
      return fail(
        new GovernanceException(
          GovernanceExceptionCode.ArgumentsChanged,
          `The stored arguments of approval request ${approvalId} no longer match their hash ${request.argsSha256}; nothing ran`,
        ),
      );
    }
    const standing = await this.requesterNow(request, requester);
    if ('refusal' in standing) return fail(standing.refusal);
    const caller: Caller = { ...requester, role: standing.role };
    let performance: Performance;
    try {
      performance = await this.perform(request.tool, request.args, caller, request.actionClass, {
        decision: 'approved',
        reason: `approved by ${approver.name}${approver.comment ? `: ${approver.comment}` : ''}`,
        approvalId,
        justification: request.justification,
      });
    } catch (error) {
      await this.approvals.finishExecution(approvalId, 'failed', null);
      this.publishDecided(request, null, 'failed', approver);
      throw error;
    }
    const ok = performance.result?.status === 'completed';
    await this.approvals.finishExecution(approvalId, ok ? 'executed' : 'failed', performance.actionId);
    this.publishDecided(request, performance.actionId, ok ? 'completed' : 'failed', approver);
    return this.completed(performance);
  }

  /**
   * Whether the requester of a stored request may still have it run, checked when it runs (not
   * only when it was asked): the user still enabled, the API key neither revoked nor expired, and
   * the role they hold now (never above the recorded one) still allowed by the policy, the tool's
   * minimum role and, for execute_command, the executor's allowlist. Returns that role or the refusal.
   */
  private async requesterNow(request: ApprovalRequestEntity, requester: Caller): Promise<{ role: Role } | { refusal: GovernanceException }> {
    const refused = (why: string) => ({
      refusal: new GovernanceException(GovernanceExceptionCode.RequesterNotAllowed, `Approval request ${request.id} cannot run: ${why}; nothing ran`),
    });
    const standing = await this.requesters.standing({
      type: request.requestedByType,
      id: request.requestedById,
      userId: request.requestedByUserId,
      name: request.requestedByName,
    });
    if ('problem' in standing) return refused(standing.problem);
    const role = lowerRole(request.requesterRole, standing.role);
    const who = `${request.requestedByName} now has the ${role} role`;
    const tool = this.#tools.get(request.tool);
    if (!tool) return refused(`there is no tool named '${request.tool}' any more`);
    if (!roleAtLeast(role, tool.minRole)) return refused(`'${request.tool}' needs the ${tool.minRole} role and ${who}`);
    if (decide(role, request.actionClass) === 'deny') return refused(`${denialReason(role, request.actionClass)} (${who})`);
    try {
      tool.classify(request.args, { ...requester, role });
    } catch (error) {
      if (!(error instanceof AegisError)) throw error;
      return refused(`${error.message} (${who})`);
    }
    return { role };
  }

  /** Undoes a recorded action (admins; itself audited). Refuses clearly what cannot or can no longer be undone. */
  async rollback(actionId: string, caller: Caller, reason?: string): Promise<RollbackResult> {
    const action = await this.actions.findById(actionId);
    const audited = { actor: this.actorOf(caller), action: 'action.rollback', runId: caller.runId, ip: caller.ip, userAgent: caller.userAgent };
    const refuse = async (actionClass: ActionClass | undefined, code: GovernanceExceptionCode, message: string): Promise<never> => {
      await this.audit.append({ ...audited, actionClass, decision: 'refused', reason: message, args: { actionId, reason } });
      throw new GovernanceException(code, message);
    };
    if (!action) return refuse(undefined, GovernanceExceptionCode.NotFound, `There is no action ${actionId}`);
    if (!roleAtLeast(caller.role, Role.Admin)) return refuse(action.actionClass, GovernanceExceptionCode.Forbidden, 'Rolling back an action needs the admin role');
    if (action.rolledBackAt) {
      const when = action.rolledBackAt.toISOString();
      return refuse(action.actionClass, GovernanceExceptionCode.RollbackUnavailable, `Action ${actionId} was already rolled back at ${when}`);
    }
    let record: RollbackRecord | null;
    try {
      record = this.vault.open(action.rollback);
    } catch (error) {
      if (!(error instanceof GovernanceException)) throw error;
      return refuse(action.actionClass, GovernanceExceptionCode.RollbackUnavailable, `Action ${actionId} (${action.tool}) cannot be undone: ${error.message}`);
    }
    const availability = rollbackAvailability(action.tool, action.actionClass, record);
    if (!record || !availability.available) {
      const why = availability.reason ?? 'no record';
      return refuse(action.actionClass, GovernanceExceptionCode.RollbackUnavailable, `Action ${actionId} (${action.tool}) cannot be undone: ${why}`);
    }
    if (!(await this.actions.claimRollback(actionId, { userId: caller.userId, name: caller.actor.name }))) {
      return refuse(action.actionClass, GovernanceExceptionCode.RollbackUnavailable, `Action ${actionId} is already being rolled back or was rolled back`);
    }
    const justification = `rollback of action ${actionId} (${action.tool})${reason ? `: ${reason}` : ''}`;
    const undoing = { ...audited, actionClass: action.actionClass, decision: 'allowed', reason, args: { actionId, tool: action.tool, kind: record.kind } };
    try {
      await this.audit.append({ ...undoing, result: { status: 'started' } });
    } catch (error) {
      await this.actions.releaseRollback(actionId);
      throw error;
    }
    try {
      const detail = await undo(record, {
        workspaceDir: this.#workspaceDir,
        runner: this.#runner,
        runTool: (name, args, invocation) => this.#catalog.run(name, args, invocation),
        justification,
        signal: caller.signal,
      });
      await this.audit.append({
        ...audited,
        actionClass: action.actionClass,
        decision: 'allowed',
        reason,
        args: { actionId, tool: action.tool, kind: record.kind },
        result: { status: 'completed', detail },
      });
      return { actionId, status: 'rolled_back', kind: record.kind, detail };
    } catch (error) {
      await this.actions.releaseRollback(actionId);
      await this.audit.append({
        ...audited,
        actionClass: action.actionClass,
        decision: 'allowed',
        reason,
        args: { actionId, tool: action.tool, kind: record.kind },
        result: { status: 'failed', error: errorSummary(error) },
      });
      throw error;
    }
  }

  private register(declared: ToolDescriptor): void {
    const name = declared.name;
    const tool = this.#catalog.get(name);
    const catalog = this.#catalog;
    // An operator may raise a tool's class (GOVERNANCE_RAISE_CLASSES), never lower it.
    const floor = this.settings.raisedClasses?.[name];
    const atLeastFloor = (actionClass: ActionClass) => (floor ? mostSevere([actionClass, floor]) : actionClass);
    const descriptor = { ...declared, actionClass: atLeastFloor(declared.actionClass) };
    this.#tools.set(name, {
      descriptor,
      minRole: tool.minRole,
      contentFields: tool.contentFields ?? [],
      validate: (args) => {
        const parsed = tool.argsSchema.safeParse(args);
        return parsed.success ? [] : describeIssues(parsed.error);
      },
      classify: (args, caller) => atLeastFloor(this.classifyArgs(name, tool.actionClass, args, caller)),
      run: (args, caller, justification) => catalog.run(name, args, { role: caller.role, signal: caller.signal, justification }),
    });
  }

  /** The class a call's arguments give it: execute_command is classed per command, other tools by their declaration. */
  private classifyArgs(name: string, declared: ActionClass, args: Record<string, unknown>, caller: Caller): ActionClass {
    if (name !== 'execute_command' || typeof args['command'] !== 'string') return declared;
    // Where it runs, so that the class sees which targets exist (docs/governance.md "Classes from arguments").
    const place = { workspaceRoot: this.#workspaceDir, cwd: typeof args['cwd'] === 'string' ? args['cwd'] : undefined };
    const classification = classifyCommand(args['command'], place);
    // Refuse now what the executor would refuse after an approval: the program must be allowed for this role.
    authorizeArgv(classification.argv, caller.role, place);
    return classification.actionClass;
  }

  /**
   * Records the action and its audit entry ("started") BEFORE the tool runs, then runs it and
   * records the outcome: if the audit cannot be written, the tool does not run (AUDIT_UNAVAILABLE).
   */
  private async perform(
    name: string,
    args: Record<string, unknown>,
    caller: Caller,
    actionClass: ActionClass,
    how: { decision: 'allowed' | 'approved'; reason?: string; approvalId?: string; justification?: string },
  ): Promise<Performance> {
    const tool = this.#tools.get(name);
    if (!tool) throw new GovernanceException(ErrorCode.NotFound, `There is no tool named '${name}'`);
    const hash = argsSha256(args);
    let action: { id: string };
    try {
      action = await this.actions.start({
        tool: name,
        actionClass,
        actorType: caller.actor.type,
        actorId: caller.actor.id,
        actorName: caller.actor.name,
        role: caller.role,
        runId: caller.runId ?? null,
        approvalId: how.approvalId ?? null,
        argsSha256: hash,
      });
    } catch {
      throw new GovernanceException(GovernanceExceptionCode.AuditUnavailable, 'The action record cannot be written right now, so the tool did not run');
    }
    const audited = {
      actor: this.actorOf(caller),
      action: `tool.${name}`,
      actionClass,
      decision: how.decision,
      reason: how.reason || undefined,
      runId: caller.runId,
      args: auditArgs(args, tool.contentFields),
      ip: caller.ip,
      userAgent: caller.userAgent,
    };
    const basis = { actionId: action.id, approvalId: how.approvalId, argsSha256: hash };
    try {
      await this.audit.append({ ...audited, result: { status: 'started', ...basis } });
    } catch (error) {
      const unaudited = { status: 'failed' as const, verification: null, rollback: null, errorCode: ErrorCode.AuditUnavailable, errorMessage: 'the audit log could not be written; the tool did not run' };
      await this.actions.finish(action.id, unaudited).catch(() => undefined);
      throw error;
    }
    let outcome: ToolOutcome;
    try {
      outcome = await tool.run(args, caller, how.justification ?? how.reason);
    } catch (error) {
      const failure = errorSummary(error);
      await this.actions.finish(action.id, { status: 'failed', verification: null, rollback: null, errorCode: failure.code, errorMessage: failure.message });
      const unrecorded = await this.recordOutcome({ ...audited, result: { status: 'failed', ...basis, error: failure } }, action.id);
      return { actionId: action.id, error: unrecorded ?? error };
    }
    const verification = outcome.verification ?? null;
    const needsVerification = compareSeverity(actionClass, ActionClass.Moderate) >= 0;
    const status = needsVerification && this.settings.verifyRequired && verification?.verified !== true ? 'failed' : 'completed';
    const record: RollbackRecord | null = outcome.rollback ?? null;
    const rollback = rollbackAvailability(name, actionClass, record);
    await this.actions.finish(action.id, {
      status,
      verification,
      // A file's previous content is kept only here, sealed (docs/governance.md "Rollback records").
      rollback: record ? this.vault.seal(record) : null,
      errorCode: status === 'failed' ? ErrorCode.VerificationFailed : null,
      errorMessage: status === 'failed' ? (verification ? `verification failed: ${verification.detail}` : 'the tool reported no verification') : null,
    });
    const unrecorded = await this.recordOutcome(
      { ...audited, result: { status, ...basis, verification, verificationRequired: needsVerification && this.settings.verifyRequired, rollback } },
      action.id,
    );
    if (unrecorded) return { actionId: action.id, error: unrecorded };
    return { actionId: action.id, result: { status, actionClass, output: outcome.output, verification, rollback } };
  }

  /** Writes an action's outcome entry; if that fails after the tool ran, returns the error the caller gets instead of the result. */
  private async recordOutcome(entry: AuditRecord, actionId: string): Promise<GovernanceException | undefined> {
    try {
      await this.audit.append(entry);
      return undefined;
    } catch {
      return new GovernanceException(
        GovernanceExceptionCode.AuditUnavailable,
        `Action ${actionId} ran (its start is in the audit log), but its outcome could not be written to the audit log; see the action record`,
      );
    }
  }

  private completed(performance: Performance): ExecutionOutcome & { kind: 'executed' } {
    if (performance.error !== undefined || !performance.result) throw performance.error;
    return { kind: 'executed', actionId: performance.actionId, actionClass: performance.result.actionClass, result: performance.result };
  }

  private async requestApproval(
    name: string,
    args: Record<string, unknown>,
    caller: Caller,
    actionClass: ActionClass,
    justification: string,
  ): Promise<ExecutionOutcome> {
    const hash = argsSha256(args);
    const approvalId = randomUUID();
    const expiresAt = new Date(Date.now() + this.settings.approvalTtlSeconds * 1000);
    // Audited before the request is stored: a request the audit never saw can never be approved.
    await this.audit.append({
      actor: this.actorOf(caller),
      action: `tool.${name}`,
      actionClass,
      decision: 'pending',
      reason: justification,
      runId: caller.runId,
      args: auditArgs(args, this.#tools.get(name)?.contentFields),
      result: { approvalId, argsSha256: hash, expiresAt: expiresAt.toISOString() },
      ip: caller.ip,
      userAgent: caller.userAgent,
    });
    const request = await this.approvals.create({
      id: approvalId,
      tool: name,
      actionClass,
      args,
      argsSha256: hash,
      justification,
      requestedByType: caller.actor.type,
      requestedById: caller.actor.id,
      requestedByName: caller.actor.name,
      requestedByUserId: caller.userId,
      requesterRole: caller.role,
      runId: caller.runId ?? null,
      toolCallId: caller.toolCallId ?? null,
      conversationId: caller.conversationId ?? null,
      expiresAt,
    });
    this.events.emit('approval:required', {
      approvalId: request.id,
      tool: name,
      actionClass,
      requestedBy: { id: caller.actor.id, name: caller.actor.name, userId: caller.userId },
      justification,
      argsSha256: hash,
      expiresAt: request.expiresAt.toISOString(),
      runId: request.runId,
      toolCallId: request.toolCallId,
    });
    return { kind: 'pending', approvalId: request.id, actionClass, expiresAt: request.expiresAt };
  }

  /** Audits a refusal with its reason, then throws it: nothing ran. */
  private async refuse(caller: Caller, action: string, actionClass: ActionClass, args: unknown, error: AegisError): Promise<never> {
    await this.audit.append({
      actor: this.actorOf(caller),
      action,
      actionClass,
      decision: 'refused',
      reason: error.details && error.details.length > 0 ? `${error.message}: ${error.details.join('; ')}` : error.message,
      runId: caller.runId,
      args: auditArgs(args, action.startsWith('tool.') ? this.#tools.get(action.slice('tool.'.length))?.contentFields : undefined),
      ip: caller.ip,
      userAgent: caller.userAgent,
    });
    throw error;
  }

  private publishDecided(request: ApprovalRequestEntity, actionId: string | null, actionStatus: 'completed' | 'failed', approver: { name: string; comment: string | null }) {
    this.events.emit('approval:decided', {
      approvalId: request.id,
      tool: request.tool,
      status: 'approved',
      decidedBy: request.decidedById ? { id: request.decidedById, name: approver.name } : null,
      comment: approver.comment,
      actionId,
      actionStatus,
      requestedByUserId: request.requestedByUserId,
      runId: request.runId,
      toolCallId: request.toolCallId,
    });
  }

  private requesterOf(request: ApprovalRequestEntity): Caller {
    return {
      actor: { type: request.requestedByType, id: request.requestedById, name: request.requestedByName },
      userId: request.requestedByUserId,
      role: request.requesterRole,
      runId: request.runId ?? undefined,
      toolCallId: request.toolCallId ?? undefined,
    };
  }

  private actorOf(caller: Caller) {
    return { type: caller.actor.type, id: caller.actor.id, name: caller.actor.name, role: caller.role };
  }
}
