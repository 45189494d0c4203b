import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answer } from '@aegis/testing';
import { sendMessage, toolCard } from './support/chat-page';
import { workspaceDir } from './support/e2e-env';
import { expect, test } from './support/fixtures';

const JUSTIFICATION = 'the draft was replaced by the release notes and is no longer needed';

test('a SENSITIVE action the agent asks for runs only once the chatting admin confirms it in the card', async ({
  page,
  adminApi,
  fakeLlm,
}, testInfo) => {
  void adminApi;
  fakeLlm.reset();
  const file = `old-draft-${testInfo.project.name}.txt`;
  writeFileSync(join(workspaceDir(), file), 'an old draft\n', { mode: 0o666 });
  fakeLlm.enqueue(
    'openai',
    answer({ toolCalls: [{ name: 'execute_command', arguments: { command: `rm ${file}`, justification: JUSTIFICATION } }] }),
    answer({ text: ['The old draft is gone.'] }),
  );
  await page.goto('/');
  await sendMessage(page, 'Delete the old draft.');

  const card = toolCard(page, 'execute_command');
  await expect(card).toContainText('SENSITIVE');
  await expect(card).toContainText('Waiting for your confirmation');
  const confirmation = card.getByRole('region', { name: 'Your confirmation' });
  await expect(confirmation).toContainText(JUSTIFICATION);
  // Nothing ran yet.
  expect(existsSync(join(workspaceDir(), file))).toBe(true);

  await confirmation.getByRole('button', { name: 'Confirm' }).click();
  await expect(card).toContainText('Completed');
  await expect(page.getByText('The old draft is gone.')).toBeVisible();
  expect(existsSync(join(workspaceDir(), file))).toBe(false);
});

test('a SENSITIVE action the chatting admin declines does not run, and the card says so', async ({ page, adminApi, fakeLlm }, testInfo) => {
  void adminApi;
  fakeLlm.reset();
  const file = `keep-me-${testInfo.project.name}.txt`;
  writeFileSync(join(workspaceDir(), file), 'still needed\n', { mode: 0o666 });
  fakeLlm.enqueue(
    'openai',
    answer({ toolCalls: [{ name: 'execute_command', arguments: { command: `rm ${file}`, justification: JUSTIFICATION } }] }),
    answer({ text: ['I left the file alone.'] }),
  );
  await page.goto('/');
  await sendMessage(page, 'Tidy up the workspace.');

  const card = toolCard(page, 'execute_command');
  await card.getByRole('region', { name: 'Your confirmation' }).getByRole('button', { name: 'Decline' }).click();
  await expect(card).not.toContainText('Waiting for your confirmation');
  await expect(card).toContainText(/declined/i);
  await expect(page.getByText('I left the file alone.')).toBeVisible();
  expect(existsSync(join(workspaceDir(), file))).toBe(true);
});

test('a CRITICAL call an admin rejects says who rejected it and why', async ({ operatorPage: page, fakeLlm, approver, accounts }) => {
  const command = 'python3 -c "print(1)"';
  fakeLlm.enqueue(
    'openai',
    answer({
      toolCalls: [
        { name: 'execute_command', arguments: { command, justification: 'the operator wants to see the runtime answer once more' } },
      ],
    }),
    answer({ text: ['It was rejected, so I did not run it.'] }),
  );
  await sendMessage(page, 'Run the check once more.');
  const card = toolCard(page, 'execute_command');
  await expect(card).toContainText('Waiting for approval');

  const pending = await approver.api.get<{ items: { id: string; args: { command?: string } }[] }>('/api/approvals?status=pending');
  const request = pending.items.find((item) => item.args.command === command);
  expect(request, 'the pending approval').toBeDefined();
  await approver.api.post(`/api/approvals/${request?.id ?? ''}/reject`, { reason: 'not during the release freeze' });

  await expect(card).toContainText('Rejected');
  await expect(card).toContainText(`Rejected by ${accounts.approver.username}: not during the release freeze`);
  await expect(page.getByText('It was rejected, so I did not run it.')).toBeVisible();
});
