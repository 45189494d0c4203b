/**
 * The providers screen's state in the URL: the cost chart's grouping, metric and range.
 * Defaults (group by provider, cost, the last 30 days) are left out of the URL.
 */
export type UsageGroupByChoice = 'provider' | 'model' | 'user';
export type UsageMetric = 'cost' | 'tokens';
export const RANGE_PRESETS = [7, 30, 90] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const DEFAULT_RANGE_DAYS: RangePreset = 30;
/** The server answers at most this many days at once. */
export const MAX_RANGE_DAYS = 366;

export interface ProvidersSearch {
  groupBy?: Exclude<UsageGroupByChoice, 'provider'>;
  metric?: Exclude<UsageMetric, 'cost'>;
  /** A preset range ending today; ignored when `from` and `to` are both given. */
  days?: Exclude<RangePreset, 30>;
  /** A chosen range of UTC days (YYYY-MM-DD), inclusive. */
  from?: string;
  to?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !DAY.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export function validateProvidersSearch(search: Record<string, unknown>): ProvidersSearch {
  const result: ProvidersSearch = {};
  if (search.groupBy === 'model' || search.groupBy === 'user') result.groupBy = search.groupBy;
  if (search.metric === 'tokens') result.metric = 'tokens';
  // The router may hand numbers or the strings of a hand-typed URL.
  const days = Number(search.days);
  if (days === 7 || days === 90) result.days = days;
  const { from, to } = search;
  if (isDay(from) && isDay(to) && dayNumber(from) <= dayNumber(to) && dayNumber(to) - dayNumber(from) < MAX_RANGE_DAYS) {
    result.from = from;
    result.to = to;
  }
  return result;
}

export interface UsageRange {
  from: string;
  to: string;
  /** The preset it is, or null for a chosen range. */
  preset: RangePreset | null;
}

/** The days the chart covers: the chosen range, or the preset's last N days up to today (UTC). */
export function usageRange(search: ProvidersSearch, now = Date.now()): UsageRange {
  if (search.from !== undefined && search.to !== undefined) return { from: search.from, to: search.to, preset: null };
  const preset = search.days ?? DEFAULT_RANGE_DAYS;
  return { from: utcDay(now - (preset - 1) * DAY_MS), to: utcDay(now), preset };
}
