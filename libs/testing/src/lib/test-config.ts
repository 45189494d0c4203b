import { type AppConfig, loadConfig } from '@aegis/config';

/** A validated configuration for tests: a fixed JWT secret, quiet logs, and any overrides. */
export function testConfig(environment: Record<string, string> = {}): AppConfig {
  return loadConfig({ JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789', LOG_LEVEL: 'silent', ...environment });
}
