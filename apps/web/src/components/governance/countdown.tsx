import { useEffect, useState } from 'react';
import { formatDateTime } from '../../lib/format';

export interface CountdownProps {
  /** ISO 8601: the moment counted down to. */
  expiresAt: string;
  /** Said before the time left; "expires in" gives "expires in 4:59". */
  prefix?: string;
}

/** Time left as a clock: "4:59", "1:04:59"; zero once past. */
export function formatTimeLeft(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The current time, renewed every second until `until` has passed. */
function useNowUntil(until: number): number {
  const [now, setNow] = useState(() => Date.now());
  const passed = now >= until;
  useEffect(() => {
    if (passed) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [until, passed]);
  return now;
}

/**
 * A live "expires in 4:59". Deliberately not a live region: a screen reader hears the time when
 * it reads the element, not once a second. The exact moment is in the title.
 */
export function Countdown({ expiresAt, prefix = 'expires in' }: CountdownProps) {
  const deadline = Date.parse(expiresAt);
  const now = useNowUntil(Number.isNaN(deadline) ? 0 : deadline);
  if (Number.isNaN(deadline)) return null;
  const left = deadline - now;
  return (
    <time
      className="countdown"
      dateTime={expiresAt}
      title={`Expires ${formatDateTime(expiresAt)}`}
      data-expired={left <= 0 ? 'true' : undefined}
    >
      {left > 0 ? `${prefix} ${formatTimeLeft(left)}` : 'expiring now'}
    </time>
  );
}
