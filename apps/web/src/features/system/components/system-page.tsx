import { useEffect, useId, useState, type ReactNode } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { ApiError } from '../../../lib/api-error';
import { formatBytes, formatDateTime } from '../../../lib/format';
import { useSystem, type SystemInfo } from '../api/get-system';
import { formatMilliseconds, formatUptime } from '../system-format';
import { ConfigTable } from './config-table';
import './system.css';

function Card({ title, children, wide = false }: { title: string; children: ReactNode; wide?: boolean }) {
  const headingId = useId();
  return (
    <section className={`card system-card${wide ? ' system-card--wide' : ''}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="card__title">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Facts({ children }: { children: ReactNode }) {
  return <dl className="system-facts">{children}</dl>;
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="system-facts__row">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function State({ good, children }: { good: boolean; children: ReactNode }) {
  return <span className={`status-badge status-badge--${good ? 'good' : 'bad'}`}>{children}</span>;
}

const none = <span className="muted">—</span>;

function mono(value: string | null) {
  return value === null ? none : <span className="mono">{value}</span>;
}

/** Ticks once a minute, so the uptime does not stand still while the page is open. */
function useMinuteClock(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

function ServerCard({ system, fetchedAt }: { system: SystemInfo; fetchedAt: number }) {
  const now = useMinuteClock();
  // The server's count plus the time since it answered: a browser clock that is off does not matter.
  const uptime = system.uptimeSeconds + Math.max(0, now - fetchedAt) / 1000;
  return (
    <Card title="Server">
      <Facts>
        <Fact term="Up for">{formatUptime(uptime)}</Fact>
        <Fact term="Started">
          <time dateTime={system.startedAt}>{formatDateTime(system.startedAt)}</time>
        </Fact>
      </Facts>
    </Card>
  );
}

function VersionsCard({ versions }: { versions: SystemInfo['versions'] }) {
  return (
    <Card title="Versions">
      <Facts>
        <Fact term="Aegis">{mono(versions.aegis)}</Fact>
        <Fact term="Node.js">{mono(versions.node)}</Fact>
        <Fact term="NestJS">{mono(versions.nestjs)}</Fact>
        <Fact term="PostgreSQL">
          {versions.postgres === null ? <span className="muted">did not answer</span> : mono(versions.postgres)}
        </Fact>
        <Fact term="Docker">{versions.docker === null ? <span className="muted">not reachable</span> : mono(versions.docker)}</Fact>
      </Facts>
    </Card>
  );
}

function DatabaseCard({ database }: { database: SystemInfo['database'] }) {
  return (
    <Card title="Database">
      <Facts>
        <Fact term="Kind">{database.kind === 'embedded' ? 'Embedded (PGlite in the data directory)' : 'External PostgreSQL'}</Fact>
        {database.kind === 'external' && <Fact term="Address">{mono(database.url)}</Fact>}
      </Facts>
    </Card>
  );
}

function RedisCard({ redis }: { redis: SystemInfo['redis'] }) {
  return (
    <Card title="Redis">
      <Facts>
        <Fact term="Redis">{redis.enabled ? <State good>On</State> : <span className="status-badge status-badge--neutral">Off</span>}</Fact>
        {redis.enabled ? (
          <>
            <Fact term="Reachable">
              {redis.reachable === null ? none : <State good={redis.reachable}>{redis.reachable ? 'Yes' : 'No'}</State>}
            </Fact>
            <Fact term="Address">{mono(redis.url)}</Fact>
          </>
        ) : (
          <Fact term="Rate limits">Counted in this process only</Fact>
        )}
      </Facts>
      {redis.reason !== null && <p className="alert alert--warning system-card__note">{redis.reason}</p>}
    </Card>
  );
}

function DockerCard({ docker }: { docker: SystemInfo['docker'] }) {
  return (
    <Card title="Docker">
      <Facts>
        <Fact term="Docker">
          <State good={docker.available}>{docker.available ? 'Reachable' : 'Not reachable'}</State>
        </Fact>
        <Fact term="Socket">{mono(docker.socketPath)}</Fact>
        {docker.apiVersion !== null && <Fact term="API version">{mono(docker.apiVersion)}</Fact>}
        <Fact term="Visible containers">
          {docker.containerAllowlist.length === 0 ? (
            <span className="muted">none (DOCKER_CONTAINER_ALLOWLIST is empty)</span>
          ) : (
            <ul className="system-list">
              {docker.containerAllowlist.map((name) => (
                <li key={name} className="mono">
                  {name}
                </li>
              ))}
            </ul>
          )}
        </Fact>
      </Facts>
      {docker.reason !== null && <p className="alert alert--warning system-card__note">{docker.reason}</p>}
    </Card>
  );
}

const DRIVER_WORDS: Record<SystemInfo['sandbox']['driver'], string> = {
  docker: 'Docker containers',
  bwrap: 'bubblewrap',
  direct: 'directly on the host (no sandbox)',
  none: 'none: every command is refused',
};

function SandboxCard({ sandbox }: { sandbox: SystemInfo['sandbox'] }) {
  const unsafe = sandbox.mode === 'direct' || sandbox.driver === 'direct';
  return (
    <Card title="Sandbox" wide>
      {unsafe && <p className="alert alert--warning system-card__note">Commands run directly on the host, without a sandbox.</p>}
      <Facts>
        <Fact term="Mode">
          <span className="mono">{sandbox.mode}</span>
        </Fact>
        <Fact term="Driver">
          <State good={sandbox.available && !unsafe}>{DRIVER_WORDS[sandbox.driver]}</State>{' '}
          <span className="muted">
            (configured: <span className="mono">{sandbox.configuredDriver}</span>)
          </span>
        </Fact>
        <Fact term="Image">{mono(sandbox.image)}</Fact>
        <Fact term="Network">{sandbox.network === 'none' ? 'None (no network)' : 'Bridge (network allowed)'}</Fact>
        <Fact term="CPUs">{sandbox.cpus}</Fact>
        <Fact term="Memory">{sandbox.memoryMb} MB</Fact>
        <Fact term="Processes">{sandbox.pidsLimit}</Fact>
        <Fact term="Time limit">{formatMilliseconds(sandbox.timeoutMs)}</Fact>
        <Fact term="Output per stream">{formatBytes(sandbox.maxOutputBytes)}</Fact>
        <Fact term="Private /tmp">{formatBytes(sandbox.tmpBytes)}</Fact>
        <Fact term="Direct fallback">{sandbox.allowDirectFallback ? 'Allowed when no sandbox works' : 'Not allowed'}</Fact>
      </Facts>
      {sandbox.reason !== null && <p className="alert alert--warning system-card__note">{sandbox.reason}</p>}
    </Card>
  );
}

function SystemSkeleton() {
  return (
    <div className="system-grid" aria-busy="true">
      <span className="visually-hidden" role="status">
        Loading the system’s state…
      </span>
      {Array.from({ length: 4 }, (_, card) => (
        <span key={card} className="skeleton system-skeleton" />
      ))}
    </div>
  );
}

/**
 * The System page: each group a card. What the server sends is shown as it is; secrets arrive
 * masked (or withheld) and are never revealed here.
 */
export function SystemPage() {
  const system = useSystem();

  if (system.isPending) return <SystemSkeleton />;
  if (system.isError) {
    const requestId = system.error instanceof ApiError ? system.error.requestId : undefined;
    return (
      <div className="system-error">
        <ErrorAlert error={system.error} context="Could not load the system’s state" />
        {requestId !== undefined && (
          <p className="system-error__request-id">
            Request id <span className="mono">{requestId}</span>
          </p>
        )}
        <div>
          <button type="button" className="button" onClick={() => void system.refetch()}>
            Try again
          </button>
        </div>
      </div>
    );
  }

  const info = system.data;
  return (
    <div className="system">
      <div className="system__toolbar">
        <p className="muted" role="status">
          As of {formatDateTime(new Date(system.dataUpdatedAt).toISOString())}
        </p>
        <button type="button" className="button button--small" onClick={() => void system.refetch()} disabled={system.isFetching}>
          Refresh
        </button>
      </div>
      <div className="system-grid">
        <ServerCard system={info} fetchedAt={system.dataUpdatedAt} />
        <VersionsCard versions={info.versions} />
        <DatabaseCard database={info.database} />
        <RedisCard redis={info.redis} />
        <SandboxCard sandbox={info.sandbox} />
        <DockerCard docker={info.docker} />
        <Card title="Configuration" wide>
          <p className="card__lead">The effective value of every variable. Secrets are masked by the server and cannot be shown here.</p>
          <ConfigTable entries={info.config} />
        </Card>
      </div>
    </div>
  );
}
