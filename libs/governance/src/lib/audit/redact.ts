const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|^key$|authorization|cookie|credential/i;
const REDACTED = '[redacted]';

/** A copy of `value` with every secret-looking field blanked, at any depth: audit rows never hold a secret. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? REDACTED : redactSecrets(inner)]),
  ) as T;
}
