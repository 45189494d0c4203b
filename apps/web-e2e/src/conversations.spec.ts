import { conversationList, messageBox } from './support/chat-page';
import { expect, test } from './support/fixtures';

interface Conversation {
  id: string;
  title: string;
}

test('the conversation list searches, keeps a draft per conversation across switches and back, renames, and deletes after asking', async ({
  operatorPage: page,
  operatorApi,
}, testInfo) => {
  const suffix = `${testInfo.project.name}-${Date.now()}`;
  const report = await operatorApi.post<Conversation>('/api/conversations', { title: `Quarterly report ${suffix}` });
  const holiday = await operatorApi.post<Conversation>('/api/conversations', { title: `Holiday plans ${suffix}` });
  await page.reload();

  // Search by title.
  let list = await conversationList(page);
  await list.getByRole('searchbox', { name: 'Search conversations' }).fill(`quarterly report ${suffix}`);
  await expect(list.getByRole('link', { name: new RegExp(`Quarterly report ${suffix}`) })).toBeVisible();
  await expect(list.getByRole('link', { name: new RegExp(`Holiday plans ${suffix}`) })).toHaveCount(0);
  await list.getByRole('searchbox', { name: 'Search conversations' }).fill('');

  // A draft stays with its conversation: away to another one and back with the browser's Back.
  await list.getByRole('link', { name: new RegExp(`Quarterly report ${suffix}`) }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${report.id}$`));
  await messageBox(page).fill('a half-written question');
  list = await conversationList(page);
  await list.getByRole('link', { name: new RegExp(`Holiday plans ${suffix}`) }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${holiday.id}$`));
  await expect(messageBox(page)).toHaveValue('');
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/c/${report.id}$`));
  await expect(messageBox(page)).toHaveValue('a half-written question');

  // Rename in place.
  list = await conversationList(page);
  await list.getByRole('button', { name: `Rename “Quarterly report ${suffix}”` }).click();
  await list.getByRole('textbox', { name: 'Conversation title' }).fill(`Q3 report ${suffix}`);
  await list.getByRole('button', { name: 'Save' }).click();
  await expect(list.getByRole('link', { name: new RegExp(`Q3 report ${suffix}`) })).toBeVisible();
  const titles = await operatorApi.get<{ items: Conversation[] }>(`/api/conversations?q=${encodeURIComponent(suffix)}`);
  expect(titles.items.map((item) => item.title).sort()).toEqual([`Holiday plans ${suffix}`, `Q3 report ${suffix}`]);

  // Delete asks first (its button shows on hover, as for a mouse user).
  await list.getByRole('link', { name: new RegExp(`Holiday plans ${suffix}`) }).hover();
  await list.getByRole('button', { name: `Delete “Holiday plans ${suffix}”` }).click();
  const question = list.getByRole('group', { name: `Delete “Holiday plans ${suffix}”?` });
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(list.getByRole('link', { name: new RegExp(`Holiday plans ${suffix}`) })).toHaveCount(0);
  await expect
    .poll(async () => (await operatorApi.request.get(`/api/conversations/${holiday.id}/messages`)).status(), {
      message: 'deleted on the server',
    })
    .toBe(404);
});
