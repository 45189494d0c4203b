import { ACTION_CLASSES, type ActionClass } from '@aegis/contracts';

const CLASS_NAMES: readonly string[] = ACTION_CLASSES;

/** The decisions governance writes (docs/governance.md "Audit"); the filter offers these. */
export const AUDIT_DECISIONS = ['allowed', 'refused', 'pending', 'approved', 'expired'] as const;

/** The audit screen's filters and the open entry, kept in the URL's query string (defaults omitted). */
export interface AuditSearch {
  /** A user or API key id, or a username. */
  actor?: string;
  /** An action (`tool.write_file`), or a prefix ending in `*` (`tool.*`). */
  action?: string;
  class?: `${ActionClass}`;
  decision?: string;
  /** First day shown, `YYYY-MM-DD` in the viewer's time zone (inclusive). */
  from?: string;
  /** Last day shown, `YYYY-MM-DD` in the viewer's time zone (inclusive). */
  to?: string;
  /**
   * The entry whose details are open. A number: the router writes numbers bare (`entry=812`) and
   * would quote a numeric string; audit ids stay far below 2^53.
   */
  entry?: number;
}

/** The filters alone: what the list, the export and the paging depend on. */
export type AuditFilters = Omit<AuditSearch, 'entry'>;

const TEXT_MAX_LENGTH = 128;
const DECISION = /^[a-z][a-z_]{0,31}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The router parses `?actor=42` into the number 42; a filter is text either way. */
function text(value: unknown): string | undefined {
  const raw = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  return trimmed === '' || trimmed.length > TEXT_MAX_LENGTH ? undefined : trimmed;
}

/** A real calendar day `YYYY-MM-DD` (not 2026-02-30). */
export function isCalendarDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1970 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function day(value: unknown): string | undefined {
  return typeof value === 'string' && isCalendarDay(value) ? value : undefined;
}

function entryId(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

/** Keeps only the keys that have a value, so defaults never reach the URL. */
function defined<T extends object>(search: T): T {
  return Object.fromEntries(Object.entries(search).filter(([, value]) => value !== undefined)) as T;
}

/** The router's validator: anything unreadable is dropped rather than refused, so an old or edited link still opens. */
export function validateAuditSearch(search: Record<string, unknown>): AuditSearch {
  const actionClass = typeof search.class === 'string' ? search.class.toUpperCase() : undefined;
  const decision = text(search.decision)?.toLowerCase();
  let from = day(search.from);
  let to = day(search.to);
  // A range given backwards is read the way it was meant.
  if (from !== undefined && to !== undefined && from > to) [from, to] = [to, from];
  return defined({
    actor: text(search.actor),
    action: text(search.action),
    class: actionClass !== undefined && CLASS_NAMES.includes(actionClass) ? (actionClass as `${ActionClass}`) : undefined,
    decision: decision !== undefined && DECISION.test(decision) ? decision : undefined,
    from,
    to,
    entry: entryId(search.entry),
  });
}

/** The filters of a search, without the open entry. */
export function filtersOf(search: AuditSearch): AuditFilters {
  return defined({
    actor: search.actor,
    action: search.action,
    class: search.class,
    decision: search.decision,
    from: search.from,
    to: search.to,
  });
}

export function hasFilters(filters: AuditFilters): boolean {
  return Object.keys(defined(filters)).length > 0;
}

/** The start of a local day as an instant: `from` includes the whole of its first day. */
function startOfDay(value: string): string {
  const [year, month, dayOfMonth] = value.split('-').map(Number);
  return new Date(year, month - 1, dayOfMonth, 0, 0, 0, 0).toISOString();
}

/** The last millisecond of a local day: `to` includes the whole of its last day. */
function endOfDay(value: string): string {
  const [year, month, dayOfMonth] = value.split('-').map(Number);
  return new Date(year, month - 1, dayOfMonth, 23, 59, 59, 999).toISOString();
}

/** The query GET /api/audit and its export take for these filters (days become instants in the viewer's time zone). */
export interface AuditFilterQuery {
  actor?: string;
  action?: string;
  class?: `${ActionClass}`;
  decision?: string;
  from?: string;
  to?: string;
}

export function auditFilterQuery(filters: AuditFilters): AuditFilterQuery {
  return defined({
    actor: filters.actor,
    action: filters.action,
    class: filters.class,
    decision: filters.decision,
    from: filters.from === undefined ? undefined : startOfDay(filters.from),
    to: filters.to === undefined ? undefined : endOfDay(filters.to),
  });
}
