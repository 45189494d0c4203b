import type { ProviderName } from '@aegis/contracts';
import { z } from 'zod';

/** The providers whose API has OpenAI's `/audio/transcriptions` (Ollama: an OpenAI-compatible server at OLLAMA_BASE_URL/v1). */
export const TRANSCRIPTION_PROVIDERS = ['openai', 'groq', 'mistral', 'ollama'] as const satisfies readonly ProviderName[];
/** The providers whose API has OpenAI's `/audio/speech`. */
export const SYNTHESIS_PROVIDERS = ['openai', 'groq', 'ollama'] as const satisfies readonly ProviderName[];

/**
 * SPEECH_PROVIDER / SPEECH_TTS_PROVIDER: `none` turns the feature off; a provider (or
 * provider=model) picks one; unset means the first of openai, groq that has a key.
 */
export type SpeechProviderChoice = { provider: ProviderName; model?: string } | 'none' | undefined;

/** `provider`, `provider=model` or `none`, with a provider of `allowed`; like PROVIDER_EMBEDDING. */
export function speechProviderChoice(allowed: readonly ProviderName[]) {
  return z.preprocess(
    (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .string()
      .optional()
      .transform((text, ctx): SpeechProviderChoice => {
        if (text === undefined) return undefined;
        if (text.trim().toLowerCase() === 'none') return 'none';
        const separator = text.indexOf('=');
        const provider = (separator === -1 ? text : text.slice(0, separator)).trim().toLowerCase();
        const model = separator === -1 ? '' : text.slice(separator + 1).trim();
        const known = allowed.find((name) => name === provider);
        if (!known) {
          ctx.addIssue({
            code: 'custom',
            message: `'${text}' is not none, provider or provider=model with a provider of ${allowed.join(', ')}`,
          });
          return z.NEVER;
        }
        if (known === 'ollama' && model === '') {
          ctx.addIssue({
            code: 'custom',
            message: `'${text}' needs a model: ollama=<model> (the model your OpenAI-compatible speech server serves)`,
          });
          return z.NEVER;
        }
        return model === '' ? { provider: known } : { provider: known, model };
      }),
  );
}
