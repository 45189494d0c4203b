import { expect, expectAccessibleInThemes, openSection, test } from './support/fixtures';

/**
 * The pages around the chat, as an admin sees them (Users is theirs only). The chat and memory
 * pages are checked in their flows, with an answer, tool cards and a saved item on them.
 */
const SECTIONS = ['API keys', 'Users', 'Account'] as const;

test('the keys, users, account and not-found pages have no serious accessibility violation, in light and in dark', async ({
  page,
  adminApi,
}) => {
  void adminApi;
  test.setTimeout(60_000);
  // Through the sidebar, as a person goes: one page load for all the sections.
  await page.goto('/');
  for (const section of SECTIONS) {
    await test.step(section, async () => {
      await openSection(page, section);
      await expect(page.getByRole('heading', { level: 1, name: section })).toBeVisible();
      await expectAccessibleInThemes(page, section);
    });
  }
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
  await expectAccessibleInThemes(page, 'not found');
});

test('an empty chat has no serious accessibility violation, and a conversation id that is not one shows Not found', async ({
  operatorPage: page,
}) => {
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expectAccessibleInThemes(page, 'new chat');
  await page.goto('/c/not-a-conversation-id');
  await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
});
