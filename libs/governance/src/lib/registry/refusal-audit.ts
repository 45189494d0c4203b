import { AegisError, type ActionClass, ErrorCode } from '@aegis/contracts';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { Caller } from '../governance.types';
import type { GovernanceTelemetry } from '../telemetry/governance-telemetry';
import { auditArgs } from './arguments';

/** The caller as an audit entry names it. */
export function auditedActor(caller: Caller): AuditActor {
  return { type: caller.actor.type, id: caller.actor.id, name: caller.actor.name, role: caller.role };
}

/** An error as an action record and the audit keep it. */
export function errorSummary(error: unknown): { code: string; message: string } {
  if (error instanceof AegisError) return { code: error.code, message: error.message };
  return { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
}

/** Audits a refused tool call with its reason, then throws the refusal: nothing ran. */
export class RefusalAudit {
  constructor(
    private readonly audit: Pick<AuditLog, 'append'>,
    /** A tool's content fields (hashed in the entry), undefined for an unknown tool. */
    private readonly contentFieldsOf: (tool: string) => readonly string[] | undefined,
    private readonly telemetry: Pick<GovernanceTelemetry, 'toolCalled'>,
  ) {}

  async refuse(caller: Caller, action: string, actionClass: ActionClass, args: unknown, error: AegisError): Promise<never> {
    const tool = action.startsWith('tool.') ? action.slice('tool.'.length) : undefined;
    if (tool !== undefined) this.telemetry.toolCalled({ tool: this.contentFieldsOf(tool) ? tool : 'unknown', outcome: 'refused' });
    await this.audit.append({
      actor: auditedActor(caller),
      action,
      actionClass,
      decision: 'refused',
      reason: error.details && error.details.length > 0 ? `${error.message}: ${error.details.join('; ')}` : error.message,
      runId: caller.runId,
      args: auditArgs(args, tool === undefined ? undefined : this.contentFieldsOf(tool)),
      ip: caller.ip,
      userAgent: caller.userAgent,
    });
    throw error;
  }
}
