/** STUB (replaced by the docker screen's work). */
export function DockerPage() {
  return <p className="muted">This screen is being built.</p>;
}
