import { ActionClass, Role } from '@aegis/contracts';
import type { ContributedTool, ToolRegistry } from '@aegis/governance';
import { MEMORY_CONTENT_MAX_LENGTH, MEMORY_MAX_LIMIT, type MemoryService } from '@aegis/memory';
import { z } from 'zod';

const MEMORY_QUERY_MAX_LENGTH = 1000;
const MEMORY_SEARCH_DEFAULT_LIMIT = 5;

const saveArgs = z.strictObject({
  content: z.string().min(1).max(MEMORY_CONTENT_MAX_LENGTH).describe('The fact, as one self-contained sentence'),
});

const searchArgs = z.strictObject({
  query: z.string().min(1).max(MEMORY_QUERY_MAX_LENGTH),
  limit: z.number().int().min(1).max(MEMORY_MAX_LIMIT).default(MEMORY_SEARCH_DEFAULT_LIMIT),
});

/**
 * `memory_save` (SAFE) and `memory_search` (READ) as registry tools (docs/memory.md "Agent tools"):
 * both touch only the calling user's own memory, always the caller's user id (never one from the
 * model), so they are READ/SAFE; the registry checks, classes, records and audits every call.
 */
export function memoryTools(memory: Pick<MemoryService, 'save' | 'search'>): ContributedTool[] {
  const save: ContributedTool<typeof saveArgs> = {
    name: 'memory_save',
    description: 'Save one durable fact about the user or their work to long-term memory, for later conversations.',
    actionClass: ActionClass.Safe,
    minRole: Role.Viewer,
    argsSchema: saveArgs,
    run: async (args, { caller }) => ({
      output: { saved: await memory.save(caller.userId, args.content, { kind: 'fact', source: caller.conversationId }) },
    }),
  };
  const search: ContributedTool<typeof searchArgs> = {
    name: 'memory_search',
    description: "Search the user's long-term memory (saved facts and summaries of past conversations).",
    actionClass: ActionClass.Read,
    minRole: Role.Viewer,
    argsSchema: searchArgs,
    run: async (args, { caller }) => ({ output: { items: await memory.search(caller.userId, args.query, args.limit) } }),
  };
  return [save, search];
}

/** Registers the memory tools in the one tool registry, at start-up (apps/api's chat module). */
export function registerMemoryTools(registry: Pick<ToolRegistry, 'register'>, memory: Pick<MemoryService, 'save' | 'search'>): void {
  for (const tool of memoryTools(memory)) registry.register(tool);
}
