export { AuditLog, type AuditActor, type AuditRecord } from './lib/audit/audit-log';
export { AuditModule } from './lib/audit/audit.module';
export { GENESIS_HASH, hashAuditEntry } from './lib/audit/audit-hash';
export { AuditRepository, type AuditFilter } from './lib/audit/audit.repository';
export { JUSTIFICATION_MAX_LENGTH } from './lib/policy/justification';
export { GovernanceException, GovernanceExceptionCode } from './lib/governance.exception';
export type { Caller, ConfirmationDecision, ConfirmationRequest, ExecutionOutcome, GovernanceSettings } from './lib/governance.types';
export { GovernanceEvents } from './lib/events/governance-events';
export {
  GovernanceTelemetry,
  type AuditAppendOutcome,
  type GovernanceObserver,
  type ToolCallReport,
} from './lib/telemetry/governance-telemetry';
export type { SandboxRunReport } from '@aegis/sandbox-executor';
export { auditedActor } from './lib/registry/refusal-audit';
export { ToolRegistry } from './lib/registry/tool-registry';
export type { ContributedTool } from './lib/registry/governed-tool';
export { ApprovalService } from './lib/approvals/approval.service';
export { type ApprovalPosition } from './lib/approvals/approval.repository';
export { ToolActionRepository } from './lib/actions/tool-action.repository';
export { RollbackVault } from './lib/actions/rollback-vault';
export { unstorableTextProblems } from './lib/audit/storable-text';
export { toolListingFor } from './lib/registry/tool-listing';
export { GOVERNANCE_SETTINGS } from './lib/governance.tokens';
export { DOCKER_CLIENT, GovernanceModule } from './lib/governance.module';
export { dockerUnreachableReason, hostAvailability, SANDBOX_STATUS, SANDBOX_UID, type SandboxStatus } from './lib/sandbox-status';
