import { ActionClass, Role } from '@aegis/contracts';

/**
 * What governance does with a request of a given class from a given role:
 * - `allow`: run it now;
 * - `justify`: run it now if the request carries a written justification (justification.ts);
 * - `approve`: with a justification, store it as a pending request that runs only after an admin approves it;
 * - `deny`: refuse it.
 */
export type PolicyDecision = 'allow' | 'justify' | 'approve' | 'deny';

/** The one policy table: role × action class (docs/governance.md "Policy"). Every cell is tested. */
export const POLICY: Readonly<Record<ActionClass, Readonly<Record<Role, PolicyDecision>>>> = {
  [ActionClass.Read]: { [Role.Viewer]: 'allow', [Role.Operator]: 'allow', [Role.Admin]: 'allow' },
  [ActionClass.Safe]: { [Role.Viewer]: 'allow', [Role.Operator]: 'allow', [Role.Admin]: 'allow' },
  [ActionClass.Moderate]: { [Role.Viewer]: 'deny', [Role.Operator]: 'allow', [Role.Admin]: 'allow' },
  [ActionClass.Sensitive]: { [Role.Viewer]: 'deny', [Role.Operator]: 'deny', [Role.Admin]: 'justify' },
  [ActionClass.Critical]: { [Role.Viewer]: 'deny', [Role.Operator]: 'approve', [Role.Admin]: 'approve' },
};

export function decide(role: Role, actionClass: ActionClass): PolicyDecision {
  return POLICY[actionClass][role];
}

/** Why the policy denies `role` an action of `actionClass`, in words for the caller and the audit log. */
export function denialReason(role: Role, actionClass: ActionClass): string {
  const needs: Record<ActionClass, string> = {
    [ActionClass.Read]: 'any role',
    [ActionClass.Safe]: 'any role',
    [ActionClass.Moderate]: 'an operator or an admin',
    [ActionClass.Sensitive]: 'an admin with a written justification',
    [ActionClass.Critical]: "an operator or an admin to request it, and an admin's approval",
  };
  return `${actionClass} actions need ${needs[actionClass]}; the ${role} role may not perform them`;
}
