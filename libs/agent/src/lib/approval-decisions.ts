import type { ApprovalDecidedEvent } from '@aegis/contracts';
import type { GovernanceEvents } from '@aegis/governance';
import { RunCancelled } from './agent-run.types';

/** The `approval:decided` events of one run, collected from before a call is made, so none is missed. */
export interface ApprovalDecisions {
  /** The decision on `approvalId`, or undefined after `timeoutMs`; rejects with RunCancelled when `signal` aborts. */
  waitFor(approvalId: string, timeoutMs: number, signal: AbortSignal): Promise<ApprovalDecidedEvent | undefined>;
  close(): void;
}

/** Starts listening for the run's decisions (a decision can arrive while execute() is still storing the request). */
export function collectDecisions(events: Pick<GovernanceEvents, 'on'>, runId: string): ApprovalDecisions {
  const seen = new Map<string, ApprovalDecidedEvent>();
  const waiters = new Map<string, (event: ApprovalDecidedEvent) => void>();
  const off = events.on('approval:decided', (event) => {
    if (event.runId !== runId) return;
    seen.set(event.approvalId, event);
    waiters.get(event.approvalId)?.(event);
  });
  return {
    close: off,
    waitFor: (approvalId, timeoutMs, signal) =>
      new Promise<ApprovalDecidedEvent | undefined>((resolve, reject) => {
        const known = seen.get(approvalId);
        if (known) return resolve(known);
        const timer = setTimeout(() => finish(undefined), Math.max(0, timeoutMs));
        const onAbort = () => {
          clearTimeout(timer);
          reject(new RunCancelled());
        };
        const finish = (event: ApprovalDecidedEvent | undefined) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          waiters.delete(approvalId);
          resolve(event);
        };
        waiters.set(approvalId, finish);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}
