import { answer, embeddings } from '@aegis/testing';
import { sendMessage, toolCard } from './support/chat-page';
import { expect, expectAccessibleInThemes, openSection, test } from './support/fixtures';

/** The size of the memory column's vectors (the embedded database has pgvector). */
const EMBEDDING_DIMENSIONS = 1536;

test('the memory page lists what the agent saved in a chat', async ({ operatorPage: page, fakeLlm }, testInfo) => {
  const fact = `The staging database of the ${testInfo.project.name} team is called quokka-staging.`;
  fakeLlm.enqueue(
    'openai',
    answer({ toolCalls: [{ name: 'memory_save', arguments: { content: fact } }] }),
    embeddings({ dimensions: EMBEDDING_DIMENSIONS }),
    answer({ text: ['Noted: I will remember it.'] }),
  );
  await sendMessage(page, 'Remember what our staging database is called.');
  const card = toolCard(page, 'memory_save');
  await expect(card).toContainText('Completed');
  await expect(card).toContainText('SAFE');
  await expect(page.getByText('Noted: I will remember it.')).toBeVisible();

  await openSection(page, 'Memory');
  await expect(page).toHaveURL(/\/memory$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Memory' })).toBeVisible();
  await expect(page.getByText(fact)).toBeVisible();
  await expectAccessibleInThemes(page, 'memory');
});

test('on the memory page a person adds an item, finds it by searching, and deletes it after confirming', async ({
  operatorPage: page,
  fakeLlm,
}, testInfo) => {
  const fact = `The ${testInfo.project.name} on-call rotation changes on Mondays at nine.`;
  // Saving embeds the text, and searching embeds the query, where the database has vectors.
  fakeLlm.setDefault('openai', embeddings({ dimensions: EMBEDDING_DIMENSIONS }));
  await openSection(page, 'Memory');
  await page.getByRole('textbox', { name: 'Memory', exact: true }).fill(fact);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const list = page.getByRole('list', { name: 'What the agent remembers' });
  await expect(list.getByText(fact)).toBeVisible();

  // The fake's vectors are all alike, so other items come along; the one whose words match comes first.
  await page.getByRole('searchbox', { name: 'Search memory' }).fill('rotation Mondays');
  await expect(list.getByRole('listitem').first()).toContainText(fact);

  const item = list.getByRole('listitem').filter({ hasText: fact });
  await item.getByRole('button', { name: 'Delete' }).click();
  await item.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(list.getByText(fact)).toHaveCount(0);
});
