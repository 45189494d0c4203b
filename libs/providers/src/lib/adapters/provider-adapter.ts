import type { ProviderName } from '@aegis/contracts';
import type { TokenUsage } from '../cost';
import type { ChatMessage, FinishReason, ToolDefinition } from '../provider.types';

/** The parts of a vendor's stream the cascade acts on; everything else stays in the adapter. */
export type AdapterPart =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'finish'; finishReason: FinishReason; usage: TokenUsage };

export interface AdapterChatRequest {
  model: string;
  messages: readonly ChatMessage[];
  tools?: readonly ToolDefinition[];
  maxOutputTokens?: number;
  temperature?: number;
}

/** One open answer stream. `next()` throws when the vendor's stream fails. */
export interface AdapterStream {
  next(): Promise<AdapterPart | undefined>;
  /** Stops reading and releases the connection. */
  cancel(): void;
}

/** One vendor behind one interface; the cascade owns retries, circuits, budgets and usage. */
export interface ProviderAdapter {
  readonly name: ProviderName;
  /** Resolves once the vendor accepted the request (HTTP 2xx); rejects with the SDK's error otherwise. */
  openChat(request: AdapterChatRequest, signal: AbortSignal): Promise<AdapterStream>;
  /** Rejects when the vendor has no embeddings. */
  embed(model: string, texts: readonly string[], signal: AbortSignal): Promise<{ embeddings: number[][]; inputTokens: number | undefined }>;
  /** Any HTTP answer from the vendor's base URL (the key is not sent). */
  probe(timeoutMs: number): Promise<boolean>;
}
