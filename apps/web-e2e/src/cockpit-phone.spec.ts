import type { Page } from '@playwright/test';
import { apiSessionOf, approvalCard, JUSTIFICATION, type PendingAnswer } from './support/cockpit-helpers';
import { expect, expectAccessibleInThemes, openSection, test } from './support/fixtures';

/** Nothing on the page is wider than the phone: no sideways scrolling. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
}

test('at 390 px the approval queue is a list of cards, and the audit table turns into stacked cards', async ({
  page,
  adminApi,
  playwright,
  accounts,
}, testInfo) => {
  void adminApi;
  test.setTimeout(60_000);
  const operator = await apiSessionOf(playwright, testInfo, accounts.operator);
  const request = await operator.api.post<PendingAnswer>(
    '/api/tools/execute_command/execute',
    { args: { command: 'python3 -c "print(390)"' }, justification: JUSTIFICATION },
    [202],
  );
  await operator.dispose();

  await page.goto('/approvals');
  await expect(page.getByRole('heading', { level: 1, name: 'Approvals' })).toBeVisible();
  const card = approvalCard(page, request.approvalId);
  await expect(card).toContainText(JUSTIFICATION);
  const box = await card.boundingBox();
  expect(box?.width ?? 0).toBeLessThanOrEqual(390);
  await expectNoSidewaysScroll(page);
  await expectAccessibleInThemes(page, 'approvals queue on a phone');
  // Decided from the phone, so the queue is empty again for the next flows.
  await card.getByRole('button', { name: 'Reject' }).click();
  await card.getByLabel('Reason').fill('asked only to look at the phone layout');
  await card.getByRole('button', { name: 'Reject request' }).click();
  await expect(card).toHaveAttribute('data-status', 'rejected');

  await openSection(page, 'Audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
  const row = page.locator('tr[data-audit-entry-id]').first();
  await expect(row).toBeVisible();
  // A card: the row is a grid, each cell shows its column's name, the header row is hidden.
  await expect(row).toHaveCSS('display', 'grid');
  await expect(row.locator('td[data-label="Decision"]')).toHaveCSS('display', 'grid');
  await expect(page.locator('.audit-table thead')).toHaveCSS('position', 'absolute');
  await expectNoSidewaysScroll(page);
  await expectAccessibleInThemes(page, 'audit on a phone');
});
