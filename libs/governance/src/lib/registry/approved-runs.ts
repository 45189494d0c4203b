import { randomUUID } from 'node:crypto';
import { type ActionClass, AegisError, ErrorCode, type Role, ROLES, roleAtLeast } from '@aegis/contracts';
import type { ApprovalRequestEntity } from '@aegis/database';
import { approvalDecidedEvent } from '../approvals/approval-decided';
import type { ApprovalRepository } from '../approvals/approval.repository';
import type { RequesterDirectory } from '../approvals/requester-directory';
import type { AuditLog } from '../audit/audit-log';
import type { GovernanceEvents } from '../events/governance-events';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import type { Caller, ExecutionOutcome, GovernanceSettings } from '../governance.types';
import { decide, denialReason } from '../policy/policy';
import { argsSha256, auditArgs } from './arguments';
import type { GovernedTool } from './governed-tool';
import { auditedActor, type RefusalAudit } from './refusal-audit';
import { completed, type Performance, type ToolPerformer } from './tool-performer';

const lowerRole = (a: Role, b: Role): Role => (ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b);

/** Who decided, as the approval service passes it on. */
export interface Approver {
  name: string;
  comment: string | null;
}

function requesterOf(request: ApprovalRequestEntity): Caller {
  return {
    actor: { type: request.requestedByType, id: request.requestedById, name: request.requestedByName },
    userId: request.requestedByUserId,
    role: request.requesterRole,
    runId: request.runId ?? undefined,
    toolCallId: request.toolCallId ?? undefined,
  };
}

/**
 * CRITICAL calls and approvals: a call the policy sends to an admin is stored as a pending request
 * (audited first), and an approved request runs exactly once with exactly its stored arguments,
 * after checking that its requester may still have it run.
 */
export class ApprovedRuns {
  constructor(
    private readonly settings: GovernanceSettings,
    private readonly audit: Pick<AuditLog, 'append'>,
    private readonly approvals: Pick<ApprovalRepository, 'create' | 'claimForExecution' | 'findById' | 'finishExecution'>,
    private readonly events: Pick<GovernanceEvents, 'emit'>,
    private readonly requesters: Pick<RequesterDirectory, 'standing'>,
    private readonly performer: ToolPerformer,
    private readonly refusals: RefusalAudit,
    private readonly toolNamed: (name: string) => GovernedTool | undefined,
  ) {}

  /** Stores a pending approval request for a call the policy sends to an admin, and announces it. */
  async request(
    tool: GovernedTool,
    args: Record<string, unknown>,
    caller: Caller,
    actionClass: ActionClass,
    justification: string,
  ): Promise<ExecutionOutcome> {
    const name = tool.descriptor.name;
    const hash = argsSha256(args);
    const approvalId = randomUUID();
    const expiresAt = new Date(Date.now() + this.settings.approvalTtlSeconds * 1000);
    // Audited before the request is stored: a request the audit never saw can never be approved.
    await this.audit.append({
      actor: auditedActor(caller),
      action: `tool.${name}`,
      actionClass,
      decision: 'pending',
      reason: justification,
      runId: caller.runId,
      args: auditArgs(args, tool.contentFields),
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

  /**
   * Runs an approved request exactly once, with exactly its stored arguments: approved → executing
   * is one conditional UPDATE, and the arguments must still have the hash recorded at request time.
   */
  async run(approvalId: string, approver: Approver): Promise<ExecutionOutcome & { kind: 'executed' }> {
    if (!(await this.approvals.claimForExecution(approvalId))) {
      throw new GovernanceException(ErrorCode.ApprovalNotPending, `Approval request ${approvalId} is not approved and waiting to run`);
    }
    const request = await this.approvals.findById(approvalId);
    if (!request) throw new GovernanceException(ErrorCode.NotFound, `There is no approval request ${approvalId}`);
    const requester = requesterOf(request);
    const fail = async (error: GovernanceException): Promise<never> => {
      await this.approvals.finishExecution(approvalId, 'failed', null);
      this.publishDecided(request, null, 'failed', approver);
      return this.refusals.refuse(requester, `tool.${request.tool}`, request.actionClass, request.args, error);
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
      performance = await this.performer.perform(standing.tool, request.args, caller, request.actionClass, {
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
    return completed(performance);
  }

  /**
   * Whether the requester of a stored request may still have it run, checked when it runs (not
   * only when it was asked): the user still enabled, the API key neither revoked nor expired, and
   * the role they hold now (never above the recorded one) still allowed by the policy, the tool's
   * minimum role and, for execute_command, the executor's allowlist. Returns that role and the tool, or the refusal.
   */
  private async requesterNow(
    request: ApprovalRequestEntity,
    requester: Caller,
  ): Promise<{ role: Role; tool: GovernedTool } | { refusal: GovernanceException }> {
    const refused = (why: string) => ({
      refusal: new GovernanceException(
        GovernanceExceptionCode.RequesterNotAllowed,
        `Approval request ${request.id} cannot run: ${why}; nothing ran`,
      ),
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
    const tool = this.toolNamed(request.tool);
    if (!tool) return refused(`there is no tool named '${request.tool}' any more`);
    if (!roleAtLeast(role, tool.minRole)) return refused(`'${request.tool}' needs the ${tool.minRole} role and ${who}`);
    if (decide(role, request.actionClass) === 'deny') return refused(`${denialReason(role, request.actionClass)} (${who})`);
    try {
      tool.classify(request.args, { ...requester, role });
    } catch (error) {
      if (!(error instanceof AegisError)) throw error;
      return refused(`${error.message} (${who})`);
    }
    return { role, tool };
  }

  private publishDecided(
    request: ApprovalRequestEntity,
    actionId: string | null,
    actionStatus: 'completed' | 'failed',
    approver: Approver,
  ): void {
    const decidedBy = request.decidedById ? { id: request.decidedById, name: approver.name } : null;
    this.events.emit(
      'approval:decided',
      approvalDecidedEvent(request, { status: 'approved', decidedBy, comment: approver.comment, actionId, actionStatus }),
    );
  }
}
