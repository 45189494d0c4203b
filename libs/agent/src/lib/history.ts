import type { ChatMessage } from '@aegis/providers';

function sizeOf(message: ChatMessage): number {
  return typeof message.content === 'string' ? message.content.length : JSON.stringify(message.content).length;
}

/**
 * Fits a conversation into `budgetChars`: system messages and the last message always stay; the
 * oldest other messages go first. A leading assistant or tool message left orphaned is dropped too.
 */
export function trimHistory(messages: readonly ChatMessage[], budgetChars: number): ChatMessage[] {
  const system = messages.filter((message) => message.role === 'system');
  const turns = messages.filter((message) => message.role !== 'system');
  let total = [...system, ...turns].reduce((sum, message) => sum + sizeOf(message), 0);
  let start = 0;
  while (total > budgetChars && start < turns.length - 1) {
    total -= sizeOf(turns[start]);
    start += 1;
  }
  while (start < turns.length - 1 && turns[start].role !== 'user') start += 1;
  return [...system, ...turns.slice(start)];
}
