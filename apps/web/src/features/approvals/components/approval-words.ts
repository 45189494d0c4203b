import { ErrorCode } from '@aegis/contracts';
import type { ActionStatusKind } from '../../../components/governance/action-status';
import { ApiError, errorMessage } from '../../../lib/api-error';
import { formatRelativeTime } from '../../../lib/relative-time';
import { roleLabel } from '../../../lib/roles';
import type { Approval } from '../api/get-approvals';

/** How a request's status is drawn by the one status component. */
export function statusKind(status: Approval['status']): ActionStatusKind {
  switch (status) {
    case 'pending':
      return 'awaiting-approval';
    case 'approved':
      return 'approved';
    case 'executing':
      return 'running';
    case 'executed':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'rejected':
      return 'rejected';
    case 'expired':
      return 'expired';
  }
}

/** Who asked: "ada · user · Operator" or "deploy-bot · API key · Operator" (the role the action runs with). */
export function requesterWords(approval: Approval): { name: string; kind: string; role: string } {
  const { requestedBy } = approval;
  return { name: requestedBy.name, kind: requestedBy.type === 'api_key' ? 'API key' : 'user', role: roleLabel(requestedBy.role) };
}

/** What became of the approved action, when it says more than the status. */
function actionWords(approval: Approval): string {
  switch (approval.actionStatus) {
    case 'running':
      return 'the action is running';
    case 'completed':
      return 'the action ran';
    case 'failed':
      return 'the action failed';
    case 'rolled_back':
      return 'the action ran and was rolled back since';
    case null:
      return approval.status === 'failed'
        ? 'the action did not complete'
        : approval.status === 'executing'
          ? 'the action is running'
          : 'the action has not run yet';
  }
}

/** The decision in a sentence, e.g. "Approved by ada 2 min. ago; the action ran." Null while pending. */
export function decisionSentence(approval: Approval, now = Date.now()): string | null {
  const by = approval.decidedBy ? ` by ${approval.decidedBy.name}` : '';
  const when = approval.decidedAt ? ` ${formatRelativeTime(approval.decidedAt, now)}` : '';
  switch (approval.status) {
    case 'pending':
      return null;
    case 'approved':
    case 'executing':
    case 'executed':
    case 'failed':
      return `Approved${by}${when}; ${actionWords(approval)}.`;
    case 'rejected':
      return `Rejected${by}${when}.`;
    case 'expired':
      return `Expired ${formatRelativeTime(approval.decidedAt ?? approval.expiresAt, now)} without a decision; it can no longer run.`;
  }
}

/**
 * A refused decision in words. Four eyes and a race lost to another admin are said plainly; for
 * the race, the card has been brought up to date, so the sentence names who decided and when.
 */
export function refusalWords(error: unknown, current: Approval): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case ErrorCode.SelfApprovalForbidden:
        return 'You asked for this action, so another admin must decide it (four eyes).';
      case ErrorCode.ApprovalExpired:
        return 'This request expired before anyone decided; it can no longer run.';
      case ErrorCode.VerificationFailed:
        return `Approved, and the action ran, but it did not complete: ${error.message}`;
      case ErrorCode.ArgumentsChanged:
      case ErrorCode.RequesterNotAllowed:
        return `Approved, but the action did not run: ${error.message}`;
      case ErrorCode.ApprovalNotPending: {
        const decided = decisionSentence(current);
        return decided ? `Someone else decided first. ${decided}` : `Someone else decided first. ${error.message}`;
      }
      default:
        break;
    }
  }
  return errorMessage(error);
}
