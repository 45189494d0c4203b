/** STUB (replaced by the approvals screen's work). */
export function ApprovalsPage() {
  return <p className="muted">This screen is being built.</p>;
}
