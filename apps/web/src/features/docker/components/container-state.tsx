import { StatusIcon, type StatusIconName } from '../../../components/governance/status-icon';
import type { ContainerHealth } from '../api/get-docker-status';

interface Look {
  words: string;
  icon: StatusIconName;
  tone: 'good' | 'bad' | 'progress' | 'waiting' | 'neutral';
}

const STATES: Record<string, Look> = {
  running: { words: 'Running', icon: 'check', tone: 'good' },
  restarting: { words: 'Restarting', icon: 'spinner', tone: 'progress' },
  created: { words: 'Created', icon: 'clock', tone: 'neutral' },
  paused: { words: 'Paused', icon: 'stop', tone: 'waiting' },
  removing: { words: 'Removing', icon: 'spinner', tone: 'progress' },
  exited: { words: 'Exited', icon: 'stop', tone: 'neutral' },
  dead: { words: 'Dead', icon: 'alert', tone: 'bad' },
};

const HEALTH: Record<ContainerHealth, Look> = {
  healthy: { words: 'Healthy', icon: 'check', tone: 'good' },
  unhealthy: { words: 'Unhealthy', icon: 'alert', tone: 'bad' },
  starting: { words: 'Starting', icon: 'hourglass', tone: 'waiting' },
  none: { words: 'No health check', icon: 'stop', tone: 'neutral' },
};

function Status({ look, kind, value }: { look: Look; kind: string; value: string }) {
  return (
    <span className={`container-status container-status--${look.tone}`} data-container-status={kind} data-value={value}>
      <StatusIcon name={look.icon} />
      <span>{look.words}</span>
    </span>
  );
}

/** Docker's state as a word and an icon (never colour alone); a state Docker adds later shows as its own word. */
export function ContainerStateView({ state }: { state: string }) {
  const look = STATES[state] ?? { words: state.charAt(0).toUpperCase() + state.slice(1), icon: 'alert', tone: 'neutral' };
  return <Status look={look} kind="state" value={state} />;
}

/** The health check's verdict as a word and an icon. */
export function ContainerHealthView({ health }: { health: ContainerHealth }) {
  return <Status look={HEALTH[health]} kind="health" value={health} />;
}

/** Time running, to two units: "45 s", "12 min", "3 h 12 min", "2 d 4 h"; a dash when it is not running. */
export function formatUptime(seconds: number | null): string {
  if (seconds === null) return '—';
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return `${minutes} min`;
  return `${total} s`;
}
