import { MEMORY_TOOLS, type MemoryService } from '@aegis/memory';
import type { AgentLocalTool } from './agent-runner';

/** `memory_save` and `memory_search` for the agent, always on the run's own user. */
export function memoryTools(memory: Pick<MemoryService, 'save' | 'search'>): AgentLocalTool[] {
  return MEMORY_TOOLS.map((tool) => ({
    definition: { name: tool.name, description: tool.description, inputSchema: tool.argsSchema },
    actionClass: tool.actionClass,
    run: async (args, { caller, conversationId }) => {
      if (tool.name === 'memory_save') {
        const item = await memory.save(caller.userId, typeof args['content'] === 'string' ? args['content'] : '', { kind: 'fact', source: conversationId });
        return { saved: item };
      }
      const limit = typeof args['limit'] === 'number' ? args['limit'] : undefined;
      return { items: await memory.search(caller.userId, typeof args['query'] === 'string' ? args['query'] : '', limit) };
    },
  }));
}
