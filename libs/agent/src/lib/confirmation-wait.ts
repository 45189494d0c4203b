import type { ConfirmationDecision } from '@aegis/governance';
import type { AgentRunRequest, PendingConfirmation } from './agent-run.types';

/** The person's answer, or 'expired' at `expiresAt`, or 'cancelled' when the run stops first: whichever comes first. */
export function waitForAnswer(
  ask: NonNullable<AgentRunRequest['confirm']>,
  pending: PendingConfirmation,
  signal: AbortSignal,
): Promise<ConfirmationDecision> {
  const stopWaiting = new AbortController();
  return new Promise<ConfirmationDecision>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      stopWaiting.abort();
      finish();
    };
    const onAbort = () => settle(() => resolve('cancelled'));
    const timer = setTimeout(() => settle(() => resolve('expired')), Math.max(0, pending.request.expiresAt.getTime() - Date.now()));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(() => ask(pending, stopWaiting.signal))
      .then(
        (answer) => settle(() => resolve(answer === 'confirmed' ? 'confirmed' : 'declined')),
        (error: unknown) => settle(() => reject(error instanceof Error ? error : new Error(String(error)))),
      );
  });
}
