export { Secret } from './lib/secret';
export { type RateLimit } from './lib/duration';
export { environmentSchema, SENSITIVE_VARIABLES, type Environment } from './lib/config.schema';
export { type AppConfig } from './lib/app-config';
export { parseTrustProxy, type TrustProxy } from './lib/trust-proxy';
export { ConfigValidationError, loadConfig, resolveGeneratedSecrets } from './lib/load-config';
export { APP_CONFIG, ConfigModule, InjectAppConfig } from './lib/config.module';
export { type SpeechProviderChoice } from './lib/speech.config';
export { clearBlankVendorUrls } from './lib/blank-vendor-urls';
