import { type ActionClass, Role, roleAtLeast } from '@aegis/contracts';
import type { CommandRunner, RollbackRecord, ToolCatalog } from '@aegis/sandbox-executor';
import type { RollbackVault } from '../actions/rollback-vault';
import type { ToolActionRepository } from '../actions/tool-action.repository';
import type { AuditLog } from '../audit/audit-log';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import type { Caller, RollbackResult } from '../governance.types';
import { rollbackAvailability, undo } from '../rollback/rollback';
import { auditedActor, errorSummary } from './refusal-audit';

/** Where an undo runs: the catalogue's workspace, its executor and its tools (git_reset, apt_remove undo through them). */
export interface RollbackPlace {
  catalog: ToolCatalog;
  runner: CommandRunner;
  workspaceDir: string;
}

/** Undoing a recorded action (POST /actions/:id/rollback): admins only, once, itself audited. */
export class ActionRollback {
  constructor(
    private readonly place: RollbackPlace,
    private readonly audit: Pick<AuditLog, 'append'>,
    private readonly actions: Pick<ToolActionRepository, 'findById' | 'claimRollback' | 'releaseRollback'>,
    private readonly vault: Pick<RollbackVault, 'open'>,
  ) {}

  /** Undoes a recorded action. Refuses clearly what cannot or can no longer be undone. */
  async rollback(actionId: string, caller: Caller, reason?: string): Promise<RollbackResult> {
    const action = await this.actions.findById(actionId);
    const audited = {
      actor: auditedActor(caller),
      action: 'action.rollback',
      runId: caller.runId,
      ip: caller.ip,
      userAgent: caller.userAgent,
    };
    const refuse = async (actionClass: ActionClass | undefined, code: GovernanceExceptionCode, message: string): Promise<never> => {
      await this.audit.append({ ...audited, actionClass, decision: 'refused', reason: message, args: { actionId, reason } });
      throw new GovernanceException(code, message);
    };
    if (!action) return refuse(undefined, GovernanceExceptionCode.NotFound, `There is no action ${actionId}`);
    if (!roleAtLeast(caller.role, Role.Admin))
      return refuse(action.actionClass, GovernanceExceptionCode.Forbidden, 'Rolling back an action needs the admin role');
    if (action.rolledBackAt) {
      const when = action.rolledBackAt.toISOString();
      return refuse(
        action.actionClass,
        GovernanceExceptionCode.RollbackUnavailable,
        `Action ${actionId} was already rolled back at ${when}`,
      );
    }
    let record: RollbackRecord | null;
    try {
      record = this.vault.open(action.rollback);
    } catch (error) {
      if (!(error instanceof GovernanceException)) throw error;
      return refuse(
        action.actionClass,
        GovernanceExceptionCode.RollbackUnavailable,
        `Action ${actionId} (${action.tool}) cannot be undone: ${error.message}`,
      );
    }
    const availability = rollbackAvailability(action.tool, action.actionClass, record);
    if (!record || !availability.available) {
      const why = availability.reason ?? 'no record';
      return refuse(
        action.actionClass,
        GovernanceExceptionCode.RollbackUnavailable,
        `Action ${actionId} (${action.tool}) cannot be undone: ${why}`,
      );
    }
    if (!(await this.actions.claimRollback(actionId, { userId: caller.userId, name: caller.actor.name }))) {
      return refuse(
        action.actionClass,
        GovernanceExceptionCode.RollbackUnavailable,
        `Action ${actionId} is already being rolled back or was rolled back`,
      );
    }
    const justification = `rollback of action ${actionId} (${action.tool})${reason ? `: ${reason}` : ''}`;
    const undoing = {
      ...audited,
      actionClass: action.actionClass,
      decision: 'allowed',
      reason,
      args: { actionId, tool: action.tool, kind: record.kind },
    };
    try {
      await this.audit.append({ ...undoing, result: { status: 'started' } });
    } catch (error) {
      await this.actions.releaseRollback(actionId);
      throw error;
    }
    const { catalog, runner, workspaceDir } = this.place;
    try {
      const detail = await undo(record, {
        workspaceDir,
        runner,
        runTool: (name, args, invocation) => catalog.run(name, args, invocation),
        justification,
        signal: caller.signal,
      });
      await this.audit.append({ ...undoing, result: { status: 'completed', detail } });
      return { actionId, status: 'rolled_back', kind: record.kind, detail };
    } catch (error) {
      await this.actions.releaseRollback(actionId);
      await this.audit.append({ ...undoing, result: { status: 'failed', error: errorSummary(error) } });
      throw error;
    }
  }
}
