import { E2E_ADMIN } from './e2e-admin';
import { expect, expectAccessibleInThemes, test } from './support/fixtures';

test('system: the effective configuration with secrets masked, the sandbox and the embedded database', async ({ page, adminApi }) => {
  void adminApi;
  await page.goto('/system');
  await expect(page.getByRole('heading', { level: 1, name: 'System' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Database' })).toContainText('Embedded (PGlite in the data directory)');
  await expect(page.getByRole('region', { name: 'Sandbox' })).toContainText('bwrap');
  await expect(page.getByRole('region', { name: 'Docker' })).toBeVisible();

  const configuration = page.getByRole('region', { name: 'Configuration' });
  await configuration.getByLabel('Search configuration').fill('OPENAI');
  const key = configuration.locator('tr[data-config-key="OPENAI_API_KEY"]');
  await expect(key).toBeVisible();
  await expect(key).not.toContainText('sk-e2e');
  const password = configuration.locator('tr[data-config-key="ADMIN_PASSWORD"]');
  await configuration.getByLabel('Search configuration').fill('ADMIN_PASSWORD');
  if ((await password.count()) > 0) await expect(password).not.toContainText(E2E_ADMIN.password);
  await expect(page.locator('body')).not.toContainText(E2E_ADMIN.password);
  await configuration.getByLabel('Search configuration').fill('');
  await expectAccessibleInThemes(page, 'system');
});
