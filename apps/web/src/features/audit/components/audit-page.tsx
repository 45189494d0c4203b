/** STUB (replaced by the audit screen's work). */
export function AuditPage() {
  return <p className="muted">This screen is being built.</p>;
}
