import { useNavigate, useRouteContext, useSearch } from '@tanstack/react-router';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { ApiError } from '../../../lib/api-error';
import { useDockerStatus, type Container } from '../api/get-docker-status';
import { useRestartPolicy } from '../api/get-restart-policy';
import { useRestartOutcomes, type ApprovalEventSource } from '../hooks/use-restart-outcomes';
import { dockerSearch, tailOfSearch, type LogTail } from '../search';
import { ContainerList } from './container-list';
import { ContainerHealthView, ContainerStateView, formatUptime } from './container-state';
import { DockerUnavailable } from './docker-unavailable';
import { LogViewer } from './log-viewer';
import { RestartControl } from './restart-control';
import './docker.css';

export interface DockerPageProps {
  /** The socket connection approval decisions arrive on; the app's one by default (tests pass a stand-in). */
  approvalEvents?: ApprovalEventSource;
}

function ListSkeleton() {
  return (
    <div className="docker-skeleton" aria-busy="true" aria-label="Loading containers">
      <span className="skeleton" />
      <span className="skeleton" />
      <span className="skeleton" />
    </div>
  );
}

/**
 * The Docker panel (operators and admins): the allowlisted containers, the selected one's logs
 * (`?container=&tail=&q=` in the URL) and a governed restart; a panel saying why when Docker is
 * not available.
 */
export function DockerPage({ approvalEvents }: DockerPageProps = {}) {
  const search = useSearch({ from: '/docker' });
  const navigate = useNavigate({ from: '/docker' });
  const { user } = useRouteContext({ from: '/docker' });
  const status = useDockerStatus();
  const policy = useRestartPolicy();
  const restarts = useRestartOutcomes(approvalEvents);
  const tail = tailOfSearch(search);
  const query = search.q ?? '';

  if (status.isPending) return <ListSkeleton />;
  if (status.isError) {
    return (
      <div>
        <ErrorAlert error={status.error} context="Could not read the containers" />
        {status.error instanceof ApiError && status.error.requestId ? (
          <p className="docker-request-id muted">Request id: {status.error.requestId}</p>
        ) : null}
      </div>
    );
  }
  const { available, containers, reason } = status.data;
  if (!available) {
    return (
      <DockerUnavailable
        reason={reason}
        isAdmin={user.role === 'admin'}
        onRetry={() => void status.refetch()}
        retrying={status.isFetching}
      />
    );
  }

  const selected: Container | undefined = search.container
    ? containers.find((container) => container.name === search.container || container.id === search.container)
    : undefined;

  const setLogView = (next: { tail?: LogTail; q?: string }) =>
    void navigate({
      search: dockerSearch({ container: search.container, tail: next.tail ?? tail, q: next.q ?? query }),
      // Typing in the search box should not fill the history with every word.
      replace: next.q !== undefined,
    });

  return (
    <div className="docker-page" data-docker-available="true">
      <section className="card docker-page__list" aria-labelledby="docker-containers-title">
        <div className="card__header">
          <h2 id="docker-containers-title" className="card__title">
            Containers
          </h2>
          <button type="button" className="button button--small" onClick={() => void status.refetch()} disabled={status.isFetching}>
            {status.isFetching ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
        {containers.length === 0 ? (
          <p className="muted">
            No container on the allowlist exists right now.{' '}
            {user.role === 'admin'
              ? 'Name the containers Aegis may see in DOCKER_CONTAINER_ALLOWLIST (comma-separated) and start them.'
              : 'Ask an admin to add the containers you look after to DOCKER_CONTAINER_ALLOWLIST.'}
          </p>
        ) : (
          <ContainerList containers={containers} selected={selected?.name} />
        )}
      </section>

      {search.container && !selected ? (
        <p className="alert alert--warning">No allowlisted container is called “{search.container}”. Pick one from the list.</p>
      ) : null}

      {selected ? (
        <section className="card docker-page__detail" aria-labelledby="docker-container-title" data-selected-container={selected.name}>
          <div className="docker-detail__header">
            <div>
              <h2 id="docker-container-title" className="card__title">
                {selected.name}
              </h2>
              <p className="docker-detail__facts">
                <ContainerStateView state={selected.state} />
                <ContainerHealthView health={selected.health} />
                <span className="muted">Up {formatUptime(selected.uptimeSeconds)}</span>
                <span className="mono muted">{selected.image}</span>
              </p>
            </div>
            <RestartControl
              key={selected.name}
              container={selected.name}
              policy={policy.data}
              outcome={restarts.outcomes[selected.name]}
              onAnswer={(answer) => restarts.record(selected.name, answer)}
              onDismiss={() => restarts.dismiss(selected.name)}
            />
          </div>
          <LogViewer
            key={selected.name}
            container={selected.name}
            tail={tail}
            search={query}
            onTailChange={(next) => setLogView({ tail: next })}
            onSearchChange={(next) => setLogView({ q: next })}
          />
        </section>
      ) : containers.length > 0 && !search.container ? (
        <p className="muted">Choose a container to read its logs and restart it.</p>
      ) : null}
    </div>
  );
}
