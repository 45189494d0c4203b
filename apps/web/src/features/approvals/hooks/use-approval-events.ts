import type { ApprovalDecidedEvent, ApprovalRequiredEvent } from '@aegis/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { ChatConnection } from '../../../lib/chat-socket';
import { afterDecision, afterNewRequest, patchApprovalInLists, type Approval } from '../api/get-approvals';

/** The part of the app's one socket connection the approvals use (a stand-in in tests). */
export type ApprovalEventSource = Pick<ChatConnection, 'start' | 'on'>;

export interface ApprovalEventHandlers {
  onRequired?: (event: ApprovalRequiredEvent) => void;
  onDecided?: (event: ApprovalDecidedEvent) => void;
}

/** The stored status a decision event stands for. */
function statusAfter(event: ApprovalDecidedEvent): Approval['status'] {
  if (event.status !== 'approved') return event.status;
  if (event.actionStatus === 'completed') return 'executed';
  if (event.actionStatus === 'failed') return 'failed';
  return 'approved';
}

/** A card as a decision event describes it, until the list is next fetched. */
export function decidedByEvent(approval: Approval, event: ApprovalDecidedEvent, now = new Date()): Approval {
  return {
    ...approval,
    status: statusAfter(event),
    decidedBy: event.decidedBy,
    decidedAt: approval.decidedAt ?? now.toISOString(),
    comment: event.comment,
    actionId: event.actionId,
    actionStatus: event.actionStatus,
  };
}

/**
 * Keeps the approvals' cache live from the socket (the server sends approval events to every
 * admin's sockets): a new request refetches the queue and the count; a decision updates its card
 * in place and recounts. Opens the connection too, so an admin who never opened a chat still hears.
 */
export function useApprovalEvents(source: ApprovalEventSource, handlers: ApprovalEventHandlers = {}): void {
  const queryClient = useQueryClient();
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    source.start();
    const offRequired = source.on('approval:required', (event) => {
      void afterNewRequest(queryClient);
      latest.current.onRequired?.(event);
    });
    const offDecided = source.on('approval:decided', (event) => {
      patchApprovalInLists(queryClient, event.approvalId, (approval) => decidedByEvent(approval, event));
      void afterDecision(queryClient);
      latest.current.onDecided?.(event);
    });
    return () => {
      offRequired();
      offDecided();
    };
  }, [source, queryClient]);
}
