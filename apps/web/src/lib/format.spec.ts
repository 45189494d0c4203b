import { describe, expect, it } from 'vitest';
import { formatWait } from './format';

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
