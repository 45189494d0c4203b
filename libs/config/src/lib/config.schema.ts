import { isAbsolute, join, resolve } from 'node:path';
import { ACTION_CLASSES, type ActionClass, isProviderName, PROVIDER_NAMES, type ProviderName } from '@aegis/contracts';
import { z } from 'zod';
import { parseDurationSeconds, parseRateLimit, type RateLimit } from './duration';
import { Secret } from './secret';
import { SYNTHESIS_PROVIDERS, speechProviderChoice, type SpeechProviderChoice, TRANSCRIPTION_PROVIDERS } from './speech.config';
import { parseTrustProxy, type TrustProxy } from './trust-proxy';

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

const PROVIDER_KEY_VARIABLES = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  gemini: 'GEMINI_API_KEY',
  mistral: 'MISTRAL_API_KEY',
  groq: 'GROQ_API_KEY',
  deepseek: 'DEEPSEEK_API_KEY',
  moonshot: 'MOONSHOT_API_KEY',
} as const;

const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const optionalString = z.preprocess(blankToUndefined, z.string().optional());
const secret = (check: z.ZodString = z.string()) =>
  z.preprocess(blankToUndefined, check.optional()).transform((value) => (value === undefined ? undefined : new Secret(value)));

const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
  );

const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(fallback),
  );

const duration = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const seconds = parseDurationSeconds(text);
        if (seconds === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be a duration such as 30s, 15m, 12h or 7d',
          });
          return z.NEVER;
        }
        return seconds;
      }),
  );

const rateLimit = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(fallback)
      .transform((text, ctx): RateLimit => {
        const parsed = parseRateLimit(text);
        if (!parsed) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be count/seconds, e.g. 5/60',
          });
          return z.NEVER;
        }
        return parsed;
      }),
  );

const usd = z.preprocess(
  blankToUndefined,
  z.coerce.number({ error: 'must be a number' }).positive({ error: 'must be above 0' }).optional(),
);

const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const providerModels = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('')
    .transform((text, ctx): Partial<Record<ProviderName, string>> => {
      const models: Partial<Record<ProviderName, string>> = {};
      for (const entry of commaList(text)) {
        const [provider = '', model = ''] = entry.split('=').map((part) => part.trim());
        if (!isProviderName(provider) || model === '') {
          ctx.addIssue({
            code: 'custom',
            message: `'${entry}' is not provider=model with a provider of ${PROVIDER_NAMES.join(', ')}`,
          });
        } else {
          models[provider] = model;
        }
      }
      return models;
    }),
);

const providerEmbedding = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((text, ctx): { provider: ProviderName; model?: string } | undefined => {
      if (text === undefined) return undefined;
      const [provider = '', model = ''] = text.split('=').map((part) => part.trim());
      if (!isProviderName(provider)) {
        ctx.addIssue({
          code: 'custom',
          message: `'${text}' is not provider or provider=model with a provider of ${PROVIDER_NAMES.join(', ')}`,
        });
        return z.NEVER;
      }
      return model === '' ? { provider } : { provider, model };
    }),
);

const providerPrices = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('')
    .transform((text, ctx): Record<string, { inputPerMillion: number; outputPerMillion: number }> => {
      const prices: Record<string, { inputPerMillion: number; outputPerMillion: number }> = {};
      for (const entry of commaList(text)) {
        const match = /^([a-z]+)\/(.+)=(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(entry);
        if (!match || !isProviderName(match[1])) {
          ctx.addIssue({
            code: 'custom',
            message: `'${entry}' is not provider/model=input/output (USD per million tokens)`,
          });
        } else {
          prices[`${match[1]}/${match[2]}`] = {
            inputPerMillion: Number(match[3]),
            outputPerMillion: Number(match[4]),
          };
        }
      }
      return prices;
    }),
);

/** PROVIDER_DEFAULT_PRICE: `input/output` USD per million tokens for models the price table does not know. */
const providerDefaultPrice = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^\d+(?:\.\d+)?\/\d+(?:\.\d+)?$/, { error: 'must be input/output in USD per million tokens, e.g. 2/8' })
    .transform((text) => {
      const [input, output] = text.split('/').map(Number);
      return { inputPerMillion: input, outputPerMillion: output };
    })
    .optional(),
);

/** A comma list of names, each matching `pattern`; duplicates dropped. */
const nameList = (pattern: RegExp, what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('')
      .transform((text, ctx) => {
        const names = [
          ...new Set(
            text
              .split(',')
              .map((name) => name.trim())
              .filter((name) => name.length > 0),
          ),
        ];
        for (const name of names)
          if (!pattern.test(name))
            ctx.addIssue({
              code: 'custom',
              message: `'${name}' is not ${what}`,
            });
        return names;
      }),
  );

/** `tool=CLASS` pairs: tools whose every call is at least that class (docs/governance.md "Raising a tool's class"). */
const raisedClasses = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      const raised: Record<string, ActionClass> = {};
      for (const pair of text.split(',').map((part) => part.trim()).filter((part) => part.length > 0)) {
        const match = /^([a-z][a-z0-9_]{0,63})=([A-Za-z]+)$/.exec(pair);
        const actionClass = match?.[2].toUpperCase() as ActionClass | undefined;
        if (!match || !actionClass || !ACTION_CLASSES.includes(actionClass)) {
          ctx.addIssue({ code: 'custom', message: `'${pair}' is not tool=CLASS with a class among ${ACTION_CLASSES.join(', ')}` });
          continue;
        }
        raised[match[1]] = actionClass;
      }
      return raised;
    }),
);

const databaseUrl = z.string().refine((text) => /^postgres(ql)?:\/\/.+/.test(text), {
  error: 'must be a postgres:// or postgresql:// URL',
});
const redisUrl = z.string().refine((text) => /^rediss?:\/\/.+/.test(text), {
  error: 'must be a redis:// or rediss:// URL',
});
const httpUrl = z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional());

const corsOrigins = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      const origins = text
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0);
      for (const origin of origins) {
        if (origin === '*') {
          ctx.addIssue({
            code: 'custom',
            message: "'*' is refused: list the allowed origins",
          });
        } else if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
          ctx.addIssue({
            code: 'custom',
            message: `'${origin}' is not an origin like https://aegis.example.com`,
          });
        }
      }
      return origins;
    }),
);

const trustProxy = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((text, ctx): TrustProxy => {
      const parsed = parseTrustProxy(text);
      if ('value' in parsed) return parsed.value;
      for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }),
);

const providerOrder = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('ollama')
    .transform((text, ctx): ProviderName[] => {
      const names = text.split(',').map((name) => name.trim().toLowerCase());
      const unknown = names.filter((name) => !isProviderName(name));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown provider ${unknown.map((n) => `'${n}'`).join(', ')}; known: ${PROVIDER_NAMES.join(', ')}`,
        });
        return z.NEVER;
      }
      return [...new Set(names.filter(isProviderName))];
    }),
);

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

/** Everything the server needs to know, resolved from the environment (paths absolute). */
export interface AppConfig {
  nodeEnv: Environment['NODE_ENV'];
  port: number;
  host: string;
  dataDir: string;
  workspaceDir: string;
  webDir: string | undefined;
  databaseUrl: Secret | undefined;
  redisUrl: Secret | undefined;
  /** Undefined until `resolveGeneratedSecrets` reads or creates it under DATA_DIR. */
  jwtSecret: Secret | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  admin: { username: string; password: Secret | undefined };
  /** Session cookies carry `Secure` (browsers accept it on http://localhost too); false only behind plain-HTTP LANs. */
  cookieSecure: boolean;
  registrationEnabled: boolean;
  corsOrigins: string[];
  /** Which peers' X-Forwarded-For names the client (login limits, audit, logs); off by default. */
  trustProxy: TrustProxy;
  executor: {
    mode: Environment['EXECUTE_MODE'];
    driver: Environment['SANDBOX_DRIVER'];
    allowDirectFallback: boolean;
    network: Environment['SANDBOX_NETWORK'];
    cpus: number;
    memoryMb: number;
    timeoutMs: number;
    image: string;
  };
  /** The Docker daemon's unix socket, for the docker sandbox driver and the docker tools. */
  dockerSocketPath: string;
  tools: {
    containerAllowlist: string[];
    systemdUnitAllowlist: string[];
    aptEnabled: boolean;
  };
  governance: {
    verifyRequired: boolean;
    fourEyes: boolean;
    /** Tools whose every call is at least this class (never lowered). */
    raisedClasses: Readonly<Record<string, ActionClass>>;
    /** How long a CRITICAL action's approval request stays pending before it expires. */
    approvalTtlSeconds: number;
    /** How long the chatting user has to confirm an agent's SENSITIVE action before it is not run. */
    confirmationTtlSeconds: number;
  };
  providers: {
    order: ProviderName[];
    apiKeys: Partial<Record<ProviderName, Secret>>;
    baseUrls: Partial<Record<ProviderName, string>>;
    models: Partial<Record<ProviderName, string>>;
    embedding: { provider: ProviderName; model?: string } | undefined;
    prices: Record<string, { inputPerMillion: number; outputPerMillion: number }>;
    /** The price of models the table does not know; without it such a model is refused while a budget is enforced. */
    defaultPrice: { inputPerMillion: number; outputPerMillion: number } | undefined;
    budget: {
      userUsd: number | undefined;
      globalUsd: number | undefined;
      period: 'day' | 'month';
      mode: 'enforce' | 'warn';
    };
    timeoutMs: number;
    retries: number;
    retryDeadlineMs: number;
    circuitThreshold: number;
    circuitHalfOpenMs: number;
  };
  rateLimits: {
    login: RateLimit;
    loginIp: RateLimit;
    chat: RateLimit;
    tools: RateLimit;
  };
  /** Agent runs one user may have going at once, over all their sockets. */
  chatMaxConcurrentRuns: number;
  uploadMaxBytes: number;
  /** The most bytes one user's uploads may add up to (each upload counts for its owner, even when its content is stored once). */
  uploadQuotaBytes: number;
  /** How much of a PDF is read for the agent: pages, and wall-clock time of the parse. */
  uploadPdf: { maxPages: number; timeoutMs: number };
  /** Speech in and out (docs/providers.md "Speech"): which provider transcribes and which speaks, the voice, the largest recording. */
  speech: { transcription: SpeechProviderChoice; synthesis: SpeechProviderChoice; voice: string | undefined; maxBytes: number };
  logLevel: Environment['LOG_LEVEL'];
  metricsToken: Secret | undefined;
}

export function toAppConfig(env: Environment, cwd: string): AppConfig {
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  const dataDir = absolute(env.DATA_DIR);
  const apiKeys: Partial<Record<ProviderName, Secret>> = {};
  for (const [provider, variable] of Object.entries(PROVIDER_KEY_VARIABLES) as [ProviderName, keyof Environment][]) {
    const key = env[variable];
    if (key instanceof Secret) apiKeys[provider] = key;
  }
  const baseUrls: Partial<Record<ProviderName, string>> = {};
  for (const provider of PROVIDER_NAMES) {
    const url = env[`${provider.toUpperCase()}_BASE_URL` as keyof Environment];
    if (typeof url === 'string') baseUrls[provider] = url;
  }
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    dataDir,
    workspaceDir: env.WORKSPACE_DIR ? absolute(env.WORKSPACE_DIR) : join(dataDir, 'workspace'),
    webDir: env.WEB_DIR ? absolute(env.WEB_DIR) : undefined,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    jwtSecret: env.JWT_SECRET,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL,
    admin: { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD },
    cookieSecure: env.COOKIE_SECURE,
    registrationEnabled: env.REGISTRATION_ENABLED,
    corsOrigins: env.CORS_ORIGINS,
    trustProxy: env.TRUST_PROXY,
    executor: {
      mode: env.EXECUTE_MODE,
      driver: env.SANDBOX_DRIVER,
      allowDirectFallback: env.ALLOW_DIRECT_FALLBACK,
      network: env.SANDBOX_NETWORK,
      cpus: env.SANDBOX_CPUS,
      memoryMb: env.SANDBOX_MEMORY_MB,
      timeoutMs: env.SANDBOX_TIMEOUT_MS,
      image: env.SANDBOX_IMAGE,
    },
    dockerSocketPath: env.DOCKER_SOCKET,
    tools: {
      containerAllowlist: env.DOCKER_CONTAINER_ALLOWLIST,
      systemdUnitAllowlist: env.SYSTEMD_UNIT_ALLOWLIST,
      aptEnabled: env.APT_TOOLS_ENABLED,
    },
    governance: {
      verifyRequired: env.VERIFY_REQUIRED,
      fourEyes: env.GOVERNANCE_FOUR_EYES,
      raisedClasses: env.GOVERNANCE_RAISE_CLASSES,
      approvalTtlSeconds: env.APPROVAL_TTL,
      confirmationTtlSeconds: env.CONFIRMATION_TTL,
    },
    providers: {
      order: env.PROVIDER_ORDER,
      apiKeys,
      baseUrls,
      models: env.PROVIDER_MODELS,
      embedding: env.PROVIDER_EMBEDDING,
      prices: env.PROVIDER_PRICES,
      defaultPrice: env.PROVIDER_DEFAULT_PRICE,
      budget: {
        userUsd: env.PROVIDER_BUDGET_USER_USD,
        globalUsd: env.PROVIDER_BUDGET_GLOBAL_USD,
        period: env.PROVIDER_BUDGET_PERIOD,
        mode: env.PROVIDER_BUDGET_MODE,
      },
      timeoutMs: env.PROVIDER_TIMEOUT_MS,
      retries: env.PROVIDER_RETRIES,
      retryDeadlineMs: env.PROVIDER_RETRY_DEADLINE_MS,
      circuitThreshold: env.PROVIDER_CIRCUIT_THRESHOLD,
      circuitHalfOpenMs: env.PROVIDER_CIRCUIT_HALF_OPEN_MS,
    },
    rateLimits: {
      login: env.RATE_LIMIT_LOGIN,
      loginIp: env.RATE_LIMIT_LOGIN_IP,
      chat: env.RATE_LIMIT_CHAT,
      tools: env.RATE_LIMIT_TOOLS,
    },
    chatMaxConcurrentRuns: env.CHAT_MAX_CONCURRENT_RUNS,
    uploadMaxBytes: env.UPLOAD_MAX_MB * 1024 * 1024,
    uploadQuotaBytes: env.UPLOAD_QUOTA_MB * 1024 * 1024,
    uploadPdf: { maxPages: env.UPLOAD_PDF_MAX_PAGES, timeoutMs: env.UPLOAD_PDF_TIMEOUT_MS },
    speech: { transcription: env.SPEECH_PROVIDER, synthesis: env.SPEECH_TTS_PROVIDER, voice: env.SPEECH_TTS_VOICE, maxBytes: env.SPEECH_MAX_MB * 1024 * 1024 },
    logLevel: env.LOG_LEVEL,
    metricsToken: env.METRICS_TOKEN,
  };
}
