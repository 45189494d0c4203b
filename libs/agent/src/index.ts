export { exhaustedBudget, type BudgetExhausted, type RunLimits, type RunUsage } from './lib/run-budget';
export { trimHistory } from './lib/history';
export { AgentRunner, DEFAULT_SYSTEM_PROMPT } from './lib/agent-runner';
export type {
  AgentEvent,
  AgentRunnerOptions,
  AgentRunRequest,
  AgentRunResult,
  ConfirmationAnswer,
  PendingConfirmation,
} from './lib/agent-run.types';
export { toolsFor } from './lib/agent-tools';
export { memoryTools, registerMemoryTools } from './lib/memory-tools';
