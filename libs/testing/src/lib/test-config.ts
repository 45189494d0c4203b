import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, loadConfig } from '@aegis/config';

/**
 * A validated configuration for tests: a fixed JWT secret, quiet logs, a fresh DATA_DIR (so the
 * workspace is private to the test), bwrap as the sandbox (HTTP tests start no Docker container
 * pools; the executor's own tests cover Docker), and any overrides.
 */
export function testConfig(environment: Record<string, string> = {}): AppConfig {
  const dataDir = mkdtempSync(join(tmpdir(), 'aegis-test-'));
  // The sandbox user (uid 65534) must be able to reach the workspace under it.
  chmodSync(dataDir, 0o755);
  return loadConfig({
    JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    SANDBOX_DRIVER: 'bwrap',
    ...environment,
  });
}
