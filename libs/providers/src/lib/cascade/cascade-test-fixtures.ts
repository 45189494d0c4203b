import { Secret } from '@aegis/config';
import type { ProviderName } from '@aegis/contracts';
import type { AdapterChatRequest, AdapterPart, AdapterStream, ProviderAdapter } from '../adapters/provider-adapter';
import type { ProviderStreamEvent } from '../provider.types';
import { resolveProviderSettings, type ProviderSettings } from '../provider-settings';
import { InMemoryUsageStore } from '../usage/usage-store';
import { ProviderCascade } from './provider-cascade';

// Stand-ins for the cascade's unit tests (provider-cascade.spec.ts, cascade-budgets.spec.ts): scripted providers, settings, a log.

/** What one attempt of a scripted provider does. */
type Step =
  | { status: number; message?: string; retryAfter?: string }
  | { connectionRefused: true }
  | { hang: true }
  | { parts: AdapterPart[]; failAfter?: number; failWith?: Error; partDelayMs?: number; stallAfter?: number };

const apiError = (status: number, message = 'upstream error', headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), { name: 'AI_APICallError', statusCode: status, responseHeaders: headers });

export const answer = (text: string[], usage = { inputTokens: 100, outputTokens: 50 }): Step => ({
  parts: [...text.map((piece): AdapterPart => ({ type: 'text-delta', text: piece })), { type: 'finish', finishReason: 'stop', usage }],
});

const untilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(new Error('aborted', { cause: signal.reason })), { once: true }),
  );

/** A provider that follows a script, one step per attempt, and remembers what it was asked. */
export class ScriptedAdapter implements ProviderAdapter {
  readonly requests: AdapterChatRequest[] = [];
  readonly embedCalls: string[][] = [];

  constructor(
    readonly name: ProviderName,
    private readonly steps: Step[],
    private readonly fallback?: Step,
  ) {}

  openChat(request: AdapterChatRequest, signal: AbortSignal): Promise<AdapterStream> {
    this.requests.push(request);
    const step = this.steps.shift() ?? this.fallback;
    if (!step) return Promise.reject(new Error(`${this.name}: nothing scripted`));
    if ('status' in step)
      return Promise.reject(apiError(step.status, step.message, step.retryAfter ? { 'retry-after': step.retryAfter } : {}));
    if ('connectionRefused' in step)
      return Promise.reject(Object.assign(new Error('Cannot connect to API: connect ECONNREFUSED'), { name: 'AI_APICallError' }));
    if ('hang' in step) return untilAborted(signal);
    const parts = [...step.parts];
    let given = 0;
    return Promise.resolve({
      next: () => {
        if (signal.aborted) return Promise.reject(signal.reason as Error);
        if (step.failAfter !== undefined && given >= step.failAfter) return Promise.reject(step.failWith ?? new TypeError('terminated'));
        if (step.stallAfter !== undefined && given >= step.stallAfter) return untilAborted(signal);
        given++;
        const part = parts.shift();
        if (!step.partDelayMs) return Promise.resolve(part);
        return new Promise((resolve) => setTimeout(() => resolve(part), step.partDelayMs));
      },
      cancel: () => undefined,
    });
  }

  embed(_model: string, texts: readonly string[]): Promise<{ embeddings: number[][]; inputTokens: number | undefined }> {
    this.embedCalls.push([...texts]);
    const step = this.steps.shift() ?? this.fallback;
    if (step && 'status' in step) return Promise.reject(apiError(step.status));
    return Promise.resolve({ embeddings: texts.map(() => [0.1, 0.2]), inputTokens: texts.length * 3 });
  }

  probe(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

export const KEYS = { openai: 'sk-unit-test-openai-key-0001', anthropic: 'sk-ant-unit-test-key-0002' };

export function settingsWith(overrides: Partial<ProviderSettings> = {}, order: ProviderName[] = ['openai', 'anthropic']): ProviderSettings {
  const base = resolveProviderSettings({
    order,
    apiKeys: { openai: new Secret(KEYS.openai), anthropic: new Secret(KEYS.anthropic) },
    baseUrls: {},
  });
  return {
    ...base,
    resilience: {
      ...base.resilience,
      retries: 2,
      retryInitialDelayMs: 1,
      retryMaxDelayMs: 5,
      retryDeadlineMs: 5_000,
      circuitThreshold: 3,
      circuitHalfOpenMs: 60_000,
      firstTokenTimeoutMs: 2_000,
    },
    ...overrides,
  };
}

class CapturingLogger {
  readonly lines: string[] = [];
  log = (message: unknown) => void this.lines.push(String(message));
  warn = (message: unknown) => void this.lines.push(String(message));
  error = (message: unknown) => void this.lines.push(String(message));
}

export async function collect(events: AsyncIterable<ProviderStreamEvent>): Promise<ProviderStreamEvent[]> {
  const out: ProviderStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

export const textOf = (events: ProviderStreamEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
export const USER = '5b0c6f0e-6c1f-4c8b-9d59-0c0d3a1b2c3d';
export const request = { messages: [{ role: 'user' as const, content: 'hello' }], userId: USER };

export function cascadeOf(
  adapters: ScriptedAdapter[],
  settings = settingsWith(),
  store = new InMemoryUsageStore(),
  logger = new CapturingLogger(),
) {
  const cascade = new ProviderCascade(settings, new Map(adapters.map((adapter) => [adapter.name, adapter])), store, { logger });
  return { cascade, store, logger };
}
