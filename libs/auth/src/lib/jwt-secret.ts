import type { AppConfig } from '@aegis/config';

/** The secret access tokens are signed (session service) and verified (the JWT strategy) with, and CSRF tokens are keyed from. */
export function jwtSecretOf(config: AppConfig): string {
  const secret = config.jwtSecret?.reveal();
  if (!secret) throw new Error('JWT secret is not resolved: call resolveGeneratedSecrets before starting');
  return secret;
}
