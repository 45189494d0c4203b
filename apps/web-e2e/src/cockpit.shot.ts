import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { answer } from '@aegis/testing';
import type { Page } from '@playwright/test';
import { sendMessage } from './support/chat-page';
import {
  apiSessionOf,
  approvalCard,
  E2E_CONTAINER,
  removeE2eContainer,
  startE2eContainer,
  type PendingAnswer,
} from './support/cockpit-helpers';
import { expect, test } from './support/fixtures';

/** docs/screenshots/<screen>-<light|dark>-desktop.png: viewport shots of the admin cockpit. */
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

async function shoot(page: Page, screen: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.mouse.move(0, 0);
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    // The theme's transitions, the chart's redraw and the countdown's next tick.
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(SCREENSHOTS, `${screen}-${theme}-desktop.png`), animations: 'disabled', caret: 'hide' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test.beforeAll(() => startE2eContainer());
test.afterAll(() => removeE2eContainer());

test('the admin cockpit, light and dark', async ({ page, adminApi, browser, operatorCookies, fakeLlm, playwright, accounts }, testInfo) => {
  void adminApi;
  test.setTimeout(180_000);

  // Some usage to chart: a few answers of the operator's, through the fake model.
  const chat = await browser.newContext();
  await chat.addCookies(operatorCookies);
  const operatorPage = await chat.newPage();
  fakeLlm.reset();
  fakeLlm.enqueue(
    'openai',
    answer({ text: ['The release is on Thursday.'], usage: { inputTokens: 182_000, outputTokens: 41_000 } }),
    answer({ text: ['Three services changed since the last release.'], usage: { inputTokens: 96_000, outputTokens: 23_000 } }),
  );
  await operatorPage.goto('/');
  await sendMessage(operatorPage, 'When is the release?');
  await expect(operatorPage.getByText('The release is on Thursday.')).toBeVisible();
  await sendMessage(operatorPage, 'What changed?');
  await expect(operatorPage.getByText('Three services changed since the last release.')).toBeVisible();
  await chat.close();

  // One request waiting for an admin, a few tool runs for the actions history.
  const operator = await apiSessionOf(playwright, testInfo, accounts.operator);
  for (const path of ['.', 'release-notes.md']) await operator.api.post('/api/tools/disk_usage/execute', { args: { path } });
  const pending = await operator.api.post<PendingAnswer>(
    '/api/tools/execute_command/execute',
    {
      args: { command: 'python3 scripts/rebuild_index.py --all' },
      justification: 'the search index misses the files added for the release',
    },
    [202],
  );
  await operator.dispose();

  await page.goto('/approvals');
  await expect(approvalCard(page, pending.approvalId)).toBeVisible();
  await shoot(page, 'approvals');

  await page.goto('/audit');
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.locator('[data-chain="valid"]')).toBeVisible();
  await shoot(page, 'audit');

  await page.goto(`/docker?container=${E2E_CONTAINER}`);
  const logs = page.getByRole('region', { name: `Logs of ${E2E_CONTAINER}` });
  await logs.getByRole('button', { name: 'Follow' }).click();
  await expect(logs.locator('[data-follow-state]')).toHaveAttribute('data-follow-state', 'live');
  await page.waitForTimeout(1500);
  await shoot(page, 'docker');

  await page.goto('/providers');
  await expect(page.locator('.usage-chart canvas').first()).toBeVisible();
  await page.getByRole('heading', { name: 'Usage and cost' }).scrollIntoViewIfNeeded();
  await shoot(page, 'providers');

  await page.goto('/tools?tool=read_file');
  const form = page.getByRole('form', { name: 'Run read_file' });
  await form.getByLabel('Path').fill('release-notes.md');
  await form.getByRole('button', { name: 'Run', exact: true }).click();
  const result = page.getByRole('article', { name: 'Tool run: read_file' });
  await expect(result).toHaveAttribute('data-status', 'completed');
  await result.scrollIntoViewIfNeeded();
  await shoot(page, 'tools');

  await page.goto('/actions');
  await expect(page.getByRole('table', { name: 'Actions' })).toBeVisible();
  await shoot(page, 'actions');

  await page.goto('/system');
  await expect(page.getByRole('region', { name: 'Database' })).toBeVisible();
  await shoot(page, 'system');
});
