import type { AppConfig, Secret, SpeechProviderChoice } from '@aegis/config';
import type { ProviderName } from '@aegis/contracts';
import { isConfigured } from '../provider-settings';
import { DEFAULT_BASE_URLS } from '../providers.defaults';

/** The audio formats synthesis asks for; Groq's voices answer in WAV. */
export type SpeechAudioFormat = 'mp3' | 'wav';

/** Models and voices used when SPEECH_PROVIDER / SPEECH_TTS_PROVIDER name a provider without a model. */
export const DEFAULT_SPEECH_MODELS: Partial<
  Record<ProviderName, { transcription?: string; synthesis?: { model: string; voice: string; format: SpeechAudioFormat } }>
> = {
  openai: { transcription: 'whisper-1', synthesis: { model: 'gpt-4o-mini-tts', voice: 'alloy', format: 'mp3' } },
  groq: { transcription: 'whisper-large-v3-turbo', synthesis: { model: 'canopylabs/orpheus-v1-english', voice: 'autumn', format: 'wav' } },
  mistral: { transcription: 'voxtral-mini-latest' },
};

/** Which providers are tried, in order, when SPEECH_PROVIDER / SPEECH_TTS_PROVIDER is not set. */
export const DEFAULT_SPEECH_PROVIDERS: readonly ProviderName[] = ['openai', 'groq'];

/** One provider's OpenAI-compatible audio API, ready to call. */
export interface SpeechEndpoint {
  provider: ProviderName;
  model: string;
  /** The API root that `/audio/transcriptions` and `/audio/speech` hang off, without a trailing slash. */
  baseUrl: string;
  apiKey: Secret | undefined;
}

export interface SynthesisEndpoint extends SpeechEndpoint {
  voice: string;
  format: SpeechAudioFormat;
}

/** A configured direction, or why there is none (shown to the client with SPEECH_UNAVAILABLE). */
export type SpeechChoice<T> = { available: true; endpoint: T } | { available: false; reason: string };

export interface SpeechSettings {
  transcription: SpeechChoice<SpeechEndpoint>;
  synthesis: SpeechChoice<SynthesisEndpoint>;
  /** The largest recording accepted (SPEECH_MAX_MB). */
  maxBytes: number;
  /** How long one whole upstream request may take (PROVIDER_TIMEOUT_MS). */
  timeoutMs: number;
}

export type SpeechConfigSection = Pick<AppConfig, 'speech'> & {
  providers: Pick<AppConfig['providers'], 'apiKeys' | 'baseUrls' | 'timeoutMs'>;
};

const KEY_VARIABLE = (provider: ProviderName): string => `${provider.toUpperCase()}_API_KEY`;

/** Ollama's variable names a server root; an OpenAI-compatible speech server there answers under /v1. */
function speechBaseUrl(providers: SpeechConfigSection['providers'], provider: ProviderName): string {
  // Like the chat adapters' base URL; not imported from there, which would load every vendor SDK.
  const root = (providers.baseUrls[provider] ?? DEFAULT_BASE_URLS[provider]).replace(/\/+$/, '');
  if (provider !== 'ollama') return root;
  const server = root.replace(/\/api$/, '');
  return server.endsWith('/v1') ? server : `${server}/v1`;
}

function choose<T>(
  choice: SpeechProviderChoice,
  variable: 'SPEECH_PROVIDER' | 'SPEECH_TTS_PROVIDER',
  providers: SpeechConfigSection['providers'],
  build: (provider: ProviderName, model: string | undefined) => T | undefined,
): SpeechChoice<T> {
  const what = variable === 'SPEECH_PROVIDER' ? 'Speech transcription' : 'Speech synthesis';
  if (choice === 'none') return { available: false, reason: `${what} is turned off (${variable}=none)` };
  if (choice !== undefined) {
    if (!isConfigured(providers, choice.provider)) {
      return {
        available: false,
        reason: `${what} is not available: ${variable} names ${choice.provider} but ${KEY_VARIABLE(choice.provider)} is not set`,
      };
    }
    const endpoint = build(choice.provider, choice.model);
    return endpoint
      ? { available: true, endpoint }
      : { available: false, reason: `${what} is not available: ${variable} must name a model for ${choice.provider}` };
  }
  for (const provider of DEFAULT_SPEECH_PROVIDERS) {
    if (providers.apiKeys[provider] === undefined) continue;
    const endpoint = build(provider, undefined);
    if (endpoint) return { available: true, endpoint };
  }
  return {
    available: false,
    reason: `${what} is not configured: set OPENAI_API_KEY or GROQ_API_KEY, or ${variable} to a provider (or provider=model) with an OpenAI-compatible audio API`,
  };
}

/** SpeechSettings from AppConfig: the chosen (or first configured of openai, groq) provider for each direction. */
export function resolveSpeechSettings(config: SpeechConfigSection): SpeechSettings {
  const { providers, speech } = config;
  const endpointOf = (provider: ProviderName, model: string): SpeechEndpoint => ({
    provider,
    model,
    baseUrl: speechBaseUrl(providers, provider),
    apiKey: providers.apiKeys[provider],
  });
  return {
    transcription: choose(speech.transcription, 'SPEECH_PROVIDER', providers, (provider, model) => {
      const chosen = model ?? DEFAULT_SPEECH_MODELS[provider]?.transcription;
      return chosen === undefined ? undefined : endpointOf(provider, chosen);
    }),
    synthesis: choose(speech.synthesis, 'SPEECH_TTS_PROVIDER', providers, (provider, model) => {
      const defaults = DEFAULT_SPEECH_MODELS[provider]?.synthesis;
      const chosen = model ?? defaults?.model;
      if (chosen === undefined) return undefined;
      return { ...endpointOf(provider, chosen), voice: speech.voice ?? defaults?.voice ?? 'alloy', format: defaults?.format ?? 'mp3' };
    }),
    maxBytes: speech.maxBytes,
    timeoutMs: providers.timeoutMs,
  };
}
