import type { ErrorCode, ProviderName } from '@aegis/contracts';
import type { TokenUsage } from './cost';
import type { ProviderException } from './provider.exception';

export interface TextPart {
  type: 'text';
  text: string;
}

/** An image for vision models: bytes, base64 text, or an http(s) URL the vendor fetches itself. */
export interface ImagePart {
  type: 'image';
  image: Uint8Array | string | URL;
  /** e.g. `image/png`; uploads know it from their magic bytes. */
  mediaType: string;
}

export interface ToolCallPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  input: unknown;
}

export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  /** A string is sent as text, anything else as JSON. */
  output: unknown;
  isError?: boolean;
}

/** The conversation as the provider layer takes it; adapters translate it to each vendor. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | (TextPart | ImagePart)[] }
  | { role: 'assistant'; content: string | (TextPart | ToolCallPart)[] }
  | { role: 'tool'; content: ToolResultPart[] };

/** A tool the model may call; `inputSchema` is a JSON Schema object (the executor's argsSchema). */
export interface ToolDefinition {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

export interface ProviderStreamRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  /** A model to prefer; its provider is found from the price table unless `provider` is given. */
  model?: string;
  /** A provider to try first (then the rest of PROVIDER_ORDER, unless `fallback` is false). */
  provider?: ProviderName;
  /** Fall over to the other providers of the order (default true). */
  fallback?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  /** Cancels the call: no further retry, fall-over or event. */
  signal?: AbortSignal;
  /** Whose budget the call spends and whose usage it is recorded as. */
  userId: string;
  conversationId?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

/**
 * What a stream yields, in order: `model-selected` once a provider has produced its first part
 * (nothing is yielded before, so a fall-over never shows), then text and tool calls, then exactly
 * one `finish` or one `error`. `warning` may come first (a budget passed in warn mode).
 */
export type ProviderStreamEvent =
  | { type: 'model-selected'; provider: ProviderName; model: string; attempts: number }
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'warning'; code: ErrorCode; message: string }
  | { type: 'finish'; provider: ProviderName; model: string; finishReason: FinishReason; usage: TokenUsage; costMicroDollars: number }
  | { type: 'error'; error: ProviderException };

export interface EmbedOptions {
  signal?: AbortSignal;
  userId?: string;
  conversationId?: string;
}

export interface EmbeddingResult {
  provider: ProviderName;
  model: string;
  embeddings: number[][];
  usage: { inputTokens: number };
  costMicroDollars: number;
}

export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'isolated';

/** One provider as `status()` reports it: never a key, only whether one is configured. */
export interface ProviderStatus {
  name: ProviderName;
  /** Has a key (Ollama needs none). */
  configured: boolean;
  /** Index in PROVIDER_ORDER, or null when the cascade does not use it. */
  position: number | null;
  circuit: CircuitStateName;
  /** Whether the last probe got any HTTP answer; null until probed. */
  reachable: boolean | null;
  defaultModel: string;
  models: string[];
  embeddingModel: string | null;
  lastFailure: { at: string; reason: string } | null;
  /** When a request to it last succeeded (an answer or embeddings started), ISO time; null since start. */
  lastSuccessAt: string | null;
  /** When its reachability was last learned (a probe or real traffic), ISO time; null until then. */
  reachabilityCheckedAt: string | null;
}
