/** STUB (replaced by the system screen's work). */
export function SystemPage() {
  return <p className="muted">This screen is being built.</p>;
}
