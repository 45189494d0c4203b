/** The LLM vendors Aegis can talk to; PROVIDER_ORDER lists some of these. */
export const PROVIDER_NAMES = ['openai', 'anthropic', 'gemini', 'mistral', 'groq', 'deepseek', 'moonshot', 'ollama'] as const;

export type ProviderName = (typeof PROVIDER_NAMES)[number];

export function isProviderName(value: string): value is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(value);
}
