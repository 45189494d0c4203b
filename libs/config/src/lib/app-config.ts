import { isAbsolute, join, resolve } from 'node:path';
import { type ActionClass, PROVIDER_NAMES, type ProviderName } from '@aegis/contracts';
import type { Environment } from './config.schema';
import type { RateLimit } from './duration';
import { Secret } from './secret';
import type { SpeechProviderChoice } from './speech.config';
import type { TrustProxy } from './trust-proxy';

const PROVIDER_KEY_VARIABLES = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  gemini: 'GEMINI_API_KEY',
  mistral: 'MISTRAL_API_KEY',
  groq: 'GROQ_API_KEY',
  deepseek: 'DEEPSEEK_API_KEY',
  moonshot: 'MOONSHOT_API_KEY',
} as const;

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
    speech: {
      transcription: env.SPEECH_PROVIDER,
      synthesis: env.SPEECH_TTS_PROVIDER,
      voice: env.SPEECH_TTS_VOICE,
      maxBytes: env.SPEECH_MAX_MB * 1024 * 1024,
    },
    logLevel: env.LOG_LEVEL,
    metricsToken: env.METRICS_TOKEN,
  };
}
