import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { answer, embeddings } from '@aegis/testing';
import type { Page } from '@playwright/test';
import { conversationList, sendMessage, toolCard } from './support/chat-page';
import { expect, openSection, test } from './support/fixtures';

/** Where the pictures go: docs/screenshots/<screen>-<light|dark>-<desktop|phone>.png (viewport shots, not full pages). */
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'docs', 'screenshots');
const JUSTIFICATION = 'the operator wants to rebuild the search index after the release';

async function shoot(page: Page, screen: string, device: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    // Let the theme's transitions and the countdown's next tick settle.
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, `${screen}-${theme}-${device}.png`), animations: 'disabled', caret: 'hide' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the workspace screens, light and dark', async ({ operatorPage: page, operatorApi, fakeLlm }, testInfo) => {
  const device = testInfo.project.name;

  // A chat: a tool call that completed, an answer with Markdown and a code block, and a CRITICAL call waiting for an admin.
  fakeLlm.enqueue(
    'openai',
    answer({ toolCalls: [{ name: 'list_directory', arguments: { path: '.' } }] }),
    answer({
      text: [
        'The workspace holds **one file**, `release-notes.md`. To count its lines:\n\n',
        '```python\nwith open("release-notes.md") as notes:\n    print(sum(1 for _ in notes))\n```\n',
      ],
      usage: { inputTokens: 412, outputTokens: 58 },
    }),
    answer({
      toolCalls: [
        { name: 'execute_command', arguments: { command: 'python3 scripts/rebuild_index.py --all', justification: JUSTIFICATION } },
      ],
    }),
  );
  await sendMessage(page, 'What is in the workspace?');
  await expect(page.getByRole('button', { name: 'Copy code' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await sendMessage(page, 'Rebuild the search index, please.');
  await expect(toolCard(page, 'execute_command')).toContainText('Waiting for approval');
  await page.mouse.move(0, 0);
  await shoot(page, 'chat', device);
  if (device === 'phone') {
    // A phone shows less at once: the answer with its code block too.
    await page.locator('pre', { hasText: 'with open(' }).evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await shoot(page, 'chat-answer', device);
  }
  // The waiting run holds one of the user's concurrent runs until it is stopped.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  // The conversation list in its drawer, with a few conversations.
  if (device === 'phone') {
    for (const title of ['Release checklist for 2.4', 'Why is the nightly build slow?'])
      await operatorApi.post('/api/conversations', { title });
    await page.reload();
    const list = await conversationList(page);
    await expect(list.getByRole('link', { name: /Release checklist/ })).toBeVisible();
    await shoot(page, 'conversations', device);
    await page.keyboard.press('Escape');
  }

  // Memory: what the agent keeps about this user.
  fakeLlm.setDefault('openai', embeddings({ dimensions: 1536 }));
  for (const content of [
    'The staging database is called quokka-staging.',
    'Release notes are written in English and reviewed by the docs team.',
    'Prefers Python for scripts and TypeScript for services.',
  ]) {
    await operatorApi.post('/api/memory', { content });
  }
  fakeLlm.setDefault('openai', undefined);
  await page.goto('/');
  await openSection(page, 'Memory');
  await expect(page.getByText('The staging database is called quokka-staging.').first()).toBeVisible();
  await shoot(page, 'memory', device);
});
