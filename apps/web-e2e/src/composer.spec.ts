import { answer } from '@aegis/testing';
import { messageBox, thread } from './support/chat-page';
import { expect, test } from './support/fixtures';

interface ChatRequest {
  messages: { role: string; content: unknown }[];
}

test('the keyboard: / focuses the message box, Shift+Enter adds a line (the box grows), Enter sends, Esc stops; Regenerate asks again', async ({
  operatorPage: page,
  fakeLlm,
}) => {
  const box = messageBox(page);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('');

  const emptyHeight = (await box.boundingBox())?.height ?? 0;
  await page.keyboard.type('First line');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('second line');
  await expect(box).toHaveValue('First line\nsecond line');
  // The box grows with its text.
  await expect.poll(async () => (await box.boundingBox())?.height ?? 0).toBeGreaterThan(emptyHeight);

  fakeLlm.enqueue('openai', answer({ text: ['one ', 'two ', 'three ', 'four ', 'five ', 'six ', 'seven.'], chunkDelayMs: 400 }));
  await page.keyboard.press('Enter');
  await expect(box).toHaveValue('');
  await expect(thread(page).getByRole('article', { name: 'Your message' })).toContainText('second line');
  await expect(page.getByText(/one two/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Stop' })).toHaveCount(0);
  await expect(page.getByText(/seven\./)).toHaveCount(0);

  // Regenerate sends the last question again for a new answer.
  fakeLlm.enqueue('openai', answer({ text: ['A second take.'] }));
  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.getByText('A second take.')).toBeVisible();
  const asked = fakeLlm.requestsFor('openai').at(-1)?.body as ChatRequest;
  expect(JSON.stringify(asked.messages.at(-1)?.content)).toContain('second line');
});

test('the model picker, fed by the providers, chooses the model that answers, and the answer names it', async ({
  operatorPage: page,
  fakeLlm,
}) => {
  const picker = page.getByRole('combobox', { name: 'Model' });
  await expect(picker.getByRole('option', { name: 'gpt-4o', exact: true })).toHaveCount(1);
  await picker.selectOption('gpt-4o');
  fakeLlm.enqueue('openai', answer({ text: ['Answered by the bigger model.'] }));
  await messageBox(page).fill('Which model are you?');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText('Answered by the bigger model.')).toBeVisible();
  expect((fakeLlm.requestsFor('openai').at(-1)?.body as { model?: string }).model).toBe('gpt-4o');
  await expect(thread(page).getByRole('article', { name: 'Answer' }).last()).toContainText('gpt-4o');
  // Back to the server's choice for the next tests (the choice lives in this tab's session storage).
  await picker.selectOption('');
});
