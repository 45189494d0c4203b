import { ActionClass, ErrorCode } from '@aegis/contracts';
import type { RollbackRecord, ToolOutcome } from '@aegis/sandbox-executor';
import type { RollbackVault } from '../actions/rollback-vault';
import type { ToolActionEnd, ToolActionRepository } from '../actions/tool-action.repository';
import type { AuditLog, AuditRecord } from '../audit/audit-log';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import type { ActionResult, Caller, ExecutionOutcome, GovernanceSettings } from '../governance.types';
import { rollbackAvailability } from '../rollback/rollback';
import { compareSeverity } from '../severity';
import { argsSha256, auditArgs } from './arguments';
import type { GovernedTool } from './governed-tool';
import type { GovernanceTelemetry } from '../telemetry/governance-telemetry';
import { auditedActor, errorSummary } from './refusal-audit';

/** How one governed run ended: the result, or the error its caller gets (the action record exists either way). */
export interface Performance {
  actionId: string;
  result?: ActionResult;
  error?: unknown;
}

/** Why a tool runs now: allowed by the policy (with its reason) or approved by an admin. */
export interface PerformBasis {
  decision: 'allowed' | 'approved';
  reason?: string;
  approvalId?: string;
  justification?: string;
}

/** A performance as execute() and runApproved() answer it: the result, or its error thrown. */
export function completed(performance: Performance): ExecutionOutcome & { kind: 'executed' } {
  if (performance.error !== undefined || !performance.result) throw performance.error;
  return { kind: 'executed', actionId: performance.actionId, actionClass: performance.result.actionClass, result: performance.result };
}

/**
 * The governed run of a tool the policy has let through: the action record and its audit entry
 * ("started") are written BEFORE the tool runs, then the tool runs and its outcome is recorded; if
 * the audit cannot be written, the tool does not run (AUDIT_UNAVAILABLE).
 */
export class ToolPerformer {
  constructor(
    private readonly settings: GovernanceSettings,
    private readonly audit: Pick<AuditLog, 'append'>,
    private readonly actions: Pick<ToolActionRepository, 'start' | 'finish'>,
    private readonly vault: Pick<RollbackVault, 'seal'>,
    private readonly telemetry: Pick<GovernanceTelemetry, 'toolCalled'>,
  ) {}

  /** Runs the tool with its action record and audit entries, and reports whether it completed (docs/observability.md). */
  async perform(
    tool: GovernedTool,
    args: Record<string, unknown>,
    caller: Caller,
    actionClass: ActionClass,
    how: PerformBasis,
  ): Promise<Performance> {
    const report = (completed: boolean) =>
      this.telemetry.toolCalled({ tool: tool.descriptor.name, outcome: completed ? 'completed' : 'failed' });
    try {
      const performance = await this.performRecorded(tool, args, caller, actionClass, how);
      report(performance.result?.status === 'completed');
      return performance;
    } catch (error) {
      report(false);
      throw error;
    }
  }

  private async performRecorded(
    tool: GovernedTool,
    args: Record<string, unknown>,
    caller: Caller,
    actionClass: ActionClass,
    how: PerformBasis,
  ): Promise<Performance> {
    const name = tool.descriptor.name;
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
      throw new GovernanceException(
        GovernanceExceptionCode.AuditUnavailable,
        'The action record cannot be written right now, so the tool did not run',
      );
    }
    const audited = {
      actor: auditedActor(caller),
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
      const unaudited = {
        status: 'failed' as const,
        verification: null,
        rollback: null,
        errorCode: ErrorCode.AuditUnavailable,
        errorMessage: 'the audit log could not be written; the tool did not run',
      };
      await this.actions.finish(action.id, unaudited).catch(() => undefined);
      throw error;
    }
    let outcome: ToolOutcome;
    try {
      outcome = await tool.run(args, caller, how.justification ?? how.reason);
    } catch (error) {
      const failure = errorSummary(error);
      const unrecorded = await this.finishAndRecord(
        action.id,
        { status: 'failed', verification: null, rollback: null, errorCode: failure.code, errorMessage: failure.message },
        { ...audited, result: { status: 'failed', ...basis, error: failure } },
      );
      return { actionId: action.id, error: unrecorded ?? error };
    }
    const verification = outcome.verification ?? null;
    const needsVerification = compareSeverity(actionClass, ActionClass.Moderate) >= 0;
    const status = needsVerification && this.settings.verifyRequired && verification?.verified !== true ? 'failed' : 'completed';
    const record: RollbackRecord | null = outcome.rollback ?? null;
    const rollback = rollbackAvailability(name, actionClass, record);
    const unrecorded = await this.finishAndRecord(
      action.id,
      {
        status,
        verification,
        // A file's previous content is kept only here, sealed (docs/governance.md "Rollback records").
        rollback: record ? this.vault.seal(record) : null,
        errorCode: status === 'failed' ? ErrorCode.VerificationFailed : null,
        errorMessage:
          status === 'failed' ? (verification ? `verification failed: ${verification.detail}` : 'the tool reported no verification') : null,
      },
      {
        ...audited,
        result: { status, ...basis, verification, verificationRequired: needsVerification && this.settings.verifyRequired, rollback },
      },
    );
    if (unrecorded) return { actionId: action.id, error: unrecorded };
    return { actionId: action.id, result: { status, actionClass, output: outcome.output, verification, rollback } };
  }

  /**
   * Completes the action record and writes the outcome entry at the same time (neither needs the
   * other, so a call waits for one round trip, not two); a record that cannot be completed throws,
   * after the outcome entry has had its chance to be written.
   */
  private async finishAndRecord(actionId: string, end: ToolActionEnd, entry: AuditRecord): Promise<GovernanceException | undefined> {
    const [finished, unrecorded] = await Promise.allSettled([this.actions.finish(actionId, end), this.recordOutcome(entry, actionId)]);
    if (finished.status === 'rejected') throw finished.reason;
    return unrecorded.status === 'fulfilled' ? unrecorded.value : undefined;
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
}
