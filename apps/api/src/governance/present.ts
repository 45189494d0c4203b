import type { ExecutionOutcome } from '@aegis/governance';
import { GovernanceException, GovernanceExceptionCode } from '@aegis/governance';
import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import type { ExecutedActionDto, PendingApprovalDto } from './execution.dto';

/** A finished action as the API reports it: 200 when complete; a failed verification is 409 VERIFICATION_FAILED naming the action. */
export function executedAction(outcome: ExecutionOutcome & { kind: 'executed' }): ExecutedActionDto {
  const { actionId, result } = outcome;
  if (result.status === 'failed') {
    const rollback = result.rollback.available
      ? `rollback: available (${result.rollback.kind ?? 'recorded'})`
      : `rollback: ${result.rollback.reason ?? 'unavailable'}`;
    throw new GovernanceException(
      GovernanceExceptionCode.VerificationFailed,
      `Action ${actionId} ran but is not complete: ${result.verification ? `its verification failed (${result.verification.detail})` : 'the tool reported no verification'}`,
      [`actionId: ${actionId}`, rollback],
    );
  }
  return { actionId, result };
}

/** 200 `{actionId, result}` when the action ran, 202 `{approvalId}` when it waits for an admin. */
export function executionResponse(outcome: ExecutionOutcome, response: Response): ExecutedActionDto | PendingApprovalDto {
  if (outcome.kind === 'pending') {
    response.status(HttpStatus.ACCEPTED);
    return { approvalId: outcome.approvalId, status: 'pending', actionClass: outcome.actionClass, expiresAt: outcome.expiresAt };
  }
  return executedAction(outcome);
}
