import type { ApiComponents } from '@aegis/contracts';
import type { ApiClient } from './api-client';
import type { SmokeOptions } from './options';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** One check as the summary and the JUnit file report it. */
export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** What was found (passed), why it failed, or why it was skipped. */
  detail: string;
  durationMs: number;
}

/** A check that did not throw: it passed, or it could not apply here (e.g. the key is not an admin's). */
export interface Verdict {
  status: 'passed' | 'skipped';
  detail: string;
}

type Schemas = ApiComponents['schemas'];
export type Identity = Schemas['SessionUserDto'];
export type CatalogueItem = Schemas['ToolCatalogItemDto'];

/** What the checks share: the options, a client signed with the API key, and what earlier checks found. */
export interface SmokeContext {
  options: SmokeOptions;
  api: ApiClient;
  identity?: Identity;
  catalogue?: CatalogueItem[];
}

export interface SmokeCheck {
  name: string;
  /** Checks that must have passed first; otherwise this one is skipped. */
  needs: readonly string[];
  run(context: SmokeContext): Promise<Verdict>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function passed(detail: string): Verdict {
  return { status: 'passed', detail };
}

export function skipped(detail: string): Verdict {
  return { status: 'skipped', detail };
}
