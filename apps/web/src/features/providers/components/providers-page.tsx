/** STUB (replaced by the providers screen's work). */
export function ProvidersPage() {
  return <p className="muted">This screen is being built.</p>;
}
