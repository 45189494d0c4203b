import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { apiSessionOf, setAuditDecision } from './support/cockpit-helpers';
import { expect, expectAccessibleInThemes, test } from './support/fixtures';

/** More than one page (50) of entries the filters below match. */
const SEEDED_RUNS = 55;

async function download(page: Page, name: string): Promise<{ download: Download; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const path = await file.path();
  return { download: file, text: readFileSync(path, 'utf8') };
}

function rows(page: Page) {
  return page.locator('tr[data-audit-entry-id]');
}

test('audit: filters in the URL, Load more, verify, export of the filtered entries, and a tampered row found', async ({
  page,
  adminApi,
  playwright,
  accounts,
}, testInfo) => {
  void adminApi;
  test.setTimeout(120_000);
  const actor = accounts.operator.username;
  // Entries the operator's reads write (allowed), more than a page.
  const operator = await apiSessionOf(playwright, testInfo, accounts.operator);
  for (let run = 0; run < SEEDED_RUNS; run += 1) {
    await operator.api.post('/api/tools/list_directory/execute', { args: { path: '.' } });
  }
  await operator.dispose();

  await page.goto('/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
  await expect(rows(page).first()).toBeVisible();

  // Filters: into the URL, and the rows follow.
  const filters = page.getByRole('search', { name: 'Audit filters' });
  await filters.getByLabel('Actor').fill(actor);
  await filters.getByLabel('Decision').selectOption('allowed');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(new RegExp(`/audit\\?actor=${actor}&decision=allowed$`));
  await expect(rows(page)).toHaveCount(50);
  for (const cell of await page.locator('tr[data-audit-entry-id] td[data-label="Actor"]').allTextContents())
    expect(cell.trim()).toBe(actor);
  for (const cell of await page.locator('tr[data-audit-entry-id] td[data-label="Decision"]').allTextContents())
    expect(cell.trim()).toBe('allowed');
  await expect(page.getByText('Showing the newest 50 entries')).toBeVisible();

  // Paging: the next, older page comes under the first.
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect.poll(() => rows(page).count()).toBeGreaterThanOrEqual(SEEDED_RUNS);
  const shown = await rows(page).count();
  await expect(page.getByText(new RegExp(`Showing (all|the newest) ${shown} entries`))).toBeVisible();
  const ids = await rows(page).evaluateAll((elements) => elements.map((element) => element.getAttribute('data-audit-entry-id') ?? ''));
  expect(new Set(ids).size, 'no entry twice').toBe(ids.length);

  // Back leaves the filters; forward brings them again.
  await page.goBack();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(filters.getByLabel('Actor')).toHaveValue('');
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`decision=allowed$`));
  await expect(filters.getByLabel('Actor')).toHaveValue(actor);

  // Export: the filtered entries, both formats.
  const ndjson = await download(page, 'Export NDJSON');
  const entries = ndjson.text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; actorName: string | null; actorId: string | null; decision: string });
  expect(entries.length).toBeGreaterThanOrEqual(SEEDED_RUNS);
  for (const entry of entries) {
    expect(entry.decision).toBe('allowed');
    expect(entry.actorName).toBe(actor);
  }
  expect(entries.map((entry) => String(entry.id)).slice(0, ids.length)).toEqual(ids.slice(0, entries.length));
  const csv = await download(page, 'Export CSV');
  expect(csv.download.suggestedFilename()).toMatch(/\.csv$/);
  const lines = csv.text.trim().split(/\r?\n/);
  expect(lines.length - 1, 'one CSV line per entry').toBe(entries.length);
  expect(lines.slice(1).every((line) => line.includes(actor) && line.includes('allowed'))).toBe(true);

  // Verify: valid.
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.locator('[data-chain="valid"]')).toContainText(/Chain valid — [\d,]+ entries checked/);
  await expectAccessibleInThemes(page, 'audit with filters and a valid chain');

  // A row changed in the database: verify names it. Then it is put back, for the rest of the run.
  const target = ids[10] ?? '';
  const original = await setAuditDecision(target, 'refused');
  try {
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const broken = page.locator('[data-chain="broken"]');
    await expect(broken).toContainText(`Broken at entry #${target}`);
    await expect(broken).toHaveAttribute('data-broken-entry-id', target);
    await broken.getByRole('link', { name: `Open entry #${target}` }).click();
    await expect(page).toHaveURL(new RegExp(`entry=${target}`));
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectAccessibleInThemes(page, 'audit entry of a broken chain');
    await page.keyboard.press('Escape');
  } finally {
    await setAuditDecision(target, original);
  }
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.locator('[data-chain="valid"]')).toBeVisible();
});
