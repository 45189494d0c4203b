export { type RunLimits } from './lib/run-budget';
export { trimHistory } from './lib/history';
export { AgentRunner, DEFAULT_SYSTEM_PROMPT } from './lib/agent-runner';
export type { AgentEvent, AgentRunResult, ConfirmationAnswer, PendingConfirmation } from './lib/agent-run.types';
export { registerMemoryTools } from './lib/memory-tools';
