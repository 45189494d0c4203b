/** STUB (replaced by the tools screen's work). */
export function ActionsPage() {
  return <p className="muted">This screen is being built.</p>;
}
