import { randomUUID } from 'node:crypto';
import { ActionClass } from '@aegis/contracts';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import type { Caller, ConfirmationDecision, ConfirmationRequest } from '../governance.types';
import { auditArgs } from './arguments';
import type { GovernedTool } from './governed-tool';
import type { RefusalAudit } from './refusal-audit';

const DEFAULT_CONFIRMATION_TTL_SECONDS = 300;

/**
 * An agent-initiated SENSITIVE action waits for the chatting user's explicit confirmation
 * (docs/governance.md): the model writes the justification, so it cannot be the only gate.
 * Returns the audit wording of who confirmed, or undefined when no confirmation applies;
 * anything but 'confirmed' (or no way to ask) is an audited refusal.
 */
export async function confirmIfAgent(
  refusals: RefusalAudit,
  ttlSeconds: number | undefined,
  tool: GovernedTool,
  args: Record<string, unknown>,
  caller: Caller,
  actionClass: ActionClass,
  justification: string | undefined,
): Promise<string | undefined> {
  if (caller.runId === undefined || actionClass !== ActionClass.Sensitive) return undefined;
  const name = tool.descriptor.name;
  const action = `tool.${name}`;
  if (!caller.confirm) {
    const refused = new GovernanceException(
      GovernanceExceptionCode.ConfirmationDeclined,
      `${actionClass} actions of the agent need the chatting user's confirmation, and there is no one to ask; nothing ran`,
    );
    return refusals.refuse(caller, action, actionClass, args, refused);
  }
  const request: ConfirmationRequest = {
    confirmationId: randomUUID(),
    tool: name,
    actionClass,
    args: auditArgs(args, tool.contentFields),
    justification,
    expiresAt: new Date(Date.now() + (ttlSeconds ?? DEFAULT_CONFIRMATION_TTL_SECONDS) * 1000),
  };
  let decision: ConfirmationDecision;
  try {
    decision = await caller.confirm(request);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const failed = new GovernanceException(
      GovernanceExceptionCode.ConfirmationDeclined,
      `The confirmation of '${name}' could not be asked (${detail}); nothing ran`,
    );
    return refusals.refuse(caller, action, actionClass, args, failed);
  }
  if (decision !== 'confirmed') {
    const declined = new GovernanceException(
      GovernanceExceptionCode.ConfirmationDeclined,
      `${caller.actor.name} did not confirm '${name}' (${decision}, confirmation ${request.confirmationId}); nothing ran`,
    );
    return refusals.refuse(caller, action, actionClass, args, declined);
  }
  return `confirmed in the chat by ${caller.actor.name}, confirmation ${request.confirmationId}`;
}
