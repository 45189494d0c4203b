import { expect, type Locator, type Page } from '@playwright/test';
import { isPhone } from './fixtures';

/** The thread: the messages of the conversation and the composer (a region named "Conversation"). */
export function thread(page: Page): Locator {
  return page.getByRole('region', { name: 'Conversation' });
}

/** The composer's message box ("Message"). */
export function messageBox(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Message' });
}

/** Types a message and sends it with Enter, like a person at the keyboard. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = messageBox(page);
  await box.fill(text);
  await box.press('Enter');
}

/** The card of a tool call: an article named "Tool call: <tool>". */
export function toolCard(page: Page, tool: string): Locator {
  return page.getByRole('article', { name: `Tool call: ${tool}` });
}

/** The id in the address once the conversation exists (`/c/<uuid>`). */
export async function conversationIdOf(page: Page): Promise<string> {
  await expect(page).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split('/').at(-1) ?? '';
}

/** The conversation list: beside the thread on a desktop, in a drawer behind "Conversations" on a phone. */
export async function conversationList(page: Page): Promise<Locator> {
  if (isPhone(page)) {
    const toggle = page.getByRole('button', { name: 'Conversations' });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }
  const list = page.getByRole('navigation', { name: 'Conversations' }).or(page.getByRole('region', { name: 'Conversations' }));
  await expect(list.first()).toBeVisible();
  return list.first();
}

/** Marks the document; if the page is reloaded the mark is gone. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => document.documentElement.setAttribute('data-e2e-same-document', 'yes'));
}

export async function expectSameDocument(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-e2e-same-document', 'yes');
}
