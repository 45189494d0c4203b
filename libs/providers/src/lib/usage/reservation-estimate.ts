import type { ChatMessage, ToolDefinition } from '../provider.types';

/** Output tokens reserved for a request that sets no maxOutputTokens. */
export const DEFAULT_RESERVED_OUTPUT_TOKENS = 4_096;

/** What one image is reserved as: vendors bill an image as a fixed number of tokens per tile, about this many for a large one. */
const IMAGE_TOKEN_ESTIMATE = 1_600;

const bytesOf = (value: unknown): number => Buffer.byteLength(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''), 'utf8');

/**
 * Prompt tokens a request may be billed for, on the high side: one token per two UTF-8 bytes
 * (English runs about four bytes a token, CJK about one three-byte character), plus each image,
 * the tool definitions and a little per message.
 */
export function estimatePromptTokens(messages: readonly ChatMessage[], tools: readonly ToolDefinition[] = []): number {
  let bytes = tools.length > 0 ? bytesOf(tools) : 0;
  let images = 0;
  for (const message of messages) {
    bytes += 16;
    if (typeof message.content === 'string') {
      bytes += bytesOf(message.content);
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'text') bytes += bytesOf(part.text);
      else if (part.type === 'image') images++;
      else if (part.type === 'tool-call') bytes += bytesOf(part.input) + bytesOf(part.toolName);
      else bytes += bytesOf(part.output) + bytesOf(part.toolName);
    }
  }
  return Math.ceil(bytes / 2) + images * IMAGE_TOKEN_ESTIMATE;
}

/** Embedding input tokens, estimated like prompts. */
export function estimateEmbeddingTokens(texts: readonly string[]): number {
  return Math.ceil(texts.reduce((sum, text) => sum + bytesOf(text), 0) / 2);
}
