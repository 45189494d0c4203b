import { ACTION_CLASSES, type ActionClass } from '@aegis/contracts';

/** The tools screen's state in the URL: the tool whose form is open. */
export interface ToolsSearch {
  tool?: string;
}

const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export function isToolName(value: unknown): value is string {
  return typeof value === 'string' && TOOL_NAME.test(value);
}

export function validateToolsSearch(search: Record<string, unknown>): ToolsSearch {
  return isToolName(search.tool) ? { tool: search.tool } : {};
}

export const ACTION_STATUSES = ['running', 'completed', 'failed'] as const;
export type ActionStatusFilter = (typeof ACTION_STATUSES)[number];
export const VERIFICATION_STATES = ['verified', 'failed', 'none'] as const;
export type VerificationFilter = (typeof VERIFICATION_STATES)[number];

/**
 * The actions history's filters in the URL (the cursor is not: paging appends older pages below).
 * `from`/`to` are days (YYYY-MM-DD) as a date input gives them; the request sends whole UTC days.
 */
export interface ActionsSearch {
  actor?: string;
  tool?: string;
  class?: `${ActionClass}`;
  status?: ActionStatusFilter;
  verification?: VerificationFilter;
  rollbackable?: boolean;
  from?: string;
  to?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !DAY.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

function oneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

export function validateActionsSearch(search: Record<string, unknown>): ActionsSearch {
  const result: ActionsSearch = {};
  if (typeof search.actor === 'string' && search.actor.trim() !== '' && search.actor.length <= 128) result.actor = search.actor.trim();
  if (isToolName(search.tool)) result.tool = search.tool;
  if (oneOf(ACTION_CLASSES as readonly `${ActionClass}`[], search.class)) result.class = search.class;
  if (oneOf(ACTION_STATUSES, search.status)) result.status = search.status;
  if (oneOf(VERIFICATION_STATES, search.verification)) result.verification = search.verification;
  // A hand-typed URL gives the words; the router's own links give booleans.
  if (search.rollbackable === true || search.rollbackable === 'true') result.rollbackable = true;
  if (search.rollbackable === false || search.rollbackable === 'false') result.rollbackable = false;
  if (isDay(search.from)) result.from = search.from;
  if (isDay(search.to) && (result.from === undefined || result.from <= search.to)) result.to = search.to;
  return result;
}

/** The API's query for these filters: days become the first and last instant of those UTC days. */
export function actionsQuery(search: ActionsSearch) {
  return {
    ...(search.actor ? { actor: search.actor } : {}),
    ...(search.tool ? { tool: search.tool } : {}),
    ...(search.class ? { class: search.class } : {}),
    ...(search.status ? { status: search.status } : {}),
    ...(search.verification ? { verification: search.verification } : {}),
    ...(search.rollbackable !== undefined ? { rollbackable: search.rollbackable } : {}),
    ...(search.from ? { from: `${search.from}T00:00:00.000Z` } : {}),
    ...(search.to ? { to: `${search.to}T23:59:59.999Z` } : {}),
  };
}
