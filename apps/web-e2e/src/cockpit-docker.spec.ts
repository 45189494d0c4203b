import type { Locator } from '@playwright/test';
import {
  approvalCard,
  containerStartedAt,
  E2E_CONTAINER,
  JUSTIFICATION,
  removeE2eContainer,
  startE2eContainer,
  watchedPage,
} from './support/cockpit-helpers';
import { expect, expectAccessibleInThemes, test } from './support/fixtures';

test.beforeAll(() => startE2eContainer());
test.afterAll(() => removeE2eContainer());

/** The number of the newest "tick <n>" line the log box shows. */
async function lastTick(box: Locator): Promise<number> {
  const text = (await box.locator('.log-line').last().textContent()) ?? '';
  const match = /tick (\d+)/.exec(text);
  return match ? Number(match[1]) : 0;
}

test('Docker panel: the allowlisted container, its log followed live, and a restart that waits for an admin and resolves live', async ({
  page,
  operatorApi,
  approver,
  accounts,
}) => {
  void operatorApi;
  test.setTimeout(90_000);
  await page.goto('/docker');
  await expect(page.getByRole('heading', { level: 1, name: 'Docker' })).toBeVisible();
  const row = page.locator(`tr[data-container="${E2E_CONTAINER}"]`);
  await expect(row).toContainText('aegis-sandbox:local');
  await expect(row.locator('td[data-label="State"]')).toContainText(/running/i);

  await row.getByRole('link', { name: `Logs of ${E2E_CONTAINER}` }).click();
  await expect(page).toHaveURL(new RegExp(`container=${E2E_CONTAINER}`));
  const logs = page.getByRole('region', { name: `Logs of ${E2E_CONTAINER}` });
  const box = logs.getByRole('region', { name: `Log lines of ${E2E_CONTAINER}` });
  await expect(box.locator('.log-line').first()).toContainText('tick');

  // Follow: new lines arrive while the page stays as it is.
  await logs.getByRole('button', { name: 'Follow' }).click();
  await expect(logs.getByRole('button', { name: 'Follow' })).toHaveAttribute('aria-pressed', 'true');
  await expect(logs.locator('[data-follow-state]')).toHaveAttribute('data-follow-state', 'live');
  await expect(logs.locator('[data-follow-state]')).toHaveText('Following — live');
  const first = await lastTick(box);
  await expect.poll(() => lastTick(box), { timeout: 10_000 }).toBeGreaterThan(first);
  const second = await lastTick(box);
  await expect.poll(() => lastTick(box), { timeout: 10_000 }).toBeGreaterThan(second);
  await expectAccessibleInThemes(page, 'Docker panel following a log');

  // A restart is CRITICAL here (GOVERNANCE_RAISE_CLASSES): the operator asks, an admin decides.
  const startedBefore = containerStartedAt();
  const detail = page.locator(`[data-selected-container="${E2E_CONTAINER}"]`);
  await detail.getByRole('button', { name: 'Restart' }).click();
  const form = detail.getByRole('form', { name: `Restart ${E2E_CONTAINER}` });
  await expect(form).toContainText('CRITICAL');
  await form.getByLabel('Justification').fill(JUSTIFICATION);
  await form.getByRole('button', { name: 'Request restart' }).click();
  const outcome = detail.locator('[data-restart-outcome]');
  await expect(outcome).toHaveAttribute('data-restart-outcome', 'pending');
  await expect(outcome).toContainText(`Restart of ${E2E_CONTAINER} requested`);
  await expect(detail.getByRole('button', { name: 'Restart' })).toBeDisabled();

  // The second admin approves in the queue of their own browser.
  const { page: admin, errors } = await watchedPage(approver.context);
  await admin.goto('/approvals');
  const pending = await approver.api.get<{
    items: { id: string; tool: string; args: { container?: string }; requestedBy: { name: string } }[];
  }>('/api/approvals?status=pending');
  const request = pending.items.find((item) => item.tool === 'docker_restart' && item.args.container === E2E_CONTAINER);
  expect(request?.requestedBy.name).toBe(accounts.operator.username);
  const card = approvalCard(admin, request?.id ?? '');
  await card.getByRole('button', { name: 'Approve' }).click();
  await card.getByRole('button', { name: 'Approve and run' }).click();
  await expect(card).toHaveAttribute('data-status', 'executed', { timeout: 30_000 });
  expect(errors, 'the approver’s console').toEqual([]);

  // The operator's page learns it without a reload, and the container did restart.
  await expect(outcome).toHaveAttribute('data-restart-outcome', 'approved', { timeout: 30_000 });
  await expect(outcome).toContainText(`Restart of ${E2E_CONTAINER} approved by ${accounts.approver.username} and done`);
  expect(containerStartedAt()).not.toBe(startedBefore);
});
