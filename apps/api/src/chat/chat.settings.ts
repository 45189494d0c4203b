import type { RunLimits } from '@aegis/agent';

/** How far agent runs go and how much each keeps; tests override the CHAT_SETTINGS provider. */
export interface ChatSettings {
  limits: RunLimits;
  /** Longest wait for an admin's decision (the approval's own expiry applies when sooner). */
  approvalTimeoutMs: number;
  /** Characters of history sent to the model: the oldest turns are dropped first. */
  historyBudgetChars: number;
  /** Events of one run kept for clients that reconnect. */
  eventLogSize: number;
  /** Runs one user may have going at once, over all their sockets (CHAT_MAX_CONCURRENT_RUNS). */
  maxConcurrentRunsPerUser: number;
}

export const CHAT_SETTINGS = Symbol('CHAT_SETTINGS');

export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  limits: { maxSteps: 8, maxTokens: 60_000, deadlineMs: 10 * 60_000 },
  approvalTimeoutMs: 10 * 60_000,
  historyBudgetChars: 48_000,
  eventLogSize: 2_000,
  maxConcurrentRunsPerUser: 2,
};
