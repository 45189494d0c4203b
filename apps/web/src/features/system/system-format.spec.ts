import { describe, expect, it } from 'vitest';
import { formatMilliseconds, formatUptime } from './system-format';

describe('formatUptime', () => {
  it('says the two largest units', () => {
    expect(formatUptime(0)).toBe('less than a second');
    expect(formatUptime(40)).toBe('40 seconds');
    expect(formatUptime(61)).toBe('1 minute 1 second');
    expect(formatUptime(3 * 3600 + 25 * 60 + 9)).toBe('3 hours 25 minutes');
    expect(formatUptime(86400 + 30)).toBe('1 day');
    expect(formatUptime(2 * 86400 + 4 * 3600)).toBe('2 days 4 hours');
  });
});

describe('formatMilliseconds', () => {
  it('uses seconds from one second up', () => {
    expect(formatMilliseconds(250)).toBe('250 ms');
    expect(formatMilliseconds(30000)).toBe('30 s');
    expect(formatMilliseconds(1500)).toBe('1.5 s');
  });
});
