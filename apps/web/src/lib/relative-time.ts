const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const DAY_AND_MONTH = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * An ISO timestamp from the API as people say it in a list: "now", "5 min. ago", "3 hr. ago",
 * "yesterday", "3 days ago", then the date ("12 Nov", with the year when it is not this year's).
 */
export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const at = new Date(iso);
  // A clock a little ahead of the browser's still reads "now".
  const elapsed = Math.max(0, (now - at.getTime()) / 1000);
  if (elapsed < 45) return RELATIVE.format(0, 'second');
  if (elapsed < HOUR) return RELATIVE.format(-Math.max(1, Math.round(elapsed / MINUTE)), 'minute');
  if (elapsed < DAY) return RELATIVE.format(-Math.round(elapsed / HOUR), 'hour');
  if (elapsed < 7 * DAY) return RELATIVE.format(-Math.round(elapsed / DAY), 'day');
  return at.getFullYear() === new Date(now).getFullYear() ? DAY_AND_MONTH.format(at) : DATE.format(at);
}

/** The exact time, for a title beside a relative one. */
export function formatFullTime(iso: string): string {
  return FULL.format(new Date(iso));
}
