function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** A wait in words: "45 seconds", "2 minutes", "1 minute 30 seconds". */
export function formatWait(totalSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(totalSeconds));
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? plural(minutes, 'minute') : `${plural(minutes, 'minute')} ${plural(rest, 'second')}`;
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** An ISO timestamp from the API for people; the fallback when there is none. */
export function formatDateTime(iso: string | null, fallback = '—'): string {
  return iso === null ? fallback : DATE_TIME.format(new Date(iso));
}

export function formatDate(iso: string | null, fallback = '—'): string {
  return iso === null ? fallback : DATE.format(new Date(iso));
}

const BYTE_UNITS = ['KB', 'MB', 'GB'] as const;

/** A size for people, in 1024 steps: "512 bytes", "1 byte", "2.4 MB", "18 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return plural(Math.max(0, Math.round(bytes)), 'byte');
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // One decimal under 10 ("2.4 MB"), whole numbers above ("18 KB"), no trailing ".0".
  let shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  if (shown >= 1024 && unit < BYTE_UNITS.length - 1) {
    shown = 1;
    unit += 1;
  }
  return `${shown} ${BYTE_UNITS[unit]}`;
}
