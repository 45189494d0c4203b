import type { ApprovalRequiredEvent } from '@aegis/contracts';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { chatConnection } from '../../../lib/chat-socket';
import { usePendingCount } from '../api/get-approvals';
import { notifyWhenHidden } from '../hooks/desktop-notifications';
import { useApprovalEvents, type ApprovalEventSource } from '../hooks/use-approval-events';

export interface ApprovalsBadgeProps {
  /** The socket the events come from; the app's one connection unless a test passes a stand-in. */
  source?: ApprovalEventSource;
}

/** What a new request is announced and notified with. */
export function newRequestWords(event: ApprovalRequiredEvent): string {
  return `New approval request: ${event.requestedBy.name} asks to run ${event.tool} (${event.actionClass}).`;
}

/**
 * The live count of pending approvals beside the sidebar's link (hidden at 0), kept live by the
 * socket's approval events with a periodic recount as a safety net. It also announces a new
 * request politely and, when the tab is hidden and the admin asked for it, shows a desktop notification.
 */
export function ApprovalsBadge({ source }: ApprovalsBadgeProps) {
  const { data } = usePendingCount();
  const navigate = useNavigate();
  // Bumped on every announcement, so the same words twice are still read twice.
  const [announcement, setAnnouncement] = useState({ text: '', serial: 0 });

  useApprovalEvents(source ?? chatConnection(), {
    onRequired: (event) => {
      const text = newRequestWords(event);
      setAnnouncement((current) => ({ text, serial: current.serial + 1 }));
      notifyWhenHidden({
        title: 'Approval needed',
        body: text,
        tag: `approval-${event.approvalId}`,
        onClick: () => void navigate({ to: '/approvals' }),
      });
    },
  });

  const count = data?.count ?? 0;
  const shown = data?.more ? `${count}+` : String(count);
  return (
    <>
      {count > 0 ? (
        <span className="nav-badge" data-count={count}>
          <span aria-hidden="true">{shown}</span>
          <span className="visually-hidden"> ({shown} pending)</span>
        </span>
      ) : null}
      {/* Outside the link, so the announcement never becomes part of its name. */}
      {createPortal(
        <div className="visually-hidden" role="status" aria-live="polite" data-testid="approvals-announcer">
          <span key={announcement.serial}>{announcement.text}</span>
        </div>,
        document.body,
      )}
    </>
  );
}
