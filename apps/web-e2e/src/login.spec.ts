import { expect, test } from '@playwright/test';
import { collectBrowserErrors, SESSION_PROBE } from './browser-errors';

test('the login page renders under the CSP without console or page errors', async ({ page }, testInfo) => {
  const errors = collectBrowserErrors(page, SESSION_PROBE);

  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Username')).toBeVisible();
  await expect(page.getByLabel('Password')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveTitle('Aegis');

  await page.screenshot({ path: testInfo.outputPath('login-page.png') });
  expect(errors).toEqual([]);
});

test('wrong credentials show an error message, and the page keeps working', async ({ page }, testInfo) => {
  const errors = collectBrowserErrors(page, { ...SESSION_PROBE, '/api/auth/login': [401] });

  await page.goto('/');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('definitely-not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toHaveText('Invalid username or password');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await expect(page.getByLabel('Password')).toBeVisible();

  await page.screenshot({ path: testInfo.outputPath('login-refused.png') });
  expect(errors).toEqual([]);
});
