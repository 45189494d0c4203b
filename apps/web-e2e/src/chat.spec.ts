import { answer } from '@aegis/testing';
import { SESSION_PROBE } from './browser-errors';
import {
  conversationIdOf,
  conversationList,
  expectSameDocument,
  markDocument,
  messageBox,
  sendMessage,
  thread,
  toolCard,
} from './support/chat-page';
import { expect, expectAccessibleInThemes, test } from './support/fixtures';

const JUSTIFICATION = 'the operator wants to check that the python runtime works';

test.describe('signing in', () => {
  test.use({ expectedFailures: SESSION_PROBE, permissions: ['clipboard-read', 'clipboard-write'] });

  test('sign in, a new conversation, a streamed Markdown answer with a code block, and a tool call that completes', async ({
    page,
    accounts,
    fakeLlm,
  }) => {
    fakeLlm.reset();
    await page.goto('/');
    await page.getByLabel('Username').fill(accounts.operator.username);
    await page.getByLabel('Password').fill(accounts.operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(messageBox(page)).toBeVisible();

    fakeLlm.enqueue(
      'openai',
      answer({ text: ['Let me look ', 'at the workspace.'], toolCalls: [{ name: 'list_directory', arguments: { path: '.' } }] }),
      answer({
        text: [
          'The workspace holds **release notes**:\n\n',
          '- `release-notes.md`\n- nothing else\n\n',
          'To count its lines:\n\n```python\n',
          'print(len(open("release-notes.md").readlines()))\n',
          '```\n\n',
          '<script>document.documentElement.dataset.pwned = "yes"</script>',
          '[a trap](javascript:document.documentElement.dataset.pwned=1) ',
          'and the end.',
        ],
        // Slow enough that the run is seen going on, even on a busy machine.
        chunkDelayMs: 400,
      }),
    );
    await sendMessage(page, 'What is in the workspace?');
    const id = await conversationIdOf(page);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    // The tool call: its card says what ran, its class, and how it ended, with the output.
    const card = toolCard(page, 'list_directory');
    await expect(card).toBeVisible();
    await expect(card).toContainText('READ');
    await expect(card).toContainText('Completed');
    await expect(card).toContainText('release-notes.md');

    // Token by token: the first part shows while the run still goes on (Stop is offered, the end not there yet).
    await expect(page.getByText('release notes', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
    await expect(page.getByText('and the end.')).toHaveCount(0);
    await expect(page.getByText('and the end.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

    // Markdown, safely: bold and a list, a code block with its language and a copy button, no live script or javascript: link.
    await expect(page.locator('strong', { hasText: 'release notes' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'nothing else' })).toBeVisible();
    const code = page.locator('pre', { hasText: 'print(len(' });
    await expect(code).toBeVisible();
    await expect(page.getByText('python', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Copy code' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('print(len(open("release-notes.md").readlines()))');
    await expect(page.locator('html')).not.toHaveAttribute('data-pwned');
    await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
    await expect(page.locator('main script')).toHaveCount(0);

    // The model that answered is named with the answer.
    await expect(page.getByText(/gpt-4\.1-mini/).first()).toBeVisible();

    // The new conversation is in the list, titled by its first message, and links here.
    const list = await conversationList(page);
    await expect(list.locator(`a[href="/c/${id}"]`)).toContainText('What is in the workspace?');

    await expectAccessibleInThemes(page, 'chat with an answer');
  });
});

test('a CRITICAL call waits for an admin, who approves it from another browser through the API, and the card completes without a reload', async ({
  operatorPage: page,
  fakeLlm,
  approver,
  accounts,
}) => {
  const command = `python3 -c "print(6*7)"`;
  fakeLlm.enqueue(
    'openai',
    answer({ toolCalls: [{ name: 'execute_command', arguments: { command, justification: JUSTIFICATION } }] }),
    answer({ text: ['The runtime answered 42.'] }),
  );
  await markDocument(page);
  await sendMessage(page, 'Check the python runtime, please.');

  const card = toolCard(page, 'execute_command');
  await expect(card).toContainText('CRITICAL');
  await expect(card).toContainText('Waiting for approval');
  const countdown = card.locator('time');
  await expect(countdown).toHaveText(/expires in \d+:\d\d/);
  // A live countdown: it moves on by itself.
  const before = await countdown.textContent();
  await expect(countdown).not.toHaveText(before ?? '', { timeout: 3_000 });
  await expect(card).toContainText(JUSTIFICATION);
  await expectAccessibleInThemes(page, 'chat with a call waiting for approval');

  // The admin sees the same request and approves it, from their own session.
  const pending = await approver.api.get<{ items: { id: string; tool: string; args: { command?: string } }[] }>(
    '/api/approvals?status=pending',
  );
  const request = pending.items.find((item) => item.tool === 'execute_command' && item.args.command === command);
  expect(request, 'the pending approval').toBeDefined();
  await approver.api.post(`/api/approvals/${request?.id ?? ''}/approve`, { comment: 'fine for a version check' });

  await expect(card).toContainText('Completed');
  await expect(card).toContainText(`Approved by ${accounts.approver.username}: fine for a version check`);
  await expect(card).not.toContainText('Waiting for approval');
  await expect(page.getByText('The runtime answered 42.')).toBeVisible();
  await expectSameDocument(page);
});

test('a refused call shows its reason', async ({ operatorPage: page, fakeLlm }) => {
  fakeLlm.enqueue(
    'openai',
    answer({ toolCalls: [{ name: 'execute_command', arguments: { command: 'rm release-notes.md' } }] }),
    answer({ text: ['I may not delete it.'] }),
  );
  await sendMessage(page, 'Delete the release notes.');
  const card = toolCard(page, 'execute_command');
  await expect(card).toContainText('Refused');
  await expect(card).toContainText("'rm' is not an allowed program for the operator role (needs admin)");
  await expect(page.getByText('I may not delete it.')).toBeVisible();
});

test('Stop ends a slow answer where it is', async ({ operatorPage: page, fakeLlm }) => {
  const words = ['Counting: ', 'one, ', 'two, ', 'three, ', 'four, ', 'five, ', 'six, ', 'seven, ', 'eight, ', 'nine, ', 'ten.'];
  fakeLlm.enqueue('openai', answer({ text: words, chunkDelayMs: 400 }));
  await sendMessage(page, 'Count to ten, slowly.');
  await expect(page.getByText(/Counting: one,/)).toBeVisible();
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(page.getByText(/cancelled|stopped/i).first()).toBeVisible();
  // What was not streamed before Stop never arrives.
  await page.waitForTimeout(1_000);
  await expect(page.getByText(/ten\./)).toHaveCount(0);
});

test('a reload during an answer replays it once, without duplicated text', async ({ operatorPage: page, fakeLlm }) => {
  fakeLlm.enqueue('openai', answer({ text: ['alpha ', 'bravo ', 'charlie ', 'delta ', 'echo ', 'foxtrot.'], chunkDelayMs: 400 }));
  await sendMessage(page, 'Spell the first six letters.');
  await conversationIdOf(page);
  await expect(page.getByText(/alpha bravo/)).toBeVisible();
  await page.reload();
  await expect(page.getByText('alpha bravo charlie delta echo foxtrot.')).toBeVisible();
  // Once in the thread: not twice from the replay and the stored message.
  const messages = thread(page);
  await expect(messages.getByRole('article', { name: 'Answer' })).toHaveCount(1);
  expect(((await messages.innerText()).match(/alpha/g) ?? []).length).toBe(1);
  await expect(messages.getByRole('article', { name: 'Your message' })).toHaveCount(1);
  await expect(messages.getByText('Spell the first six letters.', { exact: true })).toHaveCount(1);
});

test('when the network drops mid-answer the page says so, reconnects and shows the answer once', async ({
  operatorPage: page,
  context,
  fakeLlm,
}) => {
  fakeLlm.enqueue('openai', answer({ text: ['golf ', 'hotel ', 'india ', 'juliett ', 'kilo ', 'lima ', 'mike.'], chunkDelayMs: 400 }));
  await sendMessage(page, 'Spell on from G.');
  await conversationIdOf(page);
  await expect(page.getByText(/golf hotel/)).toBeVisible();
  const reconnections: string[] = [];
  page.on('websocket', (socket) => reconnections.push(socket.url()));
  await context.setOffline(true);
  const banner = thread(page)
    .getByRole('status')
    .filter({ hasText: /Offline|Reconnecting/ });
  await expect(banner).toBeVisible();
  await page.waitForTimeout(1_000);
  await context.setOffline(false);
  await expect(banner).toHaveCount(0);
  // A new connection, which joins the conversation again and gets the run replayed.
  await expect.poll(() => reconnections.filter((url) => url.includes('/socket.io/')).length).toBeGreaterThan(0);
  await expect(page.getByText('golf hotel india juliett kilo lima mike.')).toBeVisible();
  const messages = thread(page);
  await expect(messages.getByRole('article', { name: 'Answer' })).toHaveCount(1);
  expect(((await messages.innerText()).match(/golf/g) ?? []).length).toBe(1);
});
