export interface DockerUnavailableProps {
  /** The server's words for why Docker cannot be reached. */
  reason: string | undefined;
  isAdmin: boolean;
  onRetry: () => void;
  retrying: boolean;
}

/** Docker cannot be reached: why, in the server's words, and what can be done about it. */
export function DockerUnavailable({ reason, isAdmin, onRetry, retrying }: DockerUnavailableProps) {
  return (
    <section className="card docker-unavailable" aria-labelledby="docker-unavailable-title" data-docker-available="false">
      <h2 id="docker-unavailable-title" className="card__title">
        Docker is not available
      </h2>
      <p className="docker-unavailable__reason">{reason ?? 'The server did not say why.'}</p>
      {isAdmin ? (
        <ul className="docker-unavailable__steps">
          <li>Check that Docker is installed and running on the server.</li>
          <li>
            Check that <code>DOCKER_SOCKET</code> points to its socket and that the server may read it (for example, its user is in the{' '}
            <code>docker</code> group).
          </li>
          <li>
            List the containers Aegis may see in <code>DOCKER_CONTAINER_ALLOWLIST</code>, then restart the server.
          </li>
        </ul>
      ) : (
        <p className="muted">Ask an admin to check Docker on the server. The containers will show here once it answers.</p>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Checking…' : 'Check again'}
        </button>
      </div>
    </section>
  );
}
