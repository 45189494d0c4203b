export { compareSeverity, mostSevere } from './lib/severity';
export { AuditLog, type AuditActor, type AuditRecord, type ChainVerification } from './lib/audit/audit-log';
export { AuditModule } from './lib/audit/audit.module';
export { canonicalJson, GENESIS_HASH, hashAuditEntry } from './lib/audit/audit-hash';
export { redactSecrets } from './lib/audit/redact';
