import { type ActionClass, type Role, roleAtLeast } from '@aegis/contracts';
import type { ToolDescriptor } from '@aegis/sandbox-executor';
import { decide, denialReason, type PolicyDecision } from '../policy/policy';

/** Tools whose class governance decides per call from the arguments (execute_command: its program's); see docs/governance.md. */
const CLASSIFIED_PER_CALL: ReadonlySet<string> = new Set(['execute_command']);

/** What running a tool means for one role, from the policy table and the tool's minimum role. */
export interface ToolPolicy {
  /** `deny` also when the role is below the tool's minimum role. */
  decision: PolicyDecision;
  /** The role may run (or request) it at all. */
  allowed: boolean;
  /** A written justification must come with the call (SENSITIVE for admins, CRITICAL for everyone who may request it). */
  justificationRequired: boolean;
  /** The call waits for an admin's approval (202) instead of running. */
  approvalRequired: boolean;
  /** The same in one sentence. */
  summary: string;
}

/** A tool as GET /api/tools lists it for a caller: the descriptor plus what the policy means for the caller's role. */
export interface ToolListing extends ToolDescriptor {
  /** The class, and so the policy, is decided per call from the arguments; `actionClass` and `policy` are the highest case. */
  classifiedPerCall: boolean;
  policy: ToolPolicy;
}

function summaryOf(decision: PolicyDecision, role: Role, actionClass: ActionClass): string {
  switch (decision) {
    case 'allow':
      return 'Runs at once';
    case 'justify':
      return 'Runs at once with a written justification';
    case 'approve':
      return "Needs a written justification and waits for an admin's approval";
    case 'deny':
      return denialReason(role, actionClass);
  }
}

export function toolPolicyFor(tool: Pick<ToolDescriptor, 'name' | 'actionClass' | 'minRole'>, role: Role): ToolPolicy {
  if (!roleAtLeast(role, tool.minRole)) {
    return {
      decision: 'deny',
      allowed: false,
      justificationRequired: false,
      approvalRequired: false,
      summary: `'${tool.name}' needs the ${tool.minRole} role or higher`,
    };
  }
  const decision = decide(role, tool.actionClass);
  return {
    decision,
    allowed: decision !== 'deny',
    justificationRequired: decision === 'justify' || decision === 'approve',
    approvalRequired: decision === 'approve',
    summary: summaryOf(decision, role, tool.actionClass),
  };
}

/** The catalogue as one role sees it (every tool is listed; `policy.allowed` says which it may run). */
export function toolListingFor(tools: readonly ToolDescriptor[], role: Role): ToolListing[] {
  return tools.map((tool) => ({ ...tool, classifiedPerCall: CLASSIFIED_PER_CALL.has(tool.name), policy: toolPolicyFor(tool, role) }));
}
