import { ErrorCode } from '@aegis/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorBody, fakeApi, jsonResponse } from '../../../testing/fake-api';
import type { Approval } from '../api/get-approvals';
import { approval, CONVERSATION_ID, renderOnApprovals } from '../testing/approvals-fixtures';
import { ApprovalsPage } from './approvals-page';

const ADMIN = { id: '0a0a0a0a-0000-4000-8000-00000000ad01', name: 'admin' };
const ADA = { id: '0a0a0a0a-0000-4000-8000-00000000ad0a', name: 'ada' };

function statusesOf(request: Request): string {
  return new URL(request.url).searchParams.getAll('status').join(',');
}

function query(request: Request): Record<string, string> {
  const params = new URL(request.url).searchParams;
  return { status: params.getAll('status').join(','), limit: params.get('limit') ?? '', cursor: params.get('cursor') ?? '' };
}

function cards(): HTMLElement[] {
  return screen.queryAllByRole('article');
}

function cardFor(tool: string): HTMLElement {
  return screen.getByRole('article', { name: `Approval request: ${tool}` });
}

/** GET /api/approvals answering per tab; with no status (a card brought up to date) it answers `everything`. */
function listRoute(byStatuses: Record<string, Approval[]>, everything: () => Approval[] = () => []) {
  return (request: Request) => {
    const statuses = statusesOf(request);
    if (statuses === '') return jsonResponse(200, { items: everything(), nextCursor: null });
    return jsonResponse(200, { items: byStatuses[statuses] ?? [], nextCursor: null });
  };
}

describe('ApprovalsPage: the queue and its tabs', () => {
  it('lists the pending requests newest first with requester, class, exact arguments, justification, origin and time left; "Load more" pages', async () => {
    const newest = approval(1, { tool: 'apt_install', args: { packages: ['coreutils'], assumeYes: true } });
    const older = approval(2, {
      tool: 'docker_restart',
      requestedBy: { type: 'api_key', id: 'key-1', name: 'deploy-bot', userId: ADA.id, role: 'operator' },
      origin: 'api_key',
      conversationId: null,
      runId: null,
    });
    const oldest = approval(3, { tool: 'write_file', origin: 'http', conversationId: null, runId: null });
    const requests = fakeApi({
      'GET /api/approvals': (request) =>
        query(request).cursor === 'next'
          ? jsonResponse(200, { items: [oldest], nextCursor: null })
          : jsonResponse(200, { items: [newest, older], nextCursor: 'next' }),
    });
    renderOnApprovals(<ApprovalsPage />);

    expect(await screen.findByText('Loading approval requests…')).toBeTruthy();
    await waitFor(() => expect(cards()).toHaveLength(2));
    expect(screen.getByRole('list', { name: 'Requests waiting for a decision' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Pending' }).getAttribute('aria-current')).toBe('page');

    const first = cardFor('apt_install');
    expect(within(first).getByText('olga')).toBeTruthy();
    expect(within(first).getByText('(user)')).toBeTruthy();
    expect(within(first).getByText('Operator')).toBeTruthy();
    expect(within(first).getByText('CRITICAL', { exact: false }).closest('[data-action-class]')?.getAttribute('data-action-class')).toBe(
      'CRITICAL',
    );
    expect(within(first).getByLabelText('Arguments as JSON').textContent).toBe(JSON.stringify(newest.args, null, 2));
    expect(within(first).getByText('The build needs coreutils')).toBeTruthy();
    expect(within(first).getByRole('link', { name: 'a chat run (open the conversation)' }).getAttribute('href')).toBe(
      `/c/${CONVERSATION_ID}`,
    );
    expect(within(first).getByText(/^in \d+:\d\d/)).toBeTruthy();
    expect(within(first).getByRole('button', { name: 'Approve' })).toBeTruthy();

    const second = cardFor('docker_restart');
    expect(within(second).getByText('deploy-bot')).toBeTruthy();
    expect(within(second).getByText('(API key)')).toBeTruthy();
    expect(within(second).getByText('an API key')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(cards()).toHaveLength(3));
    expect(within(cardFor('write_file')).getByText('an HTTP request')).toBeTruthy();
    expect(requests.map(query)).toEqual([
      { status: 'pending', limit: '20', cursor: '' },
      { status: 'pending', limit: '20', cursor: 'next' },
    ]);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('shows each history tab from the URL, with who decided, when and why', async () => {
    const ran = approval(4, {
      status: 'executed',
      decidedBy: ADA,
      decidedAt: new Date().toISOString(),
      comment: 'Fine',
      actionId: '1d1d1d1d-0000-4000-8000-000000000001',
      actionStatus: 'completed',
    });
    const refused = approval(5, {
      tool: 'docker_restart',
      status: 'rejected',
      decidedBy: ADA,
      decidedAt: new Date().toISOString(),
      comment: 'Not during the release',
    });
    const lapsed = approval(6, { tool: 'write_file', status: 'expired', expiresAt: new Date(Date.now() - 600_000).toISOString() });
    const requests = fakeApi({
      'GET /api/approvals': listRoute({ pending: [], 'approved,executing,executed,failed': [ran], rejected: [refused], expired: [lapsed] }),
    });
    const { router } = renderOnApprovals(<ApprovalsPage />);

    expect(await screen.findByText(/Nothing waits for a decision/)).toBeTruthy();

    fireEvent.click(screen.getByRole('link', { name: 'Approved' }));
    await waitFor(() => expect(cards()).toHaveLength(1));
    expect(router.state.location.search).toEqual({ tab: 'approved' });
    expect(screen.getByRole('link', { name: 'Approved' }).getAttribute('aria-current')).toBe('page');
    expect(within(cardFor('apt_install')).getByText(/^Approved by ada .*; the action ran\.$/)).toBeTruthy();
    expect(within(cardFor('apt_install')).getByText('Comment: Fine')).toBeTruthy();
    expect(within(cardFor('apt_install')).queryByRole('button', { name: 'Approve' })).toBeNull();

    fireEvent.click(screen.getByRole('link', { name: 'Rejected' }));
    await waitFor(() => expect(within(cardFor('docker_restart')).getByText('Reason: Not during the release')).toBeTruthy());
    expect(within(cardFor('docker_restart')).getByText(/^Rejected by ada/)).toBeTruthy();

    fireEvent.click(screen.getByRole('link', { name: 'Expired' }));
    await waitFor(() => expect(within(cardFor('write_file')).getByText(/without a decision; it can no longer run\.$/)).toBeTruthy());

    fireEvent.click(screen.getByRole('link', { name: 'Pending' }));
    await waitFor(() => expect(router.state.location.search).toEqual({}));
    // Back on the queue it is asked again (the tests' client keeps nothing fresh).
    expect(requests.map(statusesOf)).toEqual(['pending', 'approved,executing,executed,failed', 'rejected', 'expired', 'pending']);
  });

  it('opens the tab named in the URL, and folds long argument values until asked', async () => {
    const long = 'x'.repeat(500);
    fakeApi({
      'GET /api/approvals': listRoute({
        rejected: [approval(7, { status: 'rejected', args: { content: long }, decidedBy: ADA, comment: 'No' })],
      }),
    });
    renderOnApprovals(<ApprovalsPage />, { path: '/approvals?tab=rejected' });

    const json = await screen.findByLabelText('Arguments as JSON');
    expect(json.textContent).toContain('… (300 more characters)');
    const unfold = screen.getByRole('button', { name: 'Show full values' });
    expect(unfold.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(unfold);
    expect(json.textContent).toBe(JSON.stringify({ content: long }, null, 2));
    expect(screen.getByRole('button', { name: 'Fold long values' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('says where it went wrong, with the request id, and tries again', async () => {
    let failing = true;
    fakeApi({
      'GET /api/approvals': () =>
        failing
          ? jsonResponse(500, errorBody(500, ErrorCode.Internal, 'The database did not answer'))
          : jsonResponse(200, { items: [approval(1)], nextCursor: null }),
    });
    renderOnApprovals(<ApprovalsPage />);

    expect((await screen.findByRole('alert')).textContent).toBe('Could not load the approval requests: The database did not answer');
    expect(screen.getByText('req-test-1')).toBeTruthy();
    failing = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(cards()).toHaveLength(1));
  });
});

describe('ApprovalsPage: deciding', () => {
  it('approves with a comment; the card then says who approved it and how the action ran', async () => {
    const waiting = approval(1);
    let decided: Approval | null = null;
    const requests = fakeApi({
      'GET /api/approvals': listRoute({ pending: [waiting] }, () => (decided ? [decided] : [])),
      [`POST /api/approvals/${waiting.id}/approve`]: () => {
        decided = {
          ...waiting,
          status: 'executed',
          decidedBy: ADMIN,
          decidedAt: new Date().toISOString(),
          comment: 'Checked the package',
          actionId: '1d1d1d1d-0000-4000-8000-000000000002',
          actionStatus: 'completed',
        };
        return jsonResponse(200, {
          actionId: decided.actionId,
          result: { status: 'completed', actionClass: 'CRITICAL', output: {}, rollback: { available: false }, verification: null },
        });
      },
    });
    renderOnApprovals(<ApprovalsPage />);

    const card = await screen.findByRole('article', { name: 'Approval request: apt_install' });
    fireEvent.click(within(card).getByRole('button', { name: 'Approve' }));
    const comment = within(card).getByRole('textbox', { name: 'Comment (optional)' });
    expect(document.activeElement).toBe(comment);
    expect(within(card).getByRole('form', { name: 'Approve apt_install' })).toBeTruthy();
    fireEvent.change(comment, { target: { value: '  Checked the package ' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Approve and run' }));

    await waitFor(() => expect(within(card).getByText(/^Approved by admin .*; the action ran\.$/)).toBeTruthy());
    expect(within(card).queryByRole('button', { name: 'Approve' })).toBeNull();
    const post = requests.find((request) => request.method === 'POST');
    expect(await post?.json()).toEqual({ comment: 'Checked the package' });
  });

  it('approves without a comment by saying so, since the API asks for one', async () => {
    const waiting = approval(1);
    const requests = fakeApi({
      'GET /api/approvals': listRoute({ pending: [waiting] }),
      [`POST /api/approvals/${waiting.id}/approve`]: () =>
        jsonResponse(200, {
          actionId: '1d1d1d1d-0000-4000-8000-000000000003',
          result: { status: 'completed', actionClass: 'CRITICAL', output: {}, rollback: { available: false }, verification: null },
        }),
    });
    renderOnApprovals(<ApprovalsPage />);

    const card = await screen.findByRole('article', { name: 'Approval request: apt_install' });
    fireEvent.click(within(card).getByRole('button', { name: 'Approve' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Approve and run' }));

    await waitFor(() => expect(requests.some((request) => request.method === 'POST')).toBe(true));
    expect(await requests.find((request) => request.method === 'POST')?.json()).toEqual({});
  });

  it('rejects only with a reason; Cancel gives focus back to the button', async () => {
    const waiting = approval(1);
    const requests = fakeApi({
      'GET /api/approvals': listRoute({ pending: [waiting] }),
      [`POST /api/approvals/${waiting.id}/reject`]: async (request) => {
        const { reason } = (await request.json()) as { reason: string };
        return jsonResponse(200, {
          ...waiting,
          status: 'rejected',
          decidedBy: ADMIN,
          decidedAt: new Date().toISOString(),
          comment: reason,
        });
      },
    });
    renderOnApprovals(<ApprovalsPage />);

    const card = await screen.findByRole('article', { name: 'Approval request: apt_install' });
    const rejectButton = within(card).getByRole('button', { name: 'Reject' });
    fireEvent.click(rejectButton);
    fireEvent.click(within(card).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(within(card).getByRole('button', { name: 'Reject' })));

    fireEvent.click(within(card).getByRole('button', { name: 'Reject' }));
    const reason = within(card).getByRole('textbox', { name: 'Reason' });
    fireEvent.change(reason, { target: { value: '   ' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Reject request' }));

    expect(within(card).getByText('Say why it may not run: the requester sees the reason.')).toBeTruthy();
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(0);

    fireEvent.change(reason, { target: { value: 'Not during the release' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Reject request' }));

    await waitFor(() => expect(within(card).getByText(/^Rejected by admin/)).toBeTruthy());
    expect(within(card).getByText('Reason: Not during the release')).toBeTruthy();
    expect(await requests.find((request) => request.method === 'POST')?.json()).toEqual({ reason: 'Not during the release' });
  });

  it('explains a four-eyes refusal in words, with the request id, and keeps the request open for another admin', async () => {
    const waiting = approval(1);
    fakeApi({
      'GET /api/approvals': listRoute({ pending: [waiting] }, () => [waiting]),
      [`POST /api/approvals/${waiting.id}/approve`]: () =>
        jsonResponse(
          403,
          errorBody(
            403,
            ErrorCode.SelfApprovalForbidden,
            'You asked for this action; another admin must approve it (GOVERNANCE_FOUR_EYES is on)',
          ),
        ),
    });
    renderOnApprovals(<ApprovalsPage />);

    const card = await screen.findByRole('article', { name: 'Approval request: apt_install' });
    fireEvent.click(within(card).getByRole('button', { name: 'Approve' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Approve and run' }));

    const alert = await within(card).findByRole('alert');
    expect(alert.textContent).toContain('You asked for this action, so another admin must decide it (four eyes).');
    expect(alert.textContent).toContain('Request id req-test-1');
    expect(card.getAttribute('data-status')).toBe('pending');
  });

  it('when someone else decided first, brings the card up to date and says who and when', async () => {
    const waiting = approval(1);
    const theirs: Approval = {
      ...waiting,
      status: 'executed',
      decidedBy: ADA,
      decidedAt: new Date().toISOString(),
      comment: 'Go',
      actionStatus: 'completed',
      actionId: '1d1d1d1d-0000-4000-8000-000000000004',
    };
    const requests = fakeApi({
      'GET /api/approvals': listRoute({ pending: [waiting] }, () => [theirs]),
      [`POST /api/approvals/${waiting.id}/reject`]: () =>
        jsonResponse(
          409,
          errorBody(409, ErrorCode.ApprovalNotPending, `Already approved by ada at ${theirs.decidedAt ?? ''}; the action has run`),
        ),
    });
    renderOnApprovals(<ApprovalsPage />);

    const card = await screen.findByRole('article', { name: 'Approval request: apt_install' });
    fireEvent.click(within(card).getByRole('button', { name: 'Reject' }));
    fireEvent.change(within(card).getByRole('textbox', { name: 'Reason' }), { target: { value: 'Too risky' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Reject request' }));

    await waitFor(() =>
      expect(within(card).getByRole('alert').textContent).toMatch(/^Someone else decided first\. Approved by ada .*; the action ran\./),
    );
    expect(card.getAttribute('data-status')).toBe('executed');
    expect(within(card).queryByRole('button', { name: 'Reject' })).toBeNull();
    expect(requests.filter((request) => request.method === 'GET').map(statusesOf)).toEqual(['pending', '']);
  });

  it('says plainly that an expired request can no longer run', async () => {
    const waiting = approval(1);
    fakeApi({
      'GET /api/approvals': listRoute({ pending: [waiting] }, () => [{ ...waiting, status: 'expired' }]),
      [`POST /api/approvals/${waiting.id}/approve`]: () =>
        jsonResponse(410, errorBody(410, ErrorCode.ApprovalExpired, 'This request expired at … without a decision; it can no longer run')),
    });
    renderOnApprovals(<ApprovalsPage />);

    const card = await screen.findByRole('article', { name: 'Approval request: apt_install' });
    fireEvent.click(within(card).getByRole('button', { name: 'Approve' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Approve and run' }));

    await waitFor(() =>
      expect(within(card).getByRole('alert').textContent).toContain('This request expired before anyone decided; it can no longer run.'),
    );
    await waitFor(() => expect(card.getAttribute('data-status')).toBe('expired'));
  });
});

describe('ApprovalsPage: an approved action that did not complete', () => {
  it('says the action ran but failed, in the server’s words, and shows the request as failed', async () => {
    const waiting = approval(1);
    const failed: Approval = {
      ...waiting,
      status: 'failed',
      decidedBy: ADMIN,
      decidedAt: new Date().toISOString(),
      comment: 'ok',
      actionId: '1d1d1d1d-0000-4000-8000-000000000005',
      actionStatus: 'failed',
    };
    fakeApi({
      'GET /api/approvals': listRoute({ pending: [waiting] }, () => [failed]),
      [`POST /api/approvals/${waiting.id}/approve`]: () =>
        jsonResponse(
          409,
          errorBody(
            409,
            ErrorCode.VerificationFailed,
            'Action 1d1d1d1d ran but is not complete: its verification failed (the command exited with 126)',
          ),
        ),
    });
    renderOnApprovals(<ApprovalsPage />);

    const card = await screen.findByRole('article', { name: 'Approval request: apt_install' });
    fireEvent.click(within(card).getByRole('button', { name: 'Approve' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Approve and run' }));

    await waitFor(() => expect(card.getAttribute('data-status')).toBe('failed'));
    expect(within(card).getByRole('alert').textContent).toContain(
      'Approved, and the action ran, but it did not complete: Action 1d1d1d1d ran but is not complete',
    );
    expect(within(card).getByText(/^Approved by admin .*; the action failed\.$/)).toBeTruthy();
  });
});
