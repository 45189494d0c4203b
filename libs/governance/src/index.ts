export { compareSeverity, mostSevere } from './lib/severity';
export { AuditLog, type AuditActor, type AuditRecord, type BrokenAuditEntry, type ChainVerification } from './lib/audit/audit-log';
export { AuditModule } from './lib/audit/audit.module';
export { canonicalJson, GENESIS_HASH, hashAuditEntry } from './lib/audit/audit-hash';
export { redactSecrets } from './lib/audit/redact';
export { AUDIT_EXPORT_BATCH_SIZE, AuditRepository, type AuditFilter, type AuditPage } from './lib/audit/audit.repository';
export { decide, denialReason, POLICY, type PolicyDecision } from './lib/policy/policy';
export { JUSTIFICATION_MAX_LENGTH, JUSTIFICATION_MIN_LENGTH, JUSTIFICATION_MIN_WORDS, justificationProblems } from './lib/policy/justification';
export {
  classifyArgv,
  classifyCommand,
  GIT_SUBCOMMAND_CLASSES,
  PROGRAM_CLASSES,
  type CommandClassification,
} from './lib/classification/command-classification';
export { GovernanceException, GovernanceExceptionCode } from './lib/governance.exception';
export type {
  ActionResult,
  Caller,
  ConfirmationDecision,
  ConfirmationRequest,
  ExecutionOutcome,
  GovernanceSettings,
  RollbackAvailability,
  RollbackResult,
} from './lib/governance.types';
export { GovernanceEvents, type GovernanceEventMap, type GovernanceEventName } from './lib/events/governance-events';
export { argsSha256, auditArgs, contentDigest, type AuditedContent } from './lib/registry/arguments';
export { auditedActor } from './lib/registry/refusal-audit';
export { ToolRegistry, type ToolRegistryOptions } from './lib/registry/tool-registry';
export type { ContributedTool, ContributedToolContext } from './lib/registry/governed-tool';
export { alreadyDecided, ApprovalService, originOf, toApprovalView, type ApprovalOrigin, type ApprovalPage, type ApprovalView } from './lib/approvals/approval.service';
export { type ApprovalActionStatus, type ApprovalPosition, ApprovalRepository } from './lib/approvals/approval.repository';
export { ToolActionRepository } from './lib/actions/tool-action.repository';
export { RollbackVault, type StoredRollback } from './lib/actions/rollback-vault';
export { RequesterDirectory, type RecordedRequester, type RequesterStanding } from './lib/approvals/requester-directory';
export { isStorableText, storableText, unstorableTextProblems } from './lib/audit/storable-text';
export { rollbackAvailability } from './lib/rollback/rollback';
export { describeRollback, formatBytes, type RollbackPreview } from './lib/rollback/rollback-description';
export type { ActionFilter, ActionListItem, ActionPage, ToolActionStatusName, VerificationState } from './lib/actions/action-list';
export { toolListingFor, toolPolicyFor, type ToolListing, type ToolPolicy } from './lib/registry/tool-listing';
export { GOVERNANCE_SETTINGS, TOOL_REGISTRY_OPTIONS } from './lib/governance.tokens';
export { DOCKER_CLIENT, GovernanceModule, toolRegistryOptions } from './lib/governance.module';
export {
  dockerUnreachableReason,
  hostAvailability,
  SANDBOX_STATUS,
  SANDBOX_UID,
  type SandboxHealth,
  type SandboxStatus,
} from './lib/sandbox-status';
