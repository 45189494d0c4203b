/** How far one agent run may go before it is stopped. */
export interface RunLimits {
  maxSteps: number;
  maxTokens: number;
  deadlineMs: number;
}

export interface RunUsage {
  steps: number;
  tokens: number;
  startedAt: number;
}

export type BudgetExhausted = 'steps' | 'tokens' | 'deadline';

/** Which limit the run has reached, or undefined while it may take another step. */
export function exhaustedBudget(limits: RunLimits, usage: RunUsage, now: number): BudgetExhausted | undefined {
  if (usage.steps >= limits.maxSteps) return 'steps';
  if (usage.tokens >= limits.maxTokens) return 'tokens';
  if (now - usage.startedAt >= limits.deadlineMs) return 'deadline';
  return undefined;
}
