const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses `30s`, `15m`, `12h` or `7d` into seconds; undefined when the text is not such a duration. */
export function parseDurationSeconds(text: string): number | undefined {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]];
  return seconds > 0 ? seconds : undefined;
}

export interface RateLimit {
  limit: number;
  ttlSeconds: number;
}

/** Parses `count/seconds` (e.g. `5/60`) into a rate limit; undefined when malformed or zero. */
export function parseRateLimit(text: string): RateLimit | undefined {
  const match = /^(\d{1,7})\/(\d{1,7})$/.exec(text.trim());
  if (!match) return undefined;
  const limit = Number(match[1]);
  const ttlSeconds = Number(match[2]);
  return limit > 0 && ttlSeconds > 0 ? { limit, ttlSeconds } : undefined;
}
