import { answer } from '@aegis/testing';
import { expectSameDocument, markDocument, sendMessage, toolCard } from './support/chat-page';
import {
  apiSessionOf,
  approvalCard,
  approvalsLink,
  JUSTIFICATION,
  pendingCount,
  watchedPage,
  type PendingAnswer,
} from './support/cockpit-helpers';
import { E2E_ADMIN } from './e2e-admin';
import { expect, expectAccessibleInThemes, test } from './support/fixtures';

interface ActionItem {
  id: string;
  approvalId: string | null;
  tool: string;
  status: string;
}

test('an operator’s CRITICAL request reaches the admin’s queue and badge live, and approving it runs it once', async ({
  page,
  adminApi,
  playwright,
  accounts,
}, testInfo) => {
  test.setTimeout(60_000);
  await page.goto('/approvals');
  await expect(page.getByRole('heading', { level: 1, name: 'Approvals' })).toBeVisible();
  const before = await pendingCount(adminApi);
  if (before > 0) await expect(approvalsLink(page)).toHaveAccessibleName(new RegExp(`\\(${before} pending\\)`));
  await markDocument(page);

  // The operator asks through the API (another person, another session): CRITICAL waits for an admin.
  const operator = await apiSessionOf(playwright, testInfo, accounts.operator);
  const command = 'python3 --version';
  const request = await operator.api.post<PendingAnswer>(
    '/api/tools/execute_command/execute',
    { args: { command }, justification: JUSTIFICATION },
    [202],
  );
  expect(request.status).toBe('pending');

  // No reload: the socket brings the request and the count.
  const card = approvalCard(page, request.approvalId);
  await expect(card).toBeVisible();
  await expect(card).toHaveAccessibleName('Approval request: execute_command');
  await expect(card).toContainText(accounts.operator.username);
  await expect(card).toContainText('CRITICAL');
  await expect(card).toContainText(JUSTIFICATION);
  await expect(card).toContainText(command);
  await expect(approvalsLink(page)).toHaveAccessibleName(new RegExp(`\\(${before + 1} pending\\)`));
  await expectSameDocument(page);
  await expectAccessibleInThemes(page, 'approvals queue with a request');

  await card.getByRole('button', { name: 'Approve' }).click();
  const form = card.getByRole('form', { name: 'Approve execute_command' });
  await form.getByLabel('Comment (optional)').fill('runtime check before the release');
  await form.getByRole('button', { name: 'Approve and run' }).click();

  // Decided: the card says so in place, the badge drops it; the approved tab tells what became of it.
  await expect(card).toHaveAttribute('data-status', /^(executed|failed)$/);
  if (before === 0) await expect(approvalsLink(page)).toHaveAccessibleName('Approvals');
  else await expect(approvalsLink(page)).toHaveAccessibleName(new RegExp(`\\(${before} pending\\)`));
  await page.getByRole('navigation', { name: 'Approval requests by status' }).getByRole('link', { name: 'Approved' }).click();
  await expect(page).toHaveURL(/\/approvals\?tab=approved$/);
  const decided = approvalCard(page, request.approvalId);
  // The sandbox may or may not have python3; either way the card says what became of the action.
  await expect(decided).toContainText(new RegExp(`Approved by ${E2E_ADMIN.username} .*; the action (ran|failed)\\.`));
  await expect(decided).toContainText('Comment: runtime check before the release');

  // It ran exactly once: one action for this approval, in the API and in the actions history.
  const actions = await adminApi.get<{ items: ActionItem[] }>('/api/actions?tool=execute_command&limit=200');
  const ran = actions.items.filter((action) => action.approvalId === request.approvalId);
  expect(ran, 'one action for the approval').toHaveLength(1);
  const actionId = ran[0]?.id ?? '';
  await expect(decided).toContainText(actionId);
  await page.goto('/actions?tool=execute_command');
  await expect(page.getByRole('table', { name: 'Actions' })).toBeVisible();
  await expect(page.locator(`tr[data-action-id="${actionId}"]`)).toHaveCount(1);
  await expect(page.locator(`tr[data-action-id="${actionId}"]`)).toHaveAttribute('data-status', /^(completed|failed)$/);
  await expectAccessibleInThemes(page, 'actions');
  await operator.dispose();
});

test('a request an admin rejects in the queue tells the requester, in their chat, who rejected it and why', async ({
  operatorPage,
  fakeLlm,
  approver,
  accounts,
}) => {
  test.setTimeout(60_000);
  const command = 'python3 -c "print(2)"';
  fakeLlm.enqueue(
    'openai',
    answer({ toolCalls: [{ name: 'execute_command', arguments: { command, justification: JUSTIFICATION } }] }),
    answer({ text: ['An admin rejected it, so it did not run.'] }),
  );
  await sendMessage(operatorPage, 'Check the runtime once more.');
  const chatCard = toolCard(operatorPage, 'execute_command');
  await expect(chatCard).toContainText('Waiting for approval');

  // The second admin decides in the cockpit of their own browser.
  const { page: admin, errors } = await watchedPage(approver.context);
  await admin.goto('/approvals');
  const pending = await approver.api.get<{ items: { id: string; args: { command?: string } }[] }>('/api/approvals?status=pending');
  const approvalId = pending.items.find((item) => item.args.command === command)?.id ?? '';
  expect(approvalId, 'the chat’s request in the queue').not.toBe('');
  const card = approvalCard(admin, approvalId);
  await expect(card).toContainText('a chat run (open the conversation)');
  await card.getByRole('button', { name: 'Reject' }).click();
  const form = card.getByRole('form', { name: 'Reject execute_command' });
  // A rejection needs its reason.
  await form.getByRole('button', { name: 'Reject request' }).click();
  await expect(form.getByLabel('Reason')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('Say why it may not run: the requester sees the reason.');
  await form.getByLabel('Reason').fill('not during the release freeze');
  await form.getByRole('button', { name: 'Reject request' }).click();
  await expect(card).toHaveAttribute('data-status', 'rejected');

  await expect(chatCard).toContainText(`Rejected by ${accounts.approver.username}: not during the release freeze`);
  await expect(operatorPage.getByText('An admin rejected it, so it did not run.')).toBeVisible();

  await admin.getByRole('navigation', { name: 'Approval requests by status' }).getByRole('link', { name: 'Rejected' }).click();
  await expect(approvalCard(admin, approvalId)).toContainText(`Rejected by ${accounts.approver.username}`);
  await expect(approvalCard(admin, approvalId)).toContainText('Reason: not during the release freeze');
  expect(errors, 'the approver’s console').toEqual([]);
});
