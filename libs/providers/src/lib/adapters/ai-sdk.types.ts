import type { OpenAIProvider } from '@ai-sdk/openai';

/**
 * The AI SDK's provider interface (LanguageModelV4 / EmbeddingModelV4), named through a package
 * the workspace depends on directly (@ai-sdk/provider only comes transitively). The vendor
 * packages pin slightly different @ai-sdk/provider versions, so the adapter reads stream parts
 * by their `type` and ignores the ones it does not use.
 */
type LanguageModel = ReturnType<OpenAIProvider['chat']>;
type EmbeddingModel = ReturnType<OpenAIProvider['embedding']>;

type ModelCallOptions = Parameters<LanguageModel['doStream']>[0];
export type ModelPrompt = ModelCallOptions['prompt'];
export type ModelPromptMessage = ModelPrompt[number];
export type ModelFunctionTool = Extract<NonNullable<ModelCallOptions['tools']>[number], { type: 'function' }>;
type StreamResult = Awaited<ReturnType<LanguageModel['doStream']>>;
export type ModelStreamPart = StreamResult['stream'] extends ReadableStream<infer Part> ? Part : never;

/** What the adapter uses of a language model. */
export interface StreamingLanguageModel {
  readonly modelId: string;
  doStream(options: ModelCallOptions): PromiseLike<{ stream: ReadableStream<ModelStreamPart> }>;
}

/** What the adapter uses of an embedding model. */
export interface TextEmbeddingModel {
  readonly modelId: string;
  readonly maxEmbeddingsPerCall: EmbeddingModel['maxEmbeddingsPerCall'];
  doEmbed(options: Parameters<EmbeddingModel['doEmbed']>[0]): PromiseLike<{ embeddings: number[][]; usage?: { tokens: number } }>;
}
