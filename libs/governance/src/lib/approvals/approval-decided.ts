import type { ApprovalDecidedEvent } from '@aegis/contracts';
import type { ApprovalRequestEntity } from '@aegis/database';

/** How a request ended: its status, who decided it (null when it expired), and the action an approval ran. */
export type ApprovalEnding = Pick<ApprovalDecidedEvent, 'status' | 'decidedBy' | 'comment'> &
  Partial<Pick<ApprovalDecidedEvent, 'actionId' | 'actionStatus'>>;

/** The one `approval:decided` payload, for every way a request ends (decided, expired, run or refused when it ran). */
export function approvalDecidedEvent(
  request: Pick<ApprovalRequestEntity, 'id' | 'tool' | 'requestedByUserId' | 'runId' | 'toolCallId'>,
  ending: ApprovalEnding,
): ApprovalDecidedEvent {
  return {
    approvalId: request.id,
    tool: request.tool,
    status: ending.status,
    decidedBy: ending.decidedBy,
    comment: ending.comment,
    actionId: ending.actionId ?? null,
    actionStatus: ending.actionStatus ?? null,
    requestedByUserId: request.requestedByUserId,
    runId: request.runId,
    toolCallId: request.toolCallId,
  };
}
