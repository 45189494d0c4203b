import { expect, test, type Page } from '@playwright/test';
import { collectBrowserErrors, SESSION_PROBE } from './browser-errors';
import { E2E_ADMIN } from './e2e-admin';
import { openSection } from './support/fixtures';

// The copy button writes to the clipboard; the test reads it back to check what was copied.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const sections = (page: Page) => page.getByRole('navigation', { name: 'Sections' });

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('You have signed out.');
}

test('an admin signs in, creates an API key that is shown once and works, revokes it, and signs out', async ({
  page,
  request,
}, testInfo) => {
  const errors = collectBrowserErrors(page, SESSION_PROBE);

  await page.goto('/');
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);

  const banner = page.getByRole('banner');
  await expect(banner.getByText(E2E_ADMIN.username, { exact: true })).toBeVisible();
  await expect(banner.getByText('Administrator', { exact: true })).toBeVisible();
  // Signing in lands in a new chat; the server's state is one section away.
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  await openSection(page, 'Overview');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByText('Operational')).toBeVisible();
  await expect(sections(page).getByRole('link', { name: 'Users' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('dashboard.png') });

  // The session survives a reload: it lives in httpOnly cookies, not in the page or web storage.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  // (The page keeps a chat draft and a model choice in sessionStorage; no credential is among them.)
  const stored = await page.evaluate(() =>
    [window.localStorage, window.sessionStorage].flatMap((storage) =>
      Array.from({ length: storage.length }, (_, index) => {
        const key = storage.key(index) ?? '';
        return [key, storage.getItem(key) ?? ''] as const;
      }),
    ),
  );
  const secrets = (await page.context().cookies()).filter((cookie) => cookie.httpOnly).map((cookie) => cookie.value);
  expect(secrets.length).toBeGreaterThan(0);
  expect(stored.filter(([key, value]) => /token|session|auth/i.test(key) || secrets.some((secret) => value.includes(secret)))).toEqual([]);

  await openSection(page, 'API keys');
  await expect(page.getByText('No API keys yet.')).toBeVisible();
  await page.getByLabel('Name').fill('e2e smoke');
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Create key' }).click();

  const shown = page.getByLabel('New API key');
  await expect(shown).toBeVisible();
  const key = await shown.inputValue();
  expect(key).toMatch(/^aegis_[A-Za-z0-9_-]{20,}$/);
  await expect(page.getByText('Copy it now: this is the only time it is shown.')).toBeVisible();
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(page.getByText('Copied to the clipboard.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  const row = page.getByRole('row', { name: /e2e smoke/ });
  await expect(row).toContainText(`${key.slice(0, 14)}…`);
  await expect(row).toContainText('Viewer');
  await page.screenshot({ path: testInfo.outputPath('api-key-created.png') });

  // The key works, as a program would use it.
  const asKey = await request.get('/api/auth/me', { headers: { Authorization: `Bearer ${key}` } });
  expect(asKey.status()).toBe(200);
  expect(await asKey.json()).toMatchObject({ username: E2E_ADMIN.username, role: 'viewer' });

  await page.getByRole('button', { name: 'I have stored the key' }).click();
  await expect(shown).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Create key' })).toBeVisible();
  expect(await page.content()).not.toContain(key);
  // A reload keeps the place.
  await page.reload();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByRole('row', { name: /e2e smoke/ })).toContainText('Active');
  expect(await page.content()).not.toContain(key);
  await page.screenshot({ path: testInfo.outputPath('api-keys-list.png') });

  // Revoking asks first; afterwards the key no longer opens anything.
  await page
    .getByRole('row', { name: /e2e smoke/ })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(page.getByRole('group', { name: 'Revoke “e2e smoke”?' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('api-key-revoke-confirm.png') });
  await page.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(page.getByRole('row', { name: /e2e smoke/ })).toContainText('Revoked');
  expect((await request.get('/api/auth/me', { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(401);

  await signOut(page);
  await page.screenshot({ path: testInfo.outputPath('signed-out.png') });
  // Signed out for real: the cookies are gone, so a reload lands on the login page again.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('an admin adds an operator, who sees no user administration and changes their password', async ({ page }, testInfo) => {
  const errors = collectBrowserErrors(page, { ...SESSION_PROBE, '/api/auth/password': [422] });
  const operator = { username: 'e2e-operator', password: 'first passphrase for e2e', newPassword: 'second passphrase for e2e' };

  await page.goto('/');
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await openSection(page, 'Users');
  await page.getByLabel('Username').fill(operator.username);
  await page.getByLabel('Initial password').fill(operator.password);
  await page.getByLabel('Role', { exact: true }).selectOption('operator');
  await page.getByRole('button', { name: 'Create user' }).click();
  // (An admin's page has a second, silent status: the approvals announcer.)
  await expect(page.getByRole('status').filter({ hasText: 'Created' })).toHaveText(`Created “${operator.username}” as Operator.`);
  await expect(page.getByRole('combobox', { name: `Role of ${operator.username}` })).toHaveValue('operator');
  await page.screenshot({ path: testInfo.outputPath('users.png') });
  await signOut(page);

  await signIn(page, operator.username, operator.password);
  await expect(page.getByRole('banner').getByText('Operator', { exact: true })).toBeVisible();
  await expect(sections(page).getByRole('link', { name: 'API keys' })).toBeVisible();
  await expect(sections(page).getByRole('link', { name: 'Users' })).toHaveCount(0);

  await openSection(page, 'Account');
  await page.getByLabel('Current password').fill(operator.password);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Repeat the new password').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText('The password was not changed');
  await expect(refusal.getByRole('listitem').first()).toContainText('12 characters');
  await page.screenshot({ path: testInfo.outputPath('account-weak-password.png') });

  await page.getByLabel('New password', { exact: true }).fill(operator.newPassword);
  await page.getByLabel('Repeat the new password').fill(operator.newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Your password was changed');
  await page.screenshot({ path: testInfo.outputPath('password-changed.png') });

  await signIn(page, operator.username, operator.newPassword);
  // Back where they were, signed in with the new password.
  await expect(page.getByRole('banner').getByText(operator.username, { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  expect(errors).toEqual([]);
});
