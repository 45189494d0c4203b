import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/audit-hash';
import { redactSecrets } from '../audit/redact';

/** Longer strings are shortened in audit rows (the full arguments are covered by their hash). */
const AUDIT_STRING_LIMIT = 1024;

/** sha256 of the canonical JSON of a tool's arguments: the same arguments always give the same hash. */
export function argsSha256(args: unknown): string {
  return createHash('sha256').update(canonicalJson(args)).digest('hex');
}

function shorten(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length > AUDIT_STRING_LIMIT ? `${value.slice(0, AUDIT_STRING_LIMIT)}… [${value.length} characters in all]` : value;
  }
  if (Array.isArray(value)) return value.map(shorten);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shorten(inner)]));
}

/** Arguments as the audit log keeps them: secrets redacted, long strings shortened. */
export function auditArgs(args: unknown): Record<string, unknown> {
  const safe = shorten(redactSecrets(args));
  return safe !== null && typeof safe === 'object' && !Array.isArray(safe) ? (safe as Record<string, unknown>) : { value: safe };
}
