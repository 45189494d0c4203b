import type { ReactNode } from 'react';

export type StatusIconName = 'spinner' | 'check' | 'cross' | 'clock' | 'hand' | 'hourglass' | 'stop' | 'alert';

/** Small status glyphs drawn with currentColor, so each status's colour comes from CSS. */
export function StatusIcon({ name }: { name: StatusIconName }) {
  return (
    <svg className={`status-icon status-icon--${name}`} viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      {ICON_PATHS[name]}
    </svg>
  );
}

const STROKE = { fill: 'none', stroke: 'currentColor', strokeWidth: 1.75, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

const ICON_PATHS: Record<StatusIconName, ReactNode> = {
  spinner: (
    <>
      <circle className="status-icon__track" cx="8" cy="8" r="6" {...STROKE} />
      <path className="status-icon__arc" d="M8 2a6 6 0 0 1 6 6" {...STROKE} />
    </>
  ),
  check: <path d="M3 8.5l3.25 3.25L13 4.75" {...STROKE} />,
  cross: <path d="M4 4l8 8M12 4l-8 8" {...STROKE} />,
  clock: (
    <>
      <circle cx="8" cy="8" r="6" {...STROKE} />
      <path d="M8 4.75V8l2.25 1.5" {...STROKE} />
    </>
  ),
  hand: (
    <>
      <circle cx="8" cy="8" r="6" {...STROKE} />
      <path d="M8 4.75v3.75M8 11v.25" {...STROKE} />
    </>
  ),
  hourglass: <path d="M4.5 2h7M4.5 14h7M5 2c0 3 6 3.5 6 6s-6 3-6 6M11 2c0 3-6 3.5-6 6s6 3 6 6" {...STROKE} />,
  stop: <rect x="4" y="4" width="8" height="8" rx="1" {...STROKE} />,
  alert: <path d="M8 2.5l6 11H2zM8 6.5v3M8 11.75v.25" {...STROKE} />,
};
