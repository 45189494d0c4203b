import { type ApprovalStatus, ErrorCode, Role, roleAtLeast } from '@aegis/contracts';
import type { ApprovalRequestEntity } from '@aegis/database';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { GovernanceEvents } from '../events/governance-events';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import type { Caller, ExecutionOutcome, GovernanceSettings } from '../governance.types';
import { redactSecrets } from '../audit/redact';
import { ToolRegistry } from '../registry/tool-registry';
import { auditedActor } from '../registry/refusal-audit';
import { approvalDecidedEvent } from './approval-decided';
import { type ApprovalActionStatus, ApprovalRepository, type ApprovalPosition, type PendingApprovals } from './approval.repository';
import { GOVERNANCE_SETTINGS } from '../governance.tokens';

/** How often pending requests past their expiry are marked expired (and `approval:decided` sent). */
const EXPIRY_SWEEP_MS = 30_000;

/** Where a request came from: an agent run in a chat, an HTTP call with a session, or an API key. */
export type ApprovalOrigin = 'chat' | 'http' | 'api_key';

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
  /** The conversation of that run, for a link (null when not asked in a chat). */
  conversationId: string | null;
  origin: ApprovalOrigin;
  status: ApprovalStatus;
  createdAt: Date;
  expiresAt: Date;
  decidedBy: { id: string; name: string } | null;
  decidedAt: Date | null;
  comment: string | null;
  actionId: string | null;
  /** How the action an approval ran stands now (null when none ran). */
  actionStatus: ApprovalActionStatus | null;
}

/** A page of requests, newest first; `next` is where the following page starts (null on the last one). */
export interface ApprovalPage {
  items: ApprovalView[];
  next: ApprovalPosition | null;
}

export function originOf(request: Pick<ApprovalRequestEntity, 'runId' | 'requestedByType'>): ApprovalOrigin {
  if (request.runId) return 'chat';
  return request.requestedByType === 'api_key' ? 'api_key' : 'http';
}

/** What a decider is told about a request that is no longer pending: who decided it, when, and what became of it. */
export function alreadyDecided(request: ApprovalRequestEntity): string {
  const when = request.decidedAt ? ` at ${request.decidedAt.toISOString()}` : '';
  const by = request.decidedByName ? ` by ${request.decidedByName}` : '';
  switch (request.status) {
    case 'pending':
      return `Approval request ${request.id} is still pending`;
    case 'approved':
    case 'executing':
      return `Already approved${by}${when}; the action is running`;
    case 'executed':
      return `Already approved${by}${when}; the action has run`;
    case 'failed':
      return `Already approved${by}${when}; the action did not complete`;
    case 'rejected':
      return `Already rejected${by}${when}${request.decisionComment ? `: ${request.decisionComment}` : ''}`;
    case 'expired':
      return `This request expired at ${request.expiresAt.toISOString()} without a decision; it can no longer run`;
  }
}

export function toApprovalView(request: ApprovalRequestEntity, actionStatus: ApprovalActionStatus | null = null): ApprovalView {
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
    conversationId: request.conversationId,
    origin: originOf(request),
    status: request.status,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    decidedBy: request.decidedById && request.decidedByName ? { id: request.decidedById, name: request.decidedByName } : null,
    decidedAt: request.decidedAt,
    comment: request.decisionComment,
    actionId: request.actionId,
    actionStatus,
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

  /** One page, newest first, of the requests in `statuses` (all when empty); requests past their expiry are marked expired first. */
  async page(statuses: readonly ApprovalStatus[], after: ApprovalPosition | undefined, limit: number): Promise<ApprovalPage> {
    await this.expireDue();
    const rows = await this.approvals.page(statuses, after, limit + 1);
    const requests = rows.slice(0, limit);
    const actions = await this.approvals.actionStatuses(requests.flatMap((request) => (request.actionId ? [request.actionId] : [])));
    const last = requests[requests.length - 1];
    return {
      items: requests.map((request) => toApprovalView(request, request.actionId ? (actions.get(request.actionId) ?? null) : null)),
      next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  }

  /** Approves a pending request and runs its action with the stored arguments; returns the action's outcome. */
  /** How many requests wait for an admin and since when the oldest (read when Prometheus scrapes /metrics). */
  pending(): Promise<PendingApprovals> {
    return this.approvals.pending();
  }

  async approve(id: string, decider: Caller, comment: string | null): Promise<ExecutionOutcome & { kind: 'executed' }> {
    const request = await this.decidable(id, decider, 'approval.approve', comment);
    if (!(await this.approvals.decide(id, 'approved', { userId: decider.userId, name: decider.actor.name }, comment))) {
      return this.refuseUndecidable(id, decider, 'approval.approve', request, comment);
    }
    await this.audit.append({
      ...this.audited(decider, 'approval.approve', request),
      decision: 'allowed',
      reason: comment ?? undefined,
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
    this.events.emit(
      'approval:decided',
      approvalDecidedEvent(request, { status: 'rejected', decidedBy: { id: decider.userId, name: decider.actor.name }, comment: reason }),
    );
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
      this.events.emit('approval:decided', approvalDecidedEvent(request, { status: 'expired', decidedBy: null, comment: null }));
    }
  }

  /** The request, if `decider` may decide it now; otherwise the refusal is audited and thrown. */
  private async decidable(id: string, decider: Caller, action: string, comment: string | null): Promise<ApprovalRequestEntity> {
    await this.expireDue();
    const request = await this.approvals.findById(id);
    const refuse = async (code: GovernanceExceptionCode, message: string): Promise<never> => {
      await this.audit.append({
        ...this.audited(decider, action, request),
        decision: 'refused',
        reason: message,
        args: { approvalId: id, comment },
      });
      throw new GovernanceException(code, message);
    };
    if (!request) return refuse(GovernanceExceptionCode.NotFound, `There is no approval request ${id}`);
    if (!roleAtLeast(decider.role, Role.Admin))
      return refuse(GovernanceExceptionCode.Forbidden, 'Deciding approval requests needs the admin role');
    if (this.settings.fourEyes && request.requestedByUserId === decider.userId) {
      const verb = action === 'approval.approve' ? 'approve' : 'reject';
      return refuse(
        GovernanceExceptionCode.SelfApprovalForbidden,
        `You asked for this action; another admin must ${verb} it (GOVERNANCE_FOUR_EYES is on)`,
      );
    }
    if (request.status === 'expired') return refuse(GovernanceExceptionCode.ApprovalExpired, alreadyDecided(request));
    if (request.status !== 'pending') return refuse(GovernanceExceptionCode.ApprovalNotPending, alreadyDecided(request));
    return request;
  }

  /** The conditional UPDATE found the request no longer pending: say why (expired, or decided meanwhile). */
  private async refuseUndecidable(
    id: string,
    decider: Caller,
    action: string,
    before: ApprovalRequestEntity,
    comment: string | null,
  ): Promise<never> {
    await this.expireDue();
    const now = await this.approvals.findById(id);
    const expired = now?.status === 'expired' || (now?.status === 'pending' && now.expiresAt <= new Date());
    const message = expired
      ? `This request expired at ${before.expiresAt.toISOString()} without a decision; it can no longer run`
      : now
        ? alreadyDecided(now)
        : `There is no approval request ${id}`;
    await this.audit.append({
      ...this.audited(decider, action, before),
      decision: 'refused',
      reason: message,
      args: { approvalId: id, comment },
    });
    throw new GovernanceException(expired ? ErrorCode.ApprovalExpired : ErrorCode.ApprovalNotPending, message);
  }

  private audited(decider: Caller, action: string, request: ApprovalRequestEntity | null) {
    return {
      actor: auditedActor(decider),
      action,
      actionClass: request?.actionClass,
      runId: request?.runId ?? undefined,
      ip: decider.ip,
      userAgent: decider.userAgent,
    };
  }
}
