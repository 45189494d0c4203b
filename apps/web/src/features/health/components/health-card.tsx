import { useId } from 'react';
import { errorMessage } from '../../../lib/api-error';
import { useHealth, type HealthReport } from '../api/get-health';
import './health-card.css';

type Tone = 'good' | 'bad' | 'neutral';

function overall(status: HealthReport['status']): { label: string; tone: Tone } {
  switch (status) {
    case 'ok':
      return { label: 'Operational', tone: 'good' };
    case 'error':
      return { label: 'Degraded', tone: 'bad' };
    case 'shutting_down':
      return { label: 'Shutting down', tone: 'neutral' };
  }
}

export function HealthCard() {
  const titleId = useId();
  const health = useHealth();

  return (
    <section className="card health-card" aria-labelledby={titleId} aria-busy={health.isFetching}>
      <div className="card__header">
        <h2 id={titleId} className="card__title">
          System health
        </h2>
        {health.isSuccess && <StatusBadge {...overall(health.data.status)} />}
      </div>
      {health.isPending && <p className="health-card__muted">Checking…</p>}
      {health.isError && (
        <div className="health-card__failure" role="alert">
          <p>Health check failed: {errorMessage(health.error)}</p>
          <button className="button" type="button" onClick={() => void health.refetch()}>
            Try again
          </button>
        </div>
      )}
      {health.isSuccess && (
        <>
          <CheckList report={health.data} />
          <p className="health-card__muted health-card__updated">Checked at {new Date(health.dataUpdatedAt).toLocaleTimeString()}</p>
        </>
      )}
    </section>
  );
}

function StatusBadge({ label, tone }: { label: string; tone: Tone }) {
  return <span className={`status-badge status-badge--${tone}`}>{label}</span>;
}

function CheckList({ report }: { report: HealthReport }) {
  const checks = Object.entries(report.details);
  if (checks.length === 0) {
    return <p className="health-card__muted">The server reports no individual checks.</p>;
  }
  return (
    <ul className="health-card__checks" aria-label="Checks">
      {checks.map(([name, check]) => (
        <li key={name} className="health-card__check">
          <span className="health-card__check-name">{name}</span>
          <span className={`health-card__check-status health-card__check-status--${check.status}`}>{check.status}</span>
          {check.message && <span className="health-card__check-message">{check.message}</span>}
        </li>
      ))}
    </ul>
  );
}
