import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, type BrowserContext, type Locator, type Page, type PlaywrightWorkerArgs, type TestInfo } from '@playwright/test';
import { Client } from 'pg';
import { collectBrowserErrors, watchCspViolations, type ExpectedFailures } from '../browser-errors';
import { ApiSession, type E2eUser } from './fixtures';

import { E2E_CONTAINER } from './cockpit-env';
import { runDataDir } from './e2e-env';

export { E2E_CONTAINER };

/** Why the cockpit's requests are made: long enough for governance (20 characters, 3 words). */
export const JUSTIFICATION = 'the operator checks the runtime before the release';

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Starts the allowlisted container afresh: it writes a numbered line ("tick 42 12:45:07") three times a second. */
export function startE2eContainer(): void {
  removeE2eContainer();
  docker(
    'run',
    '-d',
    '--name',
    E2E_CONTAINER,
    'aegis-sandbox:local',
    'sh',
    '-c',
    'i=0; while :; do i=$((i+1)); echo "tick $i $(date +%T)"; sleep 0.3; done',
  );
}

export function removeE2eContainer(): void {
  try {
    docker('rm', '-f', E2E_CONTAINER);
  } catch {
    // Not there: nothing to remove.
  }
}

/** When the container's current run started (changes with every restart). */
export function containerStartedAt(): string {
  return docker('inspect', '--format', '{{.State.StartedAt}}', E2E_CONTAINER);
}

/** A user's API session in a request context of its own (not a page's): another person acting at the same time. */
export async function apiSessionOf(
  playwright: PlaywrightWorkerArgs['playwright'],
  testInfo: TestInfo,
  user: E2eUser,
): Promise<{ api: ApiSession; dispose: () => Promise<void> }> {
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  const api = await ApiSession.signIn(request, user, async () => (await request.storageState()).cookies);
  return { api, dispose: () => request.dispose() };
}

/** A page of another browser context, watched for console errors and CSP violations like the test's own page. */
export async function watchedPage(context: BrowserContext, expected: ExpectedFailures = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  await watchCspViolations(page);
  return { page, errors: collectBrowserErrors(page, expected) };
}

/** The sidebar's link to the queue; its name carries the live count ("Approvals (2 pending)"). */
export function approvalsLink(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Approvals\b/ });
}

/** One request's card in the queue. */
export function approvalCard(page: Page, approvalId: string): Locator {
  return page.locator(`article[data-approval-id="${approvalId}"]`);
}

export interface PendingAnswer {
  approvalId: string;
  status: 'pending';
  expiresAt: string;
}

/** How many requests wait now (an admin's view). */
export async function pendingCount(api: ApiSession): Promise<number> {
  const page = await api.get<{ items: unknown[]; nextCursor: string | null }>('/api/approvals?status=pending&limit=200');
  expect(page.nextCursor, 'fewer than 200 pending requests').toBeNull();
  return page.items.length;
}

/** The embedded database of the run's server (PGlite behind its unix socket, docs: libs/database embedded-postgres.ts). */
export async function withEmbeddedDatabase<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ host: join(runDataDir(), 'run'), user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Changes one audit entry's decision behind the application's back, the way someone with the
 * database would: the append-only trigger is switched off for the one statement. Returns the
 * decision it had, to put back.
 */
export async function setAuditDecision(id: string, decision: string): Promise<string> {
  return withEmbeddedDatabase(async (client) => {
    const { rows } = await client.query<{ decision: string }>('SELECT decision FROM audit_entries WHERE id = $1', [id]);
    const before = rows[0]?.decision;
    if (before === undefined) throw new Error(`No audit entry ${id}`);
    await client.query('ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change');
    try {
      await client.query('UPDATE audit_entries SET decision = $2 WHERE id = $1', [id, decision]);
    } finally {
      await client.query('ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change');
    }
    return before;
  });
}
