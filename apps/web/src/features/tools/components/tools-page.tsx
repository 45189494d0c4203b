/** STUB (replaced by the tools screen's work). */
export function ToolsPage() {
  return <p className="muted">This screen is being built.</p>;
}
