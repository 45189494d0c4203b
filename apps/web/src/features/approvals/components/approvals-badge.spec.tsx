import type { ApprovalDecidedEvent, ApprovalRequiredEvent } from '@aegis/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, jsonResponse } from '../../../testing/fake-api';
import type { Approval } from '../api/get-approvals';
import { approval, FakeApprovalSource, OPERATOR_ID, renderOnApprovals } from '../testing/approvals-fixtures';
import { ApprovalsBadge } from './approvals-badge';
import { ApprovalsPage } from './approvals-page';

function required(item: Approval): ApprovalRequiredEvent {
  return {
    approvalId: item.id,
    tool: item.tool,
    actionClass: 'CRITICAL' as ApprovalRequiredEvent['actionClass'],
    requestedBy: { id: OPERATOR_ID, name: item.requestedBy.name, userId: OPERATOR_ID },
    justification: item.justification,
    argsSha256: item.argsSha256,
    expiresAt: item.expiresAt,
    runId: item.runId,
    toolCallId: null,
  };
}

function decided(item: Approval, extra: Partial<ApprovalDecidedEvent> = {}): ApprovalDecidedEvent {
  return {
    approvalId: item.id,
    tool: item.tool,
    status: 'rejected',
    decidedBy: { id: 'ada-id', name: 'ada' },
    comment: 'Not now',
    actionId: null,
    actionStatus: null,
    requestedByUserId: OPERATOR_ID,
    runId: item.runId,
    toolCallId: null,
    ...extra,
  };
}

function badge(): HTMLElement | null {
  return document.querySelector('.nav-badge');
}

function announcer(): HTMLElement {
  return screen.getByTestId('approvals-announcer');
}

/** The queue as a mutable server: `pending` is what GET ?status=pending answers now. */
function serveQueue(initial: Approval[]) {
  const state = { pending: initial };
  const requests = fakeApi({ 'GET /api/approvals': () => jsonResponse(200, { items: state.pending, nextCursor: null }) });
  return { state, requests };
}

describe('ApprovalsBadge', () => {
  beforeEach(() => window.localStorage.clear());
  afterEach(() => vi.unstubAllGlobals());

  it('counts the pending requests, hides at 0, and counts a new one as soon as the socket says so', async () => {
    const first = approval(1);
    const { state } = serveQueue([]);
    const source = new FakeApprovalSource();
    const { unmount } = renderOnApprovals(<ApprovalsBadge source={source} />);

    await waitFor(() => expect(source.start).toHaveBeenCalled());
    expect(badge()).toBeNull();

    state.pending = [first];
    act(() => source.emit('approval:required', required(first)));
    await waitFor(() => expect(badge()?.textContent).toBe('1 (1 pending)'));
    expect(badge()?.getAttribute('data-count')).toBe('1');
    expect(announcer().textContent).toBe('New approval request: olga asks to run apt_install (CRITICAL).');

    const second = approval(0, { tool: 'docker_restart' });
    state.pending = [second, first];
    act(() => source.emit('approval:required', required(second)));
    await waitFor(() => expect(badge()?.textContent).toBe('2 (2 pending)'));

    state.pending = [second];
    act(() => source.emit('approval:decided', decided(first)));
    await waitFor(() => expect(badge()?.textContent).toBe('1 (1 pending)'));

    unmount();
    expect(source.listeners('approval:required')).toBe(0);
    expect(source.listeners('approval:decided')).toBe(0);
  });

  it('puts a new request at the top of the open queue and updates a card decided elsewhere in place', async () => {
    const first = approval(2);
    const { state, requests } = serveQueue([first]);
    const source = new FakeApprovalSource();
    renderOnApprovals(
      <>
        <ApprovalsBadge source={source} />
        <ApprovalsPage />
      </>,
    );
    await screen.findByRole('article', { name: 'Approval request: apt_install' });

    const newer = approval(1, { tool: 'docker_restart' });
    state.pending = [newer, first];
    act(() => source.emit('approval:required', required(newer)));
    await waitFor(() =>
      expect(screen.getAllByRole('article').map((card) => card.getAttribute('aria-label'))).toEqual([
        'Approval request: docker_restart',
        'Approval request: apt_install',
      ]),
    );

    const before = requests.length;
    state.pending = [newer];
    act(() => source.emit('approval:decided', decided(first, { comment: 'Not during the release' })));
    const card = screen.getByRole('article', { name: 'Approval request: apt_install' });
    await waitFor(() => expect(card.getAttribute('data-status')).toBe('rejected'));
    expect(within(card).getByText(/^Rejected by ada/)).toBeTruthy();
    expect(within(card).getByText('Reason: Not during the release')).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Approve' })).toBeNull();
    // Only the badge recounts; the open list keeps the decided card where it was.
    await waitFor(() => expect(badge()?.textContent).toBe('1 (1 pending)'));
    expect(requests.length - before).toBe(1);
  });

  it('shows a desktop notification for a new request only when the tab is hidden and the admin asked for it', async () => {
    const shown: { title: string; options: NotificationOptions }[] = [];
    class FakeNotification {
      static permission: NotificationPermission = 'granted';
      static requestPermission = vi.fn(() => Promise.resolve<NotificationPermission>('granted'));
      onclick: (() => void) | null = null;
      constructor(title: string, options: NotificationOptions) {
        shown.push({ title, options });
      }
      close() {}
    }
    vi.stubGlobal('Notification', FakeNotification);
    let visibility: DocumentVisibilityState = 'hidden';
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    serveQueue([]);
    const source = new FakeApprovalSource();
    renderOnApprovals(
      <>
        <ApprovalsBadge source={source} />
        <ApprovalsPage />
      </>,
    );

    act(() => source.emit('approval:required', required(approval(1))));
    expect(shown).toHaveLength(0);

    fireEvent.click(await screen.findByRole('button', { name: 'Notify me' }));
    expect(await screen.findByRole('button', { name: 'Stop notifications' })).toBeTruthy();
    expect(window.localStorage.getItem('aegis.approvals.desktop-notifications')).toBe('on');

    act(() => source.emit('approval:required', required(approval(2, { tool: 'docker_restart' }))));
    expect(shown).toEqual([
      {
        title: 'Approval needed',
        options: { body: 'New approval request: olga asks to run docker_restart (CRITICAL).', tag: `approval-${approval(2).id}` },
      },
    ]);

    visibility = 'visible';
    act(() => source.emit('approval:required', required(approval(3))));
    expect(shown).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: 'Stop notifications' }));
    expect(await screen.findByRole('button', { name: 'Notify me' })).toBeTruthy();
    expect(window.localStorage.getItem('aegis.approvals.desktop-notifications')).toBeNull();
  });

  it('asks for permission only on "Notify me", and says so when the browser blocks it', async () => {
    class BlockedNotification {
      static permission: NotificationPermission = 'default';
      static requestPermission = vi.fn(() => {
        BlockedNotification.permission = 'denied';
        return Promise.resolve<NotificationPermission>('denied');
      });
    }
    vi.stubGlobal('Notification', BlockedNotification);
    serveQueue([]);
    renderOnApprovals(<ApprovalsPage />);

    const notify = await screen.findByRole('button', { name: 'Notify me' });
    expect(BlockedNotification.requestPermission).not.toHaveBeenCalled();
    fireEvent.click(notify);

    expect(await screen.findByText(/Desktop notifications are blocked for this site/)).toBeTruthy();
    expect(BlockedNotification.requestPermission).toHaveBeenCalledTimes(1);
    expect(window.localStorage.getItem('aegis.approvals.desktop-notifications')).toBeNull();
  });
});
