import { ActionClass } from '@aegis/contracts';
import { MEMORY_CONTENT_MAX_LENGTH, MEMORY_MAX_LIMIT } from './memory.types';

/** A tool the agent may offer the model; `argsSchema` is JSON Schema. */
export interface MemoryToolDescription {
  name: 'memory_save' | 'memory_search';
  description: string;
  /** READ and SAFE: both touch only the calling user's own memory and nothing outside Aegis. */
  actionClass: ActionClass.Read | ActionClass.Safe;
  argsSchema: Record<string, unknown>;
}

export interface MemorySaveArgs {
  content: string;
}

export interface MemorySearchArgs {
  query: string;
  limit?: number;
}

/** The memory tools for the agent; it runs them through MemoryService with the run's user id. */
export const MEMORY_TOOLS: readonly MemoryToolDescription[] = [
  {
    name: 'memory_save',
    description: 'Save one durable fact about the user or their work to long-term memory, for later conversations.',
    actionClass: ActionClass.Safe,
    argsSchema: {
      type: 'object',
      properties: { content: { type: 'string', minLength: 1, maxLength: MEMORY_CONTENT_MAX_LENGTH, description: 'The fact, as one self-contained sentence' } },
      required: ['content'],
      additionalProperties: false,
    },
  },
  {
    name: 'memory_search',
    description: "Search the user's long-term memory (saved facts and summaries of past conversations).",
    actionClass: ActionClass.Read,
    argsSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, maxLength: 1000 },
        limit: { type: 'integer', minimum: 1, maximum: MEMORY_MAX_LIMIT, default: 5 },
      },
      required: ['query'],
      additionalProperties: false,
    },
  },
];
