import { Countdown } from './countdown';
import { StatusIcon, type StatusIconName } from './status-icon';
import './governance.css';

/** Where an action is: under way, waiting on a person, or how it ended. */
export type ActionStatusKind =
  | 'running'
  | 'awaiting-approval'
  | 'awaiting-confirmation'
  | 'approved'
  | 'completed'
  | 'refused'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'failed';

export interface ActionStatusProps {
  status: ActionStatusKind;
  /** Why it was refused, rejected or failed, in words; shown after the status. */
  reason?: string | null;
  /** ISO 8601: while waiting, a live countdown to this moment. */
  expiresAt?: string | null;
  /** While waiting for approval: who may decide, e.g. "an admin". */
  approver?: string | null;
}

interface StatusLook {
  words: string;
  icon: StatusIconName;
  tone: 'progress' | 'good' | 'bad' | 'waiting' | 'neutral';
}

const LOOKS: Record<ActionStatusKind, StatusLook> = {
  running: { words: 'Running', icon: 'spinner', tone: 'progress' },
  'awaiting-approval': { words: 'Waiting for approval', icon: 'clock', tone: 'waiting' },
  'awaiting-confirmation': { words: 'Waiting for your confirmation', icon: 'hand', tone: 'waiting' },
  approved: { words: 'Approved', icon: 'check', tone: 'good' },
  completed: { words: 'Completed', icon: 'check', tone: 'good' },
  refused: { words: 'Refused', icon: 'cross', tone: 'bad' },
  rejected: { words: 'Rejected', icon: 'cross', tone: 'bad' },
  expired: { words: 'Expired', icon: 'hourglass', tone: 'neutral' },
  cancelled: { words: 'Cancelled', icon: 'stop', tone: 'neutral' },
  failed: { words: 'Failed', icon: 'alert', tone: 'bad' },
};

/**
 * One status look everywhere (chat cards, approvals, audit): an icon, the words, and what
 * matters for the status: the reason of a refusal, who may approve and the time left.
 */
export function ActionStatus({ status, reason, expiresAt, approver }: ActionStatusProps) {
  const look = LOOKS[status];
  const waiting = status === 'awaiting-approval' || status === 'awaiting-confirmation';
  return (
    <span className={`action-status action-status--${look.tone}`} data-status={status}>
      <StatusIcon name={look.icon} />
      <span className="action-status__words">
        {look.words}
        {status === 'awaiting-approval' && approver ? ` by ${approver}` : null}
      </span>
      {waiting && expiresAt ? (
        <span className="action-status__detail">
          <Countdown expiresAt={expiresAt} />
        </span>
      ) : null}
      {!waiting && reason ? <span className="action-status__detail">{reason}</span> : null}
    </span>
  );
}
