import { expect, expectAccessibleInThemes, test } from './support/fixtures';

/**
 * The pages around the chat, as an admin sees them (Users is theirs only). The chat and memory
 * pages are checked in their flows, with an answer, tool cards and a saved item on them.
 */
const PAGES = [
  { path: '/keys', label: 'API keys', heading: 'API keys' },
  { path: '/users', label: 'users', heading: 'Users' },
  { path: '/account', label: 'account', heading: 'Account' },
  { path: '/overview', label: 'overview', heading: 'Overview' },
  { path: '/no-such-page', label: 'not found', heading: 'Not found' },
] as const;

test('the keys, users, account, overview and not-found pages have no serious accessibility violation, in light and in dark', async ({ page, adminApi }) => {
  void adminApi;
  test.setTimeout(60_000);
  for (const { path, label, heading } of PAGES) {
    await test.step(label, async () => {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expectAccessibleInThemes(page, label);
    });
  }
});

test('an empty chat has no serious accessibility violation, and a conversation id that is not one shows Not found', async ({ operatorPage: page }) => {
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expectAccessibleInThemes(page, 'new chat');
  await page.goto('/c/not-a-conversation-id');
  await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
});
