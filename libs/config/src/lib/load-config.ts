import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { toAppConfig, type AppConfig } from './app-config';
import { environmentSchema, SENSITIVE_VARIABLES } from './config.schema';
import { Secret } from './secret';

/** Thrown when the environment is invalid; `problems` lists every one, without secret values. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

const sensitive = new Set<string>(SENSITIVE_VARIABLES);

function describeIssue(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): string {
  const variable = String(issue.path[0] ?? 'environment');
  const raw = env[variable];
  const shown = raw === undefined || sensitive.has(variable) ? '' : ` (got '${raw}')`;
  return `${variable}: ${issue.message}${shown}`;
}

/** Validates the environment once; throws ConfigValidationError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigValidationError(parsed.error.issues.map((issue) => describeIssue(issue, env)));
  }
  return toAppConfig(parsed.data, cwd);
}

/**
 * Creates DATA_DIR and fills in secrets that may be generated: the JWT secret is read from
 * DATA_DIR/secrets/jwt-secret or created there once (mode 0600), so sessions survive restarts.
 */
export function resolveGeneratedSecrets(config: AppConfig): AppConfig {
  mkdirSync(config.dataDir, { recursive: true });
  if (config.jwtSecret) return config;
  const dir = join(config.dataDir, 'secrets');
  const file = join(dir, 'jwt-secret');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const value = readFileSync(file, 'utf8').trim();
  if (value.length < 32) {
    throw new ConfigValidationError([`JWT_SECRET: the generated secret in ${file} is shorter than 32 characters`]);
  }
  return { ...config, jwtSecret: new Secret(value) };
}
