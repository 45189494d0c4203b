import { createAnthropic } from '@ai-sdk/anthropic';
import { createDeepSeek } from '@ai-sdk/deepseek';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createGroq } from '@ai-sdk/groq';
import { createMistral } from '@ai-sdk/mistral';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { PROVIDER_NAMES, type ProviderName } from '@aegis/contracts';
import { createOllama } from 'ollama-ai-provider-v2';
import { isConfigured, type ProviderSettings } from '../provider-settings';
import { DEFAULT_BASE_URLS } from '../providers.defaults';
import { AiSdkProviderAdapter, type AiSdkModels } from './ai-sdk-adapter';
import type { ProviderAdapter } from './provider-adapter';

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/** OLLAMA_BASE_URL is a server root (`http://host:11434`) like OLLAMA_HOST; the API lives under /api. */
export function ollamaApiUrl(baseUrl: string): string {
  const root = withoutTrailingSlash(baseUrl);
  return root.endsWith('/api') ? root : `${root}/api`;
}

export function baseUrlOf(settings: Pick<ProviderSettings, 'baseUrls'>, provider: ProviderName): string {
  return withoutTrailingSlash(settings.baseUrls[provider] ?? DEFAULT_BASE_URLS[provider]);
}

function modelsFor(provider: ProviderName, apiKey: string, baseURL: string): AiSdkModels {
  switch (provider) {
    case 'openai': {
      const sdk = createOpenAI({ apiKey, baseURL });
      // Chat Completions, not the Responses API: the protocol every OpenAI-compatible server speaks.
      return { chat: (model) => sdk.chat(model), embedding: (model) => sdk.embedding(model) };
    }
    case 'anthropic': {
      const sdk = createAnthropic({ apiKey, baseURL });
      return { chat: (model) => sdk.messages(model) };
    }
    case 'gemini': {
      const sdk = createGoogleGenerativeAI({ apiKey, baseURL });
      return { chat: (model) => sdk.chat(model), embedding: (model) => sdk.embedding(model) };
    }
    case 'mistral': {
      const sdk = createMistral({ apiKey, baseURL });
      return { chat: (model) => sdk.chat(model), embedding: (model) => sdk.embedding(model) };
    }
    case 'groq': {
      const sdk = createGroq({ apiKey, baseURL });
      return { chat: (model) => sdk.languageModel(model) };
    }
    case 'deepseek': {
      const sdk = createDeepSeek({ apiKey, baseURL });
      return { chat: (model) => sdk.chat(model) };
    }
    case 'moonshot': {
      const sdk = createOpenAICompatible({ name: 'moonshot', apiKey, baseURL, includeUsage: true });
      return { chat: (model) => sdk.chatModel(model) };
    }
    case 'ollama': {
      const sdk = createOllama({ baseURL: ollamaApiUrl(baseURL) });
      return { chat: (model) => sdk.chat(model), embedding: (model) => sdk.embedding(model) };
    }
  }
}

/** One adapter per configured provider (a key, or Ollama), each on its configured base URL. */
export function createProviderAdapters(settings: Pick<ProviderSettings, 'apiKeys' | 'baseUrls'>): Map<ProviderName, ProviderAdapter> {
  const adapters = new Map<ProviderName, ProviderAdapter>();
  for (const provider of PROVIDER_NAMES) {
    if (!isConfigured(settings, provider)) continue;
    const baseUrl = baseUrlOf(settings, provider);
    const apiKey = settings.apiKeys[provider]?.reveal() ?? '';
    adapters.set(provider, new AiSdkProviderAdapter(provider, modelsFor(provider, apiKey, baseUrl), baseUrl));
  }
  return adapters;
}
