import { environmentSchema } from './config.schema';

/** The vendors' `*_BASE_URL` variables (OPENAI_BASE_URL, ANTHROPIC_BASE_URL, …). */
const VENDOR_URL_VARIABLES = Object.keys(environmentSchema.shape).filter((name) => name.endsWith('_BASE_URL'));

/**
 * Removes blank vendor URL variables from the environment. Here a blank one means the vendor's own URL
 * (config.schema.ts), but @ai-sdk/openai and @ai-sdk/anthropic also read their variable themselves, while
 * their module loads, and refuse a blank one, which stopped the server at its first line. An env file that
 * lists every variable (.env.example, compose) leaves them blank, so this runs before any provider module loads.
 */
export function clearBlankVendorUrls(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of VENDOR_URL_VARIABLES) if (env[name]?.trim() === '') delete env[name];
}
