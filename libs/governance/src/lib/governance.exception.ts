import { AegisError, ErrorCode } from '@aegis/contracts';

/** The codes governance itself raises; the API's exhaustive switch maps each to an HTTP status. */
export const GovernanceExceptionCode = {
  NotFound: ErrorCode.NotFound,
  Forbidden: ErrorCode.Forbidden,
  PolicyDenied: ErrorCode.PolicyDenied,
  JustificationRequired: ErrorCode.JustificationRequired,
  InvalidArguments: ErrorCode.InvalidArguments,
  ApprovalNotPending: ErrorCode.ApprovalNotPending,
  ApprovalExpired: ErrorCode.ApprovalExpired,
  SelfApprovalForbidden: ErrorCode.SelfApprovalForbidden,
  ArgumentsChanged: ErrorCode.ArgumentsChanged,
  VerificationFailed: ErrorCode.VerificationFailed,
  RollbackUnavailable: ErrorCode.RollbackUnavailable,
  Conflict: ErrorCode.Conflict,
  ConfirmationDeclined: ErrorCode.ConfirmationDeclined,
  RequesterNotAllowed: ErrorCode.RequesterNotAllowed,
  AuditUnavailable: ErrorCode.AuditUnavailable,
} as const;

export type GovernanceExceptionCode = (typeof GovernanceExceptionCode)[keyof typeof GovernanceExceptionCode];

/** Refusals and failures of policy, approvals, verification and rollback; the message is shown to the caller. */
export class GovernanceException extends AegisError {
  constructor(code: GovernanceExceptionCode, message: string, details?: string[]) {
    super(code, message, details);
  }
}
