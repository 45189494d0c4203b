import { ActionClass } from '@aegis/contracts';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ConfirmHandler, ToolCallView } from '../types';
import { capOutput } from '../../../components/governance/tool-output';
import { ToolCallCard, formatDuration } from './tool-call-card';

function toolCall(overrides: Partial<ToolCallView> = {}): ToolCallView {
  return {
    toolCallId: 'call-1',
    tool: 'execute_command',
    args: { program: 'ls', args: ['-la'] },
    actionClass: ActionClass.Moderate,
    phase: 'running',
    output: null,
    errorCode: null,
    actionId: null,
    approval: null,
    approvalDecision: null,
    confirmation: null,
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

const noConfirm: ConfirmHandler = () => Promise.resolve(null);

function renderCard(overrides: Partial<ToolCallView> = {}, onConfirm: ConfirmHandler = noConfirm) {
  const view = render(<ToolCallCard call={toolCall(overrides)} onConfirm={onConfirm} />);
  return { ...view, card: screen.getByRole('article', { name: 'Tool call: execute_command' }) };
}

function inFuture(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

describe('ToolCallCard', () => {
  it('shows the tool, its class, its status and its arguments while running', () => {
    const { card } = renderCard();
    expect(card.getAttribute('data-phase')).toBe('running');
    expect(within(card).getByText('execute_command')).toBeTruthy();
    expect(within(card).getByText('MODERATE')).toBeTruthy();
    expect(within(card).getByText('Running')).toBeTruthy();
    expect(card.querySelector('.tool-card__args')?.textContent).toBe('programlsargs["-la"]');
  });

  it('says "unclassified" when governance never classified the call', () => {
    const { card } = renderCard({ actionClass: null, phase: 'refused', errorCode: 'INVALID_ARGUMENTS', output: 'program: Required' });
    expect(within(card).getByText('unclassified')).toBeTruthy();
  });

  it('folds a long argument behind a toggle', () => {
    const { card } = renderCard({ args: { content: 'x'.repeat(500) } });
    expect(card.querySelector('.tool-card__arg-text')?.textContent).toHaveLength(161);
    fireEvent.click(within(card).getByRole('button', { name: 'Show full content' }));
    expect(card.querySelector('.tool-card__arg-text')?.textContent).toHaveLength(500);
    expect(within(card).getByRole('button', { name: 'Fold content' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('shows a completed call with its output, action id and duration', () => {
    const { card } = renderCard({
      phase: 'completed',
      output: { exitCode: 0, stdout: 'a\nb\n' },
      actionId: '0b5c2a1e-1111-4222-8333-444455556666',
      startedAt: 1000,
      finishedAt: 2200,
    });
    expect(within(card).getByText('Completed')).toBeTruthy();
    expect(card.querySelector('.tool-output__text')?.textContent).toBe('exitCode: 0\nstdout:\na\nb');
    expect(within(card).queryByRole('button', { name: 'Show all' })).toBeNull();
    const id = within(card).getByText('0b5c2a1e');
    expect(id.getAttribute('title')).toBe('0b5c2a1e-1111-4222-8333-444455556666');
    expect(card.querySelector('.tool-card__footer')?.textContent).toContain('took 1.2 s');
  });

  it('says "No output" for a completed call that returned nothing', () => {
    const { card } = renderCard({ phase: 'completed', output: '' });
    expect(within(card).getByText('No output')).toBeTruthy();
    expect(card.querySelector('.tool-output')).toBeNull();
  });

  it('caps long output and shows all of it on request', () => {
    const output = Array.from({ length: 100 }, (_, line) => `line ${line + 1}`).join('\n');
    const { card } = renderCard({ phase: 'completed', output });
    const pre = card.querySelector('.tool-output__text');
    expect(pre?.textContent?.split('\n')).toHaveLength(40);
    const showAll = within(card).getByRole('button', { name: 'Show all' });
    expect(showAll.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(showAll);
    expect(pre?.textContent).toBe(output);
    fireEvent.click(within(card).getByRole('button', { name: 'Show less' }));
    expect(pre?.textContent?.split('\n')).toHaveLength(40);
  });

  it('caps by size as well as by lines', () => {
    expect(capOutput('y'.repeat(5000))).toHaveLength(4096);
    expect(capOutput('short')).toBeNull();
  });

  it('shows a refusal in words with the server message and the code in small print', () => {
    const { card } = renderCard({
      phase: 'refused',
      actionClass: ActionClass.Critical,
      errorCode: 'POLICY_DENIED',
      output: 'The role user may not run CRITICAL actions.',
    });
    expect(within(card).getByText('Refused')).toBeTruthy();
    expect(within(card).getByText('Your role may not run this action.')).toBeTruthy();
    expect(within(card).getByText('The role user may not run CRITICAL actions.')).toBeTruthy();
    expect(within(card).getByText('POLICY_DENIED')).toBeTruthy();
    expect(card.querySelector('.tool-output')).toBeNull();
  });

  it('keeps the server message for a code it has no words for', () => {
    const { card } = renderCard({ phase: 'failed', errorCode: 'SOMETHING_NEW', output: 'The disk is full.' });
    expect(within(card).getByText('Failed')).toBeTruthy();
    expect(within(card).getByText('The disk is full.')).toBeTruthy();
    expect(within(card).getByText('SOMETHING_NEW')).toBeTruthy();
  });

  it("prefers the server's sentence to generic words when there is no code", () => {
    const { card } = renderCard({ phase: 'rejected', output: 'The approval request was rejected by bob: No; the action did not run.' });
    expect(card.querySelector('.tool-card__reason')?.textContent).toBe(
      'The approval request was rejected by bob: No; the action did not run.',
    );
  });

  it('says a declined or unanswered confirmation as such', () => {
    const confirmation = { confirmationId: 'c', expiresAt: '2026-01-01T10:00:00Z', justification: null, args: {} };
    const { rerender } = renderCard({ phase: 'rejected', confirmation });
    expect(screen.getByText('You declined it; the action did not run.')).toBeTruthy();
    rerender(<ToolCallCard call={toolCall({ phase: 'expired', confirmation })} onConfirm={noConfirm} />);
    expect(screen.getByText('No answer came in time; the action did not run.')).toBeTruthy();
  });

  it('reads the approval from the output of a call loaded from history', () => {
    const { card } = renderCard({ phase: 'completed', output: { approvedBy: 'bob', comment: 'ok', actionStatus: 'completed' } });
    expect(within(card).getByText('Approved by bob: ok')).toBeTruthy();
    expect(card.querySelector('.tool-output')).toBeNull();
  });

  it.each([
    ['rejected', 'Rejected', 'The approval request was rejected; the action did not run.'],
    ['expired', 'Expired', 'No one decided in time; the action did not run.'],
    ['cancelled', 'Cancelled', 'The run was stopped before this action finished.'],
  ] as const)('says %s in words', (phase, status, reason) => {
    const { card } = renderCard({ phase, output: null });
    expect(within(card).getByText(status)).toBeTruthy();
    expect(within(card).getByText(reason)).toBeTruthy();
  });

  it('shows who must approve, the justification and a countdown while waiting for an admin', () => {
    const { card } = renderCard({
      phase: 'awaiting-approval',
      actionClass: ActionClass.Critical,
      approval: {
        approvalId: 'a-1',
        expiresAt: inFuture(299_500),
        requestedBy: 'alice',
        justification: 'Clean the build cache',
        needsAnotherAdmin: false,
      },
    });
    expect(within(card).getByText('Waiting for approval by an admin')).toBeTruthy();
    expect(card.querySelector('time')?.textContent).toBe('expires in 5:00');
    expect(within(card).getByText('Requested by alice')).toBeTruthy();
    expect(within(card).getByText('Clean the build cache')).toBeTruthy();
  });

  it('asks for another admin when the requester is an admin (four eyes)', () => {
    const { card } = renderCard({
      phase: 'awaiting-approval',
      approval: { approvalId: 'a-1', expiresAt: inFuture(60_000), requestedBy: 'admin', justification: '', needsAnotherAdmin: true },
    });
    expect(within(card).getByText('Waiting for approval by another admin')).toBeTruthy();
  });

  it.each([
    [{ status: 'approved', decidedBy: 'bob', comment: null }, 'Approved by bob'],
    [{ status: 'rejected', decidedBy: 'bob', comment: 'Not on a Friday' }, 'Rejected by bob: Not on a Friday'],
    [{ status: 'expired', decidedBy: null, comment: null }, 'Expired: no one decided in time.'],
  ] as const)('shows a decided approval (%o)', (decision, words) => {
    const { card } = renderCard({ phase: decision.status === 'approved' ? 'completed' : decision.status, approvalDecision: decision });
    expect(within(card).getByText(words)).toBeTruthy();
  });

  it('does not repeat a rejection the decision line already says', () => {
    const { card } = renderCard({
      phase: 'rejected',
      approvalDecision: { status: 'rejected', decidedBy: 'bob', comment: 'No' },
      output: 'The approval request was rejected by bob: No; the action did not run.',
    });
    expect(within(card).getByText('Rejected by bob: No')).toBeTruthy();
    expect(within(card).queryByText(/the action did not run/)).toBeNull();
  });

  it("shows an approved call's outcome once, not the server's approval summary as output", () => {
    const { card } = renderCard({
      phase: 'completed',
      approvalDecision: { status: 'approved', decidedBy: 'bob', comment: null },
      output: { approvedBy: 'bob', comment: null, actionStatus: 'completed' },
    });
    expect(within(card).getByText('Approved by bob')).toBeTruthy();
    expect(card.querySelector('.tool-output')).toBeNull();
  });

  describe('confirmation', () => {
    const confirmation = {
      confirmationId: 'conf-1',
      expiresAt: inFuture(120_000),
      justification: 'The user asked to deploy',
      args: { path: 'deploy.sh', contentSha256: 'abc', size: 12 },
    };

    it("shows the model's reason as the model's, the audited arguments and a countdown", () => {
      const { card } = renderCard({ phase: 'awaiting-confirmation', actionClass: ActionClass.Sensitive, confirmation });
      expect(within(card).getByText('Waiting for your confirmation')).toBeTruthy();
      expect(within(card).getByText(/The model’s reason/)).toBeTruthy();
      expect(within(card).getByText('The user asked to deploy')).toBeTruthy();
      expect(card.querySelector('.tool-card__args')?.textContent).toContain('contentSha256');
      expect(card.querySelector('time')?.textContent).toMatch(/^expires in [12]:/);
    });

    it.each(['confirmed', 'declined'] as const)('answers %s through onConfirm and disables both buttons', async (decision) => {
      let resolve: (value: string | null) => void = () => undefined;
      const onConfirm = vi.fn<ConfirmHandler>(() => new Promise((done) => (resolve = done)));
      const { card } = renderCard({ phase: 'awaiting-confirmation', confirmation }, onConfirm);
      fireEvent.click(within(card).getByRole('button', { name: decision === 'confirmed' ? 'Confirm' : 'Decline' }));
      expect(onConfirm).toHaveBeenCalledWith('conf-1', decision);
      expect(within(card).getByRole('button', { name: 'Confirm' })).toHaveProperty('disabled', true);
      expect(within(card).getByRole('button', { name: 'Decline' })).toHaveProperty('disabled', true);
      resolve(null);
      await waitFor(() => expect(within(card).queryByText('Sending…')).toBeNull());
      expect(within(card).getByRole('button', { name: 'Confirm' })).toHaveProperty('disabled', true);
    });

    it('shows the refusal it resolves with and lets the person answer again', async () => {
      const onConfirm = vi.fn<ConfirmHandler>(() => Promise.resolve('This confirmation was already decided.'));
      const { card } = renderCard({ phase: 'awaiting-confirmation', confirmation }, onConfirm);
      fireEvent.click(within(card).getByRole('button', { name: 'Confirm' }));
      expect((await within(card).findByRole('alert')).textContent).toBe('This confirmation was already decided.');
      expect(within(card).getByRole('button', { name: 'Confirm' })).toHaveProperty('disabled', false);
    });
  });

  it('updates in place when the call moves on', () => {
    const { card, rerender } = renderCard();
    rerender(<ToolCallCard call={toolCall({ phase: 'completed', output: 'done' })} onConfirm={noConfirm} />);
    expect(screen.getByRole('article', { name: 'Tool call: execute_command' })).toBe(card);
    expect(within(card).getByText('Completed')).toBeTruthy();
    expect(within(card).getByText('done')).toBeTruthy();
  });

  it('renders no style attribute', () => {
    const { container } = renderCard({ phase: 'completed', output: 'x\n'.repeat(50) });
    expect(container.querySelector('[style]')).toBeNull();
  });

  it('formats durations', () => {
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});
