import { describe, expect, it } from 'vitest';
import { formatRelativeTime } from './relative-time';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

describe('formatRelativeTime', () => {
  it.each([
    ['a few seconds', ago(10), RELATIVE.format(0, 'second')],
    ['a clock slightly ahead', ago(-5), RELATIVE.format(0, 'second')],
    ['50 seconds', ago(50), RELATIVE.format(-1, 'minute')],
    ['5 minutes', ago(5 * 60), RELATIVE.format(-5, 'minute')],
    ['3 hours', ago(3 * 3600), RELATIVE.format(-3, 'hour')],
    ['1 day', ago(26 * 3600), RELATIVE.format(-1, 'day')],
    ['6 days', ago(6 * 86400), RELATIVE.format(-6, 'day')],
  ])('%s ago reads as the relative phrase', (_label, iso, expected) => {
    expect(formatRelativeTime(iso, NOW)).toBe(expected);
  });

  it('gives the date after a week, with the year only when it is another year', () => {
    expect(formatRelativeTime('2026-11-02T12:00:00Z', NOW)).toBe(
      new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(Date.parse('2026-11-02T12:00:00Z')),
    );
    expect(formatRelativeTime('2025-11-02T12:00:00Z', NOW)).toBe(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(Date.parse('2025-11-02T12:00:00Z')),
    );
  });
});
