import type { SandboxRunObserver, SandboxRunReport } from '@aegis/sandbox-executor';
import { Injectable, Logger } from '@nestjs/common';

/** How one tool call through the registry ended: run (completed or failed), sent for approval, or refused before running. */
export type ToolCallOutcome = 'completed' | 'failed' | 'pending_approval' | 'refused';

export interface ToolCallReport {
  /** A tool of this server, or 'unknown' (a name nobody registered never becomes a label). */
  tool: string;
  outcome: ToolCallOutcome;
}

/** Whether an audit entry reached the chain. */
export type AuditAppendOutcome = 'written' | 'failed';

/**
 * What governance reports for metrics (docs/observability.md). The API implements it with
 * prom-client, so no lib depends on a metrics library; every method must be cheap (no I/O).
 */
export interface GovernanceObserver extends SandboxRunObserver {
  toolCalled(report: ToolCallReport): void;
  auditAppended(outcome: AuditAppendOutcome): void;
}

/**
 * The fan-out from governance's parts (the registry, the audit log, the executor) to the observers
 * the application registers; an observer that throws is logged and never disturbs a tool call.
 */
@Injectable()
export class GovernanceTelemetry implements GovernanceObserver {
  private readonly logger = new Logger(GovernanceTelemetry.name);
  private readonly observers: GovernanceObserver[] = [];

  observe(observer: GovernanceObserver): void {
    this.observers.push(observer);
  }

  toolCalled(report: ToolCallReport): void {
    this.each((observer) => observer.toolCalled(report));
  }

  auditAppended(outcome: AuditAppendOutcome): void {
    this.each((observer) => observer.auditAppended(outcome));
  }

  sandboxRan(report: SandboxRunReport): void {
    this.each((observer) => observer.sandboxRan(report));
  }

  private each(tell: (observer: GovernanceObserver) => void): void {
    for (const observer of this.observers) {
      try {
        tell(observer);
      } catch (error) {
        this.logger.error({ err: error }, 'a governance observer failed');
      }
    }
  }
}
