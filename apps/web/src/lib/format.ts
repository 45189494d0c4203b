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
