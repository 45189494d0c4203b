import type { ApprovalDecidedEvent } from '@aegis/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { chatConnection, type ChatConnection } from '../../../lib/chat-socket';
import { containerLogsKey } from '../api/get-container-logs';
import { dockerStatusQueryOptions } from '../api/get-docker-status';
import type { RestartAnswer } from '../api/restart-container';

/** What the hook needs of the one socket connection (tests pass a stand-in). */
export type ApprovalEventSource = Pick<ChatConnection, 'on' | 'start'>;

/** A restart asked for on this page: the server's answer, and for a 202 the admin's decision once it came. */
export interface RestartOutcome {
  answer: RestartAnswer;
  decision: ApprovalDecidedEvent | null;
}

export interface RestartOutcomes {
  /** By container name. */
  outcomes: Readonly<Record<string, RestartOutcome>>;
  record: (container: string, answer: RestartAnswer) => void;
  dismiss: (container: string) => void;
}

/**
 * The page's restarts, per container, so a container's pending restart resolves while another one
 * is on view. While any waits for approval it listens for `approval:decided` on the app's one
 * socket connection (the server sends it to every socket of the requester), starting that
 * connection if no other screen has (starting it again does nothing). An approved restart
 * refreshes the container list.
 */
export function useRestartOutcomes(connection: ApprovalEventSource = chatConnection()): RestartOutcomes {
  const queryClient = useQueryClient();
  const [outcomes, setOutcomes] = useState<Record<string, RestartOutcome>>({});
  const waiting = Object.values(outcomes).some((outcome) => outcome.answer.kind === 'pending' && outcome.decision === null);

  // The latest outcomes for the listener, which stays subscribed while anything waits.
  const latest = useRef(outcomes);
  useEffect(() => {
    latest.current = outcomes;
  }, [outcomes]);

  useEffect(() => {
    if (!waiting) return;
    connection.start();
    return connection.on('approval:decided', (event) => {
      const entry = Object.entries(latest.current).find(
        ([, outcome]) => outcome.answer.kind === 'pending' && outcome.answer.approval.approvalId === event.approvalId,
      );
      if (!entry) return;
      const [container] = entry;
      setOutcomes((current) => {
        const outcome = current[container];
        return outcome ? { ...current, [container]: { ...outcome, decision: event } } : current;
      });
      if (event.status === 'approved') {
        void queryClient.invalidateQueries({ queryKey: dockerStatusQueryOptions().queryKey });
        void queryClient.invalidateQueries({ queryKey: containerLogsKey(container) });
      }
    });
  }, [waiting, connection, queryClient]);

  const record = useCallback(
    (container: string, answer: RestartAnswer) => setOutcomes((current) => ({ ...current, [container]: { answer, decision: null } })),
    [],
  );
  const dismiss = useCallback(
    (container: string) =>
      setOutcomes((current) => {
        const { [container]: _dismissed, ...rest } = current;
        return rest;
      }),
    [],
  );
  return { outcomes, record, dismiss };
}
