import { Link } from '@tanstack/react-router';
import type { Container } from '../api/get-docker-status';
import { ContainerHealthView, ContainerStateView, formatUptime } from './container-state';

export interface ContainerListProps {
  containers: Container[];
  /** The name of the container whose logs are open. */
  selected: string | undefined;
}

/** The allowlisted containers; a name opens its logs (`?container=<name>`). On phones each row is a card. */
export function ContainerList({ containers, selected }: ContainerListProps) {
  return (
    <div className="table-scroll docker-containers" tabIndex={0} role="region" aria-label="Container table">
      <table className="data-table data-table--stacking">
        <caption className="visually-hidden">Containers Aegis may see</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Image</th>
            <th scope="col">State</th>
            <th scope="col">Uptime</th>
            <th scope="col">Health</th>
            <th scope="col">Restarts</th>
          </tr>
        </thead>
        <tbody>
          {containers.map((container) => {
            const isSelected = container.name === selected;
            return (
              <tr
                key={container.id}
                data-container={container.name}
                className={isSelected ? 'docker-containers__row--selected' : undefined}
              >
                <th scope="row">
                  <Link
                    to="/docker"
                    search={(previous) => ({ ...previous, container: container.name })}
                    aria-current={isSelected ? 'true' : undefined}
                    aria-label={`Logs of ${container.name}`}
                    className="docker-containers__name"
                  >
                    {container.name}
                  </Link>
                  <span className="docker-containers__id mono" title="Container id">
                    {container.id}
                  </span>
                </th>
                <td data-label="Image" className="mono">
                  {container.image}
                </td>
                <td data-label="State" title={container.status}>
                  <ContainerStateView state={container.state} />
                </td>
                <td data-label="Uptime">{formatUptime(container.uptimeSeconds)}</td>
                <td data-label="Health">
                  <ContainerHealthView health={container.health} />
                </td>
                <td data-label="Restarts">{container.restartCount ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
