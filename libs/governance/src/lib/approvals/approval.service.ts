import { type ApprovalStatus, ErrorCode, Role, roleAtLeast } from '@aegis/contracts';
import type { ApprovalRequestEntity } from '@aegis/database';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { GovernanceEvents } from '../events/governance-events';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import type { Caller, ExecutionOutcome, GovernanceSettings } from '../governance.types';
import { redactSecrets } from '../audit/redact';
import { ToolRegistry } from '../registry/tool-registry';
import { ApprovalRepository } from './approval.repository';
import { GOVERNANCE_SETTINGS } from '../governance.tokens';

/** How often pending requests past their expiry are marked expired (and `approval:decided` sent). */
const EXPIRY_SWEEP_MS = 30_000;

/** An approval request as admins see it. */
export interface ApprovalView {
  id: string;
  tool: string;
  actionClass: ApprovalRequestEntity['actionClass'];
  /** The stored arguments (secret-looking fields redacted), exactly what an approval runs. */
  args: Record<string, unknown>;
  argsSha256: string;
  justification: string;
  requestedBy: { type: 'user' | 'api_key'; id: string; name: string; userId: string; role: Role };
  runId: string | null;
  status: ApprovalStatus;
  createdAt: Date;
  expiresAt: Date;
  decidedBy: { id: string; name: string } | null;
  decidedAt: Date | null;
  comment: string | null;
  actionId: string | null;
}

export function toApprovalView(request: ApprovalRequestEntity): ApprovalView {
  return {
    id: request.id,
    tool: request.tool,
    actionClass: request.actionClass,
    args: redactSecrets(request.args),
    argsSha256: request.argsSha256,
    justification: request.justification,
    requestedBy: {
      type: request.requestedByType,
      id: request.requestedById,
      name: request.requestedByName,
      userId: request.requestedByUserId,
      role: request.requesterRole,
    },
    runId: request.runId,
    status: request.status,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    decidedBy: request.decidedById && request.decidedByName ? { id: request.decidedById, name: request.decidedByName } : null,
    decidedAt: request.decidedAt,
    comment: request.decisionComment,
    actionId: request.actionId,
  };
}

/**
 * Admins' decisions on CRITICAL actions: list, approve (the action then runs once, through the
 * registry), reject. Every decision and refusal is audited; GOVERNANCE_FOUR_EYES forbids deciding
 * one's own request; expired requests are never run.
 */
@Injectable()
export class ApprovalService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ApprovalService.name);
  private sweep: NodeJS.Timeout | undefined;

  constructor(
    private readonly approvals: ApprovalRepository,
    private readonly registry: ToolRegistry,
    private readonly audit: AuditLog,
    private readonly events: GovernanceEvents,
    @Inject(GOVERNANCE_SETTINGS) private readonly settings: GovernanceSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.sweep = setInterval(() => {
      this.expireDue().catch((error: unknown) => this.logger.warn({ err: error }, 'could not expire approval requests'));
    }, EXPIRY_SWEEP_MS);
    this.sweep.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  async list(status: ApprovalStatus | undefined, limit: number): Promise<ApprovalView[]> {
    await this.expireDue();
    return (await this.approvals.list(status, limit)).map(toApprovalView);
  }

  /** Approves a pending request and runs its action with the stored arguments; returns the action's outcome. */
  async approve(id: string, decider: Caller, comment: string): Promise<ExecutionOutcome & { kind: 'executed' }> {
    const request = await this.decidable(id, decider, 'approval.approve', comment);
    if (!(await this.approvals.decide(id, 'approved', { userId: decider.userId, name: decider.actor.name }, comment))) {
      return this.refuseUndecidable(id, decider, 'approval.approve', request, comment);
    }
    await this.audit.append({
      ...this.audited(decider, 'approval.approve', request),
      decision: 'allowed',
      reason: comment,
      args: { approvalId: id, tool: request.tool, argsSha256: request.argsSha256, comment },
    });
    return this.registry.runApproved(id, { name: decider.actor.name, comment });
  }

  async reject(id: string, decider: Caller, reason: string): Promise<ApprovalView> {
    const request = await this.decidable(id, decider, 'approval.reject', reason);
    if (!(await this.approvals.decide(id, 'rejected', { userId: decider.userId, name: decider.actor.name }, reason))) {
      return this.refuseUndecidable(id, decider, 'approval.reject', request, reason);
    }
    await this.audit.append({
      ...this.audited(decider, 'approval.reject', request),
      decision: 'allowed',
      reason,
      args: { approvalId: id, tool: request.tool, argsSha256: request.argsSha256, reason },
    });
    this.events.emit('approval:decided', {
      approvalId: id,
      tool: request.tool,
      status: 'rejected',
      decidedBy: { id: decider.userId, name: decider.actor.name },
      comment: reason,
      actionId: null,
      actionStatus: null,
      requestedByUserId: request.requestedByUserId,
      runId: request.runId,
      toolCallId: request.toolCallId,
    });
    const decided = await this.approvals.findById(id);
    if (!decided) throw new GovernanceException(GovernanceExceptionCode.NotFound, `There is no approval request ${id}`);
    return toApprovalView(decided);
  }

  /** Marks pending requests past their expiry as expired, audits each and tells the bus. */
  async expireDue(): Promise<void> {
    for (const id of await this.approvals.expireDue()) {
      const request = await this.approvals.findById(id);
      if (!request) continue;
      await this.audit.append({
        actor: { type: 'system' },
        action: 'approval.expire',
        actionClass: request.actionClass,
        decision: 'expired',
        reason: `not decided before ${request.expiresAt.toISOString()}`,
        runId: request.runId ?? undefined,
        args: { approvalId: id, tool: request.tool, argsSha256: request.argsSha256 },
      });
      this.events.emit('approval:decided', {
        approvalId: id,
        tool: request.tool,
        status: 'expired',
        decidedBy: null,
        comment: null,
        actionId: null,
        actionStatus: null,
        requestedByUserId: request.requestedByUserId,
        runId: request.runId,
        toolCallId: request.toolCallId,
      });
    }
  }

  /** The request, if `decider` may decide it now; otherwise the refusal is audited and thrown. */
  private async decidable(id: string, decider: Caller, action: string, comment: string): Promise<ApprovalRequestEntity> {
    await this.expireDue();
    const request = await this.approvals.findById(id);
    const refuse = async (code: GovernanceExceptionCode, message: string): Promise<never> => {
      await this.audit.append({ ...this.audited(decider, action, request), decision: 'refused', reason: message, args: { approvalId: id, comment } });
      throw new GovernanceException(code, message);
    };
    if (!request) return refuse(GovernanceExceptionCode.NotFound, `There is no approval request ${id}`);
    if (!roleAtLeast(decider.role, Role.Admin)) return refuse(GovernanceExceptionCode.Forbidden, 'Deciding approval requests needs the admin role');
    if (this.settings.fourEyes && request.requestedByUserId === decider.userId) {
      return refuse(GovernanceExceptionCode.SelfApprovalForbidden, 'GOVERNANCE_FOUR_EYES is on: another admin must decide your own request');
    }
    if (request.status === 'expired') return refuse(GovernanceExceptionCode.ApprovalExpired, `Approval request ${id} expired at ${request.expiresAt.toISOString()}`);
    if (request.status !== 'pending') return refuse(GovernanceExceptionCode.ApprovalNotPending, `Approval request ${id} is already ${request.status}`);
    return request;
  }

  /** The conditional UPDATE found the request no longer pending: say why (expired, or decided meanwhile). */
  private async refuseUndecidable(id: string, decider: Caller, action: string, before: ApprovalRequestEntity, comment: string): Promise<never> {
    await this.expireDue();
    const now = await this.approvals.findById(id);
    const expired = now?.status === 'expired' || (now?.status === 'pending' && now.expiresAt <= new Date());
    const message = expired ? `Approval request ${id} expired at ${before.expiresAt.toISOString()}` : `Approval request ${id} is already ${now?.status ?? 'gone'}`;
    await this.audit.append({ ...this.audited(decider, action, before), decision: 'refused', reason: message, args: { approvalId: id, comment } });
    throw new GovernanceException(expired ? ErrorCode.ApprovalExpired : ErrorCode.ApprovalNotPending, message);
  }

  private audited(decider: Caller, action: string, request: ApprovalRequestEntity | null) {
    return {
      actor: { type: decider.actor.type, id: decider.actor.id, name: decider.actor.name, role: decider.role },
      action,
      actionClass: request?.actionClass,
      runId: request?.runId ?? undefined,
      ip: decider.ip,
      userAgent: decider.userAgent,
    };
  }
}
