import { Secret } from '@aegis/config';
import { isConfigured, resolveProviderSettings } from './provider-settings';
import { DEFAULT_RESILIENCE } from './providers.defaults';

describe('resolveProviderSettings', () => {
  const providers = { order: ['anthropic' as const, 'ollama' as const], apiKeys: { anthropic: new Secret('sk-ant-x') }, baseUrls: {} };

  it('falls back to the defaults for everything config does not carry yet', () => {
    const settings = resolveProviderSettings(providers);
    expect(settings.chatModels).toMatchObject({ anthropic: 'claude-sonnet-4-5', ollama: 'llama3.2' });
    // Anthropic cannot embed, so the first provider of the order that can is used.
    expect(settings.embedding).toEqual({ provider: 'ollama', model: 'nomic-embed-text' });
    expect(settings.budget).toMatchObject({ userMicroDollars: undefined, globalMicroDollars: undefined, period: 'month', mode: 'enforce' });
    expect(settings.resilience).toMatchObject({
      retries: DEFAULT_RESILIENCE.retries,
      circuitThreshold: DEFAULT_RESILIENCE.circuitThreshold,
    });
  });

  it('takes the provider variables from config once it has them', () => {
    const settings = resolveProviderSettings({
      ...providers,
      models: { anthropic: 'claude-haiku-4-5' },
      embedding: { provider: 'ollama', model: 'mxbai-embed-large' },
      prices: { 'anthropic/claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 } },
      budget: { userUsd: 2.5, globalUsd: 100, period: 'day', mode: 'warn' },
      timeoutMs: 5_000,
      retries: 1,
      retryDeadlineMs: 3_000,
      circuitThreshold: 2,
      circuitHalfOpenMs: 10_000,
    });
    expect(settings.chatModels.anthropic).toBe('claude-haiku-4-5');
    expect(settings.embedding).toEqual({ provider: 'ollama', model: 'mxbai-embed-large' });
    expect(settings.budget).toMatchObject({ userMicroDollars: 2_500_000, globalMicroDollars: 100_000_000, period: 'day', mode: 'warn' });
    expect(settings.resilience).toMatchObject({
      firstTokenTimeoutMs: 5_000,
      retries: 1,
      retryDeadlineMs: 3_000,
      circuitThreshold: 2,
      circuitHalfOpenMs: 10_000,
    });
  });

  it('counts a provider as configured with a key, and Ollama always', () => {
    expect(isConfigured(providers, 'anthropic')).toBe(true);
    expect(isConfigured(providers, 'openai')).toBe(false);
    expect(isConfigured(providers, 'ollama')).toBe(true);
  });
});
