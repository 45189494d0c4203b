import { describe, expect, it } from 'vitest';
import { formatBytes, formatWait } from './format';

describe('formatWait', () => {
  it.each([
    [0.2, '1 second'],
    [1, '1 second'],
    [45, '45 seconds'],
    [60, '1 minute'],
    [61, '1 minute 1 second'],
    [150, '2 minutes 30 seconds'],
    [900, '15 minutes'],
  ])('%s seconds reads "%s"', (seconds, words) => {
    expect(formatWait(seconds)).toBe(words);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1 KB'],
    [2_500, '2.4 KB'],
    [18_500, '18 KB'],
    [2.4 * 1024 * 1024, '2.4 MB'],
    [1024 * 1024 - 1, '1 MB'],
    [3 * 1024 ** 3, '3 GB'],
  ])('%s bytes reads "%s"', (bytes, words) => {
    expect(formatBytes(bytes)).toBe(words);
  });
});
