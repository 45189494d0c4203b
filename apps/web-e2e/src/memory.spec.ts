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
