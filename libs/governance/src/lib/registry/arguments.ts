import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/audit-hash';
import { redactSecrets } from '../audit/redact';

/** sha256 of the canonical JSON of a tool's arguments: the same arguments always give the same hash. */
export function argsSha256(args: unknown): string {
  return createHash('sha256').update(canonicalJson(args)).digest('hex');
}

/** What the audit keeps of a content field: enough to recognise the content, never the content. */
export interface AuditedContent {
  sha256: string;
  bytes: number;
}

export function contentDigest(text: string): AuditedContent {
  const bytes = Buffer.from(text, 'utf8');
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/**
 * Arguments as the audit log keeps them: whole (the request size limit bounds them; nothing is cut,
 * so padding cannot push a program out of view), secret-looking fields redacted, and each of the
 * tool's content fields (write_file's `content`) replaced by its sha256 and size in bytes.
 */
export function auditArgs(args: unknown, contentFields: readonly string[] = []): Record<string, unknown> {
  const safe = redactSecrets(args);
  if (safe === null || typeof safe !== 'object' || Array.isArray(safe)) return { value: safe };
  const record = { ...(safe as Record<string, unknown>) };
  for (const field of contentFields) {
    const content = record[field];
    if (typeof content === 'string') record[field] = contentDigest(content);
  }
  return record;
}
