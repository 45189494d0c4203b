export { Secret } from './lib/secret';
export { parseDurationSeconds, parseRateLimit, type RateLimit } from './lib/duration';
export { environmentSchema, SENSITIVE_VARIABLES, type Environment } from './lib/config.schema';
export { toAppConfig, type AppConfig } from './lib/app-config';
export { parseTrustProxy, TRUST_PROXY_MAX_HOPS, type AddressRange, type TrustProxy } from './lib/trust-proxy';
export { ConfigValidationError, loadConfig, resolveGeneratedSecrets } from './lib/load-config';
export { APP_CONFIG, ConfigModule, InjectAppConfig } from './lib/config.module';
export { SYNTHESIS_PROVIDERS, TRANSCRIPTION_PROVIDERS, type SpeechProviderChoice } from './lib/speech.config';
