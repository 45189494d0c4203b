import type { ProviderName } from '@aegis/contracts';
import { ProviderException, ProviderFailureReason } from '../provider.exception';
import type { FinishReason } from '../provider.types';
import { ErrorCode } from '@aegis/contracts';
import type { ModelStreamPart, StreamingLanguageModel, TextEmbeddingModel } from './ai-sdk.types';
import type { AdapterChatRequest, AdapterPart, AdapterStream, ProviderAdapter } from './provider-adapter';
import { toModelPrompt, toModelTools } from './prompt';

export interface AiSdkModels {
  chat(model: string): StreamingLanguageModel;
  /** Undefined when the vendor has no embeddings API. */
  embedding?: (model: string) => TextEmbeddingModel;
}

function finishReasonOf(unified: string): FinishReason {
  switch (unified) {
    case 'stop':
    case 'length':
    case 'tool-calls':
    case 'content-filter':
      return unified;
    default:
      return 'other';
  }
}

function parseToolInput(input: string): unknown {
  if (input.trim() === '') return {};
  try {
    return JSON.parse(input) as unknown;
  } catch {
    // The agent validates arguments against the tool's schema and reports the problem to the model.
    return input;
  }
}

/** Reads an SDK stream and hands the cascade only what it acts on. */
class SdkChatStream implements AdapterStream {
  constructor(
    private readonly provider: ProviderName,
    private readonly reader: ReadableStreamDefaultReader<ModelStreamPart>,
  ) {}

  async next(): Promise<AdapterPart | undefined> {
    for (;;) {
      const { done, value } = await this.reader.read();
      if (done) return undefined;
      switch (value.type) {
        case 'text-delta':
          if (value.delta.length > 0) return { type: 'text-delta', text: value.delta };
          continue;
        case 'tool-call':
          if (value.providerExecuted) continue;
          return { type: 'tool-call', toolCallId: value.toolCallId, toolName: value.toolName, input: parseToolInput(value.input) };
        case 'finish': {
          const unified = value.finishReason.unified;
          if (unified === 'interrupted' || unified === 'error') {
            throw new ProviderException(
              ErrorCode.ProviderUnavailable,
              `${this.provider}: the answer ended before it was complete`,
              ProviderFailureReason.Interrupted,
              this.provider,
            );
          }
          return {
            type: 'finish',
            finishReason: finishReasonOf(unified),
            usage: { inputTokens: value.usage.inputTokens.total ?? 0, outputTokens: value.usage.outputTokens.total ?? 0 },
          };
        }
        case 'error':
          throw value.error;
        default:
          continue;
      }
    }
  }

  cancel(): void {
    this.reader.cancel().catch(() => undefined);
  }
}

/** A vendor reached through its AI SDK package (the HTTP and wire format are the package's). */
export class AiSdkProviderAdapter implements ProviderAdapter {
  private readonly chatModels = new Map<string, StreamingLanguageModel>();
  private readonly embeddingModels = new Map<string, TextEmbeddingModel>();

  constructor(
    readonly name: ProviderName,
    private readonly models: AiSdkModels,
    private readonly probeUrl: string,
  ) {}

  private chatModel(model: string): StreamingLanguageModel {
    let instance = this.chatModels.get(model);
    if (!instance) {
      instance = this.models.chat(model);
      this.chatModels.set(model, instance);
    }
    return instance;
  }

  async openChat(request: AdapterChatRequest, signal: AbortSignal): Promise<AdapterStream> {
    const { stream } = await this.chatModel(request.model).doStream({
      prompt: toModelPrompt(request.messages),
      tools: toModelTools(request.tools),
      maxOutputTokens: request.maxOutputTokens,
      temperature: request.temperature,
      abortSignal: signal,
    });
    return new SdkChatStream(this.name, stream.getReader());
  }

  async embed(
    model: string,
    texts: readonly string[],
    signal: AbortSignal,
  ): Promise<{ embeddings: number[][]; inputTokens: number | undefined }> {
    const create = this.models.embedding;
    if (!create) {
      throw new ProviderException(
        ErrorCode.ProviderUnavailable,
        `${this.name} has no embeddings`,
        ProviderFailureReason.Unsupported,
        this.name,
      );
    }
    let instance = this.embeddingModels.get(model);
    if (!instance) {
      instance = create(model);
      this.embeddingModels.set(model, instance);
    }
    const batchSize = (await instance.maxEmbeddingsPerCall) ?? texts.length;
    const embeddings: number[][] = [];
    let inputTokens: number | undefined;
    for (let start = 0; start < texts.length; start += Math.max(1, batchSize)) {
      const result = await instance.doEmbed({ values: texts.slice(start, start + Math.max(1, batchSize)), abortSignal: signal });
      embeddings.push(...result.embeddings);
      if (result.usage) inputTokens = (inputTokens ?? 0) + result.usage.tokens;
    }
    return { embeddings, inputTokens };
  }

  async probe(timeoutMs: number): Promise<boolean> {
    try {
      const response = await fetch(this.probeUrl, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      await response.body?.cancel();
      return true;
    } catch {
      return false;
    }
  }
}
