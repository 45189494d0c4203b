import {
  type AppConfig,
  type Environment,
  type RateLimit,
  Secret,
  SENSITIVE_VARIABLES,
  type SpeechProviderChoice,
  type TrustProxy,
} from '@aegis/config';
import { maskKey } from '@aegis/providers';

/** One configuration variable as GET /api/system shows it. */
export interface ConfigEntry {
  key: string;
  /** The effective value as text; a secret's value is masked or withheld; null when unset. */
  value: string | null;
  /** One of the variables marked sensitive in libs/config: never shown in full. */
  secret: boolean;
  /** Whether it has a value (for a secret: whether it is set at all). */
  set: boolean;
}

type Shown = string | number | boolean | string[] | null | undefined;

const MASK = '****';
const SENSITIVE = new Set<string>(SENSITIVE_VARIABLES);
const SENSITIVE_PARAMETER = /pass|secret|token|key|auth/i;

/**
 * A URL with its password and any password-like query value replaced by `****`; a text that is not
 * a URL is withheld whole (it could be anything).
 */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return MASK;
  }
  const parameters = [...url.searchParams.keys()].filter((name) => SENSITIVE_PARAMETER.test(name));
  if (!url.password && parameters.length === 0) return text;
  if (url.password) url.password = MASK;
  for (const name of parameters) url.searchParams.set(name, MASK);
  // URL encodes the mask's asterisks; show them as typed.
  return url.toString().replaceAll('%2A', '*');
}

const seconds = (value: number) => `${value}s`;
const rate = (value: RateLimit) => `${value.limit}/${value.ttlSeconds}`;
const megabytes = (bytes: number) => String(Math.round(bytes / (1024 * 1024)));
const providerChoice = (choice: SpeechProviderChoice | { provider: string; model?: string }) =>
  choice === undefined ? null : choice === 'none' ? 'none' : choice.model ? `${choice.provider}=${choice.model}` : choice.provider;
const pairs = (record: Partial<Record<string, string>>) =>
  Object.entries(record)
    .map(([name, value]) => `${name}=${value ?? ''}`)
    .join(',');

function trustProxy(value: TrustProxy): string | null {
  switch (value.mode) {
    case 'off':
      return null;
    case 'hops':
      return String(value.hops);
    case 'ranges':
      return value.ranges.map((range) => `${range.address}/${range.prefix}`).join(',');
  }
}

/** How a secret is shown: provider keys as GET /api/providers masks them, URLs without their password, anything else not at all. */
function maskSecret(key: string, secret: Secret | undefined): string | null {
  if (!secret) return null;
  if (key.endsWith('_API_KEY')) return maskKey(secret.reveal());
  if (key.endsWith('_URL')) return maskUrl(secret.reveal());
  return null;
}

/**
 * Every variable of the environment schema and where its effective value is in AppConfig: the
 * `Record` over `keyof Environment` makes a new variable a compile error until it is listed here.
 */
const VALUES: { [Key in keyof Environment]: (config: AppConfig) => Shown | Secret } = {
  NODE_ENV: (c) => c.nodeEnv,
  PORT: (c) => c.port,
  HOST: (c) => c.host,
  DATA_DIR: (c) => c.dataDir,
  DATABASE_URL: (c) => c.databaseUrl,
  REDIS_URL: (c) => c.redisUrl,
  JWT_SECRET: (c) => c.jwtSecret,
  ACCESS_TOKEN_TTL: (c) => seconds(c.accessTokenTtlSeconds),
  REFRESH_TOKEN_TTL: (c) => seconds(c.refreshTokenTtlSeconds),
  ADMIN_USERNAME: (c) => c.admin.username,
  ADMIN_PASSWORD: (c) => c.admin.password,
  COOKIE_SECURE: (c) => c.cookieSecure,
  REGISTRATION_ENABLED: (c) => c.registrationEnabled,
  CORS_ORIGINS: (c) => c.corsOrigins,
  TRUST_PROXY: (c) => trustProxy(c.trustProxy),
  EXECUTE_MODE: (c) => c.executor.mode,
  SANDBOX_DRIVER: (c) => c.executor.driver,
  ALLOW_DIRECT_FALLBACK: (c) => c.executor.allowDirectFallback,
  SANDBOX_NETWORK: (c) => c.executor.network,
  SANDBOX_CPUS: (c) => c.executor.cpus,
  SANDBOX_MEMORY_MB: (c) => c.executor.memoryMb,
  SANDBOX_TIMEOUT_MS: (c) => c.executor.timeoutMs,
  SANDBOX_IMAGE: (c) => c.executor.image,
  WORKSPACE_DIR: (c) => c.workspaceDir,
  DOCKER_SOCKET: (c) => c.dockerSocketPath,
  DOCKER_CONTAINER_ALLOWLIST: (c) => c.tools.containerAllowlist,
  SYSTEMD_UNIT_ALLOWLIST: (c) => c.tools.systemdUnitAllowlist,
  APT_TOOLS_ENABLED: (c) => c.tools.aptEnabled,
  VERIFY_REQUIRED: (c) => c.governance.verifyRequired,
  GOVERNANCE_FOUR_EYES: (c) => c.governance.fourEyes,
  GOVERNANCE_RAISE_CLASSES: (c) =>
    Object.entries(c.governance.raisedClasses)
      .map(([tool, actionClass]) => `${tool}=${actionClass}`)
      .join(','),
  APPROVAL_TTL: (c) => seconds(c.governance.approvalTtlSeconds),
  CONFIRMATION_TTL: (c) => seconds(c.governance.confirmationTtlSeconds),
  PROVIDER_ORDER: (c) => c.providers.order,
  OPENAI_API_KEY: (c) => c.providers.apiKeys.openai,
  ANTHROPIC_API_KEY: (c) => c.providers.apiKeys.anthropic,
  GEMINI_API_KEY: (c) => c.providers.apiKeys.gemini,
  DEEPSEEK_API_KEY: (c) => c.providers.apiKeys.deepseek,
  GROQ_API_KEY: (c) => c.providers.apiKeys.groq,
  MISTRAL_API_KEY: (c) => c.providers.apiKeys.mistral,
  MOONSHOT_API_KEY: (c) => c.providers.apiKeys.moonshot,
  OPENAI_BASE_URL: (c) => c.providers.baseUrls.openai,
  ANTHROPIC_BASE_URL: (c) => c.providers.baseUrls.anthropic,
  GEMINI_BASE_URL: (c) => c.providers.baseUrls.gemini,
  DEEPSEEK_BASE_URL: (c) => c.providers.baseUrls.deepseek,
  GROQ_BASE_URL: (c) => c.providers.baseUrls.groq,
  MISTRAL_BASE_URL: (c) => c.providers.baseUrls.mistral,
  MOONSHOT_BASE_URL: (c) => c.providers.baseUrls.moonshot,
  OLLAMA_BASE_URL: (c) => c.providers.baseUrls.ollama,
  PROVIDER_MODELS: (c) => pairs(c.providers.models) || null,
  PROVIDER_EMBEDDING: (c) => (c.providers.embedding ? providerChoice(c.providers.embedding) : null),
  PROVIDER_PRICES: (c) =>
    Object.entries(c.providers.prices)
      .map(([model, price]) => `${model}=${price.inputPerMillion}/${price.outputPerMillion}`)
      .join(',') || null,
  PROVIDER_DEFAULT_PRICE: (c) =>
    c.providers.defaultPrice ? `${c.providers.defaultPrice.inputPerMillion}/${c.providers.defaultPrice.outputPerMillion}` : null,
  PROVIDER_BUDGET_USER_USD: (c) => c.providers.budget.userUsd,
  PROVIDER_BUDGET_GLOBAL_USD: (c) => c.providers.budget.globalUsd,
  PROVIDER_BUDGET_PERIOD: (c) => c.providers.budget.period,
  PROVIDER_BUDGET_MODE: (c) => c.providers.budget.mode,
  PROVIDER_TIMEOUT_MS: (c) => c.providers.timeoutMs,
  PROVIDER_RETRIES: (c) => c.providers.retries,
  PROVIDER_RETRY_DEADLINE_MS: (c) => c.providers.retryDeadlineMs,
  PROVIDER_CIRCUIT_THRESHOLD: (c) => c.providers.circuitThreshold,
  PROVIDER_CIRCUIT_HALF_OPEN_MS: (c) => c.providers.circuitHalfOpenMs,
  RATE_LIMIT_LOGIN: (c) => rate(c.rateLimits.login),
  RATE_LIMIT_LOGIN_IP: (c) => rate(c.rateLimits.loginIp),
  RATE_LIMIT_CHAT: (c) => rate(c.rateLimits.chat),
  RATE_LIMIT_TOOLS: (c) => rate(c.rateLimits.tools),
  CHAT_MAX_CONCURRENT_RUNS: (c) => c.chatMaxConcurrentRuns,
  UPLOAD_MAX_MB: (c) => megabytes(c.uploadMaxBytes),
  UPLOAD_QUOTA_MB: (c) => megabytes(c.uploadQuotaBytes),
  UPLOAD_PDF_MAX_PAGES: (c) => c.uploadPdf.maxPages,
  UPLOAD_PDF_TIMEOUT_MS: (c) => c.uploadPdf.timeoutMs,
  SPEECH_PROVIDER: (c) => providerChoice(c.speech.transcription),
  SPEECH_TTS_PROVIDER: (c) => providerChoice(c.speech.synthesis),
  SPEECH_TTS_VOICE: (c) => c.speech.voice,
  SPEECH_MAX_MB: (c) => megabytes(c.speech.maxBytes),
  LOG_LEVEL: (c) => c.logLevel,
  METRICS_TOKEN: (c) => c.metricsToken,
  WEB_DIR: (c) => c.webDir,
};

function text(value: Shown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length > 0 ? value.join(',') : null;
  return String(value);
}

/** Every configuration variable, sorted by name, secrets masked (docs/architecture.md "System"). */
export function effectiveConfig(config: AppConfig): ConfigEntry[] {
  return (Object.entries(VALUES) as [string, (config: AppConfig) => Shown | Secret][])
    .map(([key, read]): ConfigEntry => {
      const value = read(config);
      if (SENSITIVE.has(key)) {
        const secret = value instanceof Secret ? value : undefined;
        return { key, value: maskSecret(key, secret), secret: true, set: secret !== undefined };
      }
      // Not marked sensitive, but a URL may still carry credentials (e.g. a proxy's base URL).
      const shown = value instanceof Secret ? MASK : text(value);
      const masked = shown !== null && key.endsWith('_URL') ? maskUrl(shown) : shown;
      return { key, value: masked, secret: false, set: shown !== null };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}
