import { createHash } from 'node:crypto';
import type { AuditActorType } from '@aegis/database';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: everything but its id and its own hash. */
export interface HashedAuditFields {
  createdAt: Date;
  actorType: AuditActorType;
  actorId: string | null;
  actorName: string | null;
  role: string | null;
  runId: string | null;
  action: string;
  actionClass: string | null;
  decision: string;
  reason: string | null;
  args: Record<string, unknown>;
  result: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
}

/** JSON with object keys sorted at every depth, so jsonb's own key order cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  const entries = Object.entries(value)
    .filter(([, inner]) => inner !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
}

/** sha256 over the previous entry's hash and this entry's fields: changing or removing any entry breaks the chain. */
export function hashAuditEntry(prevHash: string, fields: HashedAuditFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}
