import {
  ApprovalService,
  type AuditAppendOutcome,
  type GovernanceObserver,
  GovernanceTelemetry,
  type SandboxRunReport,
  type ToolCallReport,
} from '@aegis/governance';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from './metrics.service';

type PendingApprovals = Awaited<ReturnType<ApprovalService['pending']>>;

/**
 * Governance on /metrics (docs/observability.md): tool calls, sandbox runs, audit appends, counted
 * in memory as governance reports them; approvals waiting, read from the database only when
 * Prometheus scrapes. Labels are tool names, drivers and outcomes: never a user, an argument or a path.
 */
@Injectable()
export class GovernanceMetrics implements GovernanceObserver, OnModuleInit {
  private readonly logger = new Logger(GovernanceMetrics.name);
  private readonly toolCalls: Counter<'tool' | 'outcome'>;
  private readonly sandboxRuns: Counter<'driver' | 'outcome'>;
  private readonly sandboxSeconds: Histogram<'driver'>;
  private readonly auditAppends: Counter<'outcome'>;
  /** The scrape's one query, shared by both approval gauges (prom-client collects them concurrently). */
  private pendingQuery: Promise<PendingApprovals | undefined> | undefined;

  constructor(
    metrics: MetricsService,
    private readonly telemetry: GovernanceTelemetry,
    private readonly approvals: ApprovalService,
  ) {
    const registers = [metrics.registry];
    this.toolCalls = new Counter({
      name: 'aegis_tool_calls_total',
      help: 'Tool calls through the governed registry, by tool and outcome (completed, failed, pending_approval, refused)',
      labelNames: ['tool', 'outcome'],
      registers,
    });
    this.sandboxRuns = new Counter({
      name: 'aegis_sandbox_runs_total',
      help: 'Commands given to the sandbox, by driver and outcome (ok, nonzero_exit, timeout, refused, unavailable, error, cancelled)',
      labelNames: ['driver', 'outcome'],
      registers,
    });
    this.sandboxSeconds = new Histogram({
      name: 'aegis_sandbox_run_duration_seconds',
      help: 'Time a command spent in the sandbox, by driver',
      labelNames: ['driver'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.auditAppends = new Counter({
      name: 'aegis_audit_appends_total',
      help: 'Audit entries appended to the hash chain (written) or refused by the store (failed)',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of ['written', 'failed'] as const) this.auditAppends.inc({ outcome }, 0);
    const pendingNow = () => this.pendingNow();
    new Gauge({
      name: 'aegis_approvals_pending',
      help: 'Approval requests waiting for an admin (pending and not expired); NaN when the database did not answer',
      registers,
      async collect() {
        const pending = await pendingNow();
        this.set(pending ? pending.count : Number.NaN);
      },
    });
    new Gauge({
      name: 'aegis_approvals_oldest_pending_age_seconds',
      help: 'How long the oldest waiting approval request has waited (0 when none waits)',
      registers,
      async collect() {
        const pending = await pendingNow();
        const oldest = pending?.oldestCreatedAt;
        this.set(pending ? (oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0) : Number.NaN);
      },
    });
  }

  onModuleInit(): void {
    this.telemetry.observe(this);
  }

  toolCalled(report: ToolCallReport): void {
    this.toolCalls.inc({ tool: report.tool, outcome: report.outcome });
  }

  sandboxRan(report: SandboxRunReport): void {
    this.sandboxRuns.inc({ driver: report.driver, outcome: report.outcome });
    if (report.seconds !== null) this.sandboxSeconds.observe({ driver: report.driver }, report.seconds);
  }

  auditAppended(outcome: AuditAppendOutcome): void {
    this.auditAppends.inc({ outcome });
  }

  private pendingNow(): Promise<PendingApprovals | undefined> {
    this.pendingQuery ??= this.approvals
      .pending()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not count the approvals waiting for /metrics');
        return undefined;
      })
      .finally(() => {
        this.pendingQuery = undefined;
      });
    return this.pendingQuery;
  }
}
