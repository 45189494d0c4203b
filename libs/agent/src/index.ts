export { exhaustedBudget, type BudgetExhausted, type RunLimits, type RunUsage } from './lib/run-budget';
export { trimHistory } from './lib/history';
export {
  AgentRunner,
  DEFAULT_SYSTEM_PROMPT,
  toolsFor,
  type AgentEvent,
  type AgentLocalTool,
  type AgentRunnerOptions,
  type AgentRunRequest,
  type AgentRunResult,
  type ConfirmationAnswer,
  type PendingConfirmation,
} from './lib/agent-runner';
export { memoryTools } from './lib/memory-tools';
