import { z } from 'zod';
import {
  blankToUndefined,
  booleanFlag,
  corsOrigins,
  databaseUrl,
  duration,
  httpUrl,
  integer,
  nameList,
  optionalString,
  providerDefaultPrice,
  providerEmbedding,
  providerModels,
  providerOrder,
  providerPrices,
  raisedClasses,
  rateLimit,
  redisUrl,
  secret,
  trustProxy,
  usd,
} from './config.parsers';
import { SYNTHESIS_PROVIDERS, speechProviderChoice, TRANSCRIPTION_PROVIDERS } from './speech.config';

/** Environment variables whose values are secrets: never echoed in errors, logs or responses. */
export const SENSITIVE_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'ADMIN_PASSWORD',
  'METRICS_TOKEN',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GEMINI_API_KEY',
  'DEEPSEEK_API_KEY',
  'GROQ_API_KEY',
  'MISTRAL_API_KEY',
  'MOONSHOT_API_KEY',
] as const;

/** The environment (README "Configuration"), validated and typed. */
export const environmentSchema = z
  .object({
    NODE_ENV: z.preprocess(blankToUndefined, z.enum(['development', 'test', 'production']).default('development')),
    PORT: integer(3000, 0, 65535),
    HOST: z.preprocess(blankToUndefined, z.string().default('127.0.0.1')),
    DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
    DATABASE_URL: secret(databaseUrl),
    REDIS_URL: secret(redisUrl),
    JWT_SECRET: secret(z.string().min(32, { error: 'must be at least 32 characters' })),
    ACCESS_TOKEN_TTL: duration('15m'),
    REFRESH_TOKEN_TTL: duration('7d'),
    ADMIN_USERNAME: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[a-zA-Z0-9_.-]{3,64}$/, {
          error: 'must be 3 to 64 letters, digits, dots, dashes or underscores',
        })
        .default('admin'),
    ),
    ADMIN_PASSWORD: secret(
      z
        .string()
        .min(12, {
          error: 'must be at least 12 characters (the password policy)',
        })
        .max(256),
    ),
    COOKIE_SECURE: booleanFlag(true),
    REGISTRATION_ENABLED: booleanFlag(false),
    CORS_ORIGINS: corsOrigins,
    TRUST_PROXY: trustProxy,
    EXECUTE_MODE: z.preprocess(blankToUndefined, z.enum(['sandbox', 'direct']).default('sandbox')),
    SANDBOX_DRIVER: z.preprocess(blankToUndefined, z.enum(['docker', 'bwrap', 'auto']).default('auto')),
    ALLOW_DIRECT_FALLBACK: booleanFlag(false),
    SANDBOX_NETWORK: z.preprocess(blankToUndefined, z.enum(['none', 'bridge']).default('none')),
    SANDBOX_CPUS: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'must be a number' }).positive({ error: 'must be above 0' }).max(64).default(0.5),
    ),
    SANDBOX_MEMORY_MB: integer(512, 16, 65536),
    SANDBOX_TIMEOUT_MS: integer(30000, 100, 3_600_000),
    SANDBOX_IMAGE: z.preprocess(blankToUndefined, z.string().default('aegis-sandbox:local')),
    WORKSPACE_DIR: optionalString,
    DOCKER_SOCKET: z.preprocess(blankToUndefined, z.string().default('/var/run/docker.sock')),
    DOCKER_CONTAINER_ALLOWLIST: nameList(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'a container name'),
    SYSTEMD_UNIT_ALLOWLIST: nameList(/^[A-Za-z0-9_.@:\\][A-Za-z0-9_.@:\\-]{0,254}$/, 'a systemd unit name such as nginx.service'),
    APT_TOOLS_ENABLED: booleanFlag(false),
    VERIFY_REQUIRED: booleanFlag(true),
    GOVERNANCE_FOUR_EYES: booleanFlag(false),
    GOVERNANCE_RAISE_CLASSES: raisedClasses,
    APPROVAL_TTL: duration('1h'),
    CONFIRMATION_TTL: duration('5m'),
    PROVIDER_ORDER: providerOrder,
    OPENAI_API_KEY: secret(),
    ANTHROPIC_API_KEY: secret(),
    GEMINI_API_KEY: secret(),
    DEEPSEEK_API_KEY: secret(),
    GROQ_API_KEY: secret(),
    MISTRAL_API_KEY: secret(),
    MOONSHOT_API_KEY: secret(),
    OPENAI_BASE_URL: httpUrl,
    ANTHROPIC_BASE_URL: httpUrl,
    GEMINI_BASE_URL: httpUrl,
    DEEPSEEK_BASE_URL: httpUrl,
    GROQ_BASE_URL: httpUrl,
    MISTRAL_BASE_URL: httpUrl,
    MOONSHOT_BASE_URL: httpUrl,
    OLLAMA_BASE_URL: httpUrl,
    PROVIDER_MODELS: providerModels,
    PROVIDER_EMBEDDING: providerEmbedding,
    PROVIDER_PRICES: providerPrices,
    PROVIDER_DEFAULT_PRICE: providerDefaultPrice,
    PROVIDER_BUDGET_USER_USD: usd,
    PROVIDER_BUDGET_GLOBAL_USD: usd,
    PROVIDER_BUDGET_PERIOD: z.preprocess(blankToUndefined, z.enum(['day', 'month']).default('month')),
    PROVIDER_BUDGET_MODE: z.preprocess(blankToUndefined, z.enum(['enforce', 'warn']).default('enforce')),
    PROVIDER_TIMEOUT_MS: integer(30_000, 1_000, 600_000),
    PROVIDER_RETRIES: integer(2, 0, 10),
    PROVIDER_RETRY_DEADLINE_MS: integer(10_000, 0, 600_000),
    PROVIDER_CIRCUIT_THRESHOLD: integer(5, 1, 100),
    PROVIDER_CIRCUIT_HALF_OPEN_MS: integer(30_000, 1_000, 3_600_000),
    RATE_LIMIT_LOGIN: rateLimit('5/60'),
    RATE_LIMIT_LOGIN_IP: rateLimit('20/60'),
    RATE_LIMIT_CHAT: rateLimit('20/60'),
    RATE_LIMIT_TOOLS: rateLimit('10/60'),
    CHAT_MAX_CONCURRENT_RUNS: integer(2, 1, 100),
    UPLOAD_MAX_MB: integer(20, 1, 1024),
    UPLOAD_QUOTA_MB: integer(500, 1, 1_048_576),
    UPLOAD_PDF_MAX_PAGES: integer(200, 1, 100_000),
    UPLOAD_PDF_TIMEOUT_MS: integer(15_000, 100, 600_000),
    SPEECH_PROVIDER: speechProviderChoice(TRANSCRIPTION_PROVIDERS),
    SPEECH_TTS_PROVIDER: speechProviderChoice(SYNTHESIS_PROVIDERS),
    SPEECH_TTS_VOICE: optionalString,
    SPEECH_MAX_MB: integer(25, 1, 200),
    LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    METRICS_TOKEN: secret(z.string().min(16, { error: 'must be at least 16 characters' })),
    WEB_DIR: optionalString,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.EXECUTE_MODE === 'direct') {
      ctx.addIssue({
        code: 'custom',
        path: ['EXECUTE_MODE'],
        message: "'direct' is refused when NODE_ENV=production",
      });
    }
    if (env.ALLOW_DIRECT_FALLBACK) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOW_DIRECT_FALLBACK'],
        message: "'true' is refused when NODE_ENV=production",
      });
    }
  });

export type Environment = z.output<typeof environmentSchema>;
