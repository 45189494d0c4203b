import { ActionClass, ACTION_CLASSES } from '@aegis/contracts';
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActionStatus, type ActionStatusKind } from './action-status';
import { ClassBadge } from './class-badge';
import { Countdown, formatTimeLeft } from './countdown';

afterEach(() => {
  vi.useRealTimers();
});

describe('ClassBadge', () => {
  it.each(ACTION_CLASSES)('shows %s as its word with its class colour', (actionClass) => {
    const { container } = render(<ClassBadge actionClass={actionClass} />);
    const badge = container.querySelector('.class-badge');
    expect(badge?.textContent).toBe(`Action class ${actionClass}`);
    expect(badge?.classList.contains(`class-badge--${actionClass.toLowerCase()}`)).toBe(true);
    expect(badge?.getAttribute('data-action-class')).toBe(actionClass);
  });

  it('says "unclassified" when governance never classified the action', () => {
    render(<ClassBadge actionClass={null} />);
    expect(screen.getByText('unclassified').getAttribute('data-action-class')).toBe('none');
  });

  it('accepts the OpenAPI string form as well as the enum', () => {
    const fromApi = 'CRITICAL' as const;
    render(<ClassBadge actionClass={fromApi} />);
    expect(screen.getByText(ActionClass.Critical)).toBeTruthy();
  });
});

describe('ActionStatus', () => {
  const words: Record<ActionStatusKind, string> = {
    running: 'Running',
    'awaiting-approval': 'Waiting for approval',
    'awaiting-confirmation': 'Waiting for your confirmation',
    approved: 'Approved',
    completed: 'Completed',
    refused: 'Refused',
    rejected: 'Rejected',
    expired: 'Expired',
    cancelled: 'Cancelled',
    failed: 'Failed',
  };

  it.each(Object.entries(words))('says %s in words', (status, expected) => {
    const { container } = render(<ActionStatus status={status as ActionStatusKind} />);
    expect(container.querySelector('.action-status__words')?.textContent).toBe(expected);
    expect(container.querySelector('[data-status]')?.getAttribute('data-status')).toBe(status);
    expect(container.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('shows the reason of a refusal', () => {
    render(<ActionStatus status="refused" reason="Your role may not run this action." />);
    expect(screen.getByText('Your role may not run this action.')).toBeTruthy();
  });

  it('says who may approve and how long is left while waiting', () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T10:00:00Z') });
    const { container } = render(<ActionStatus status="awaiting-approval" approver="an admin" expiresAt="2026-01-01T10:05:00Z" />);
    expect(container.textContent).toBe('Waiting for approval by an adminexpires in 5:00');
  });
});

describe('Countdown', () => {
  it('ticks every second and stops at the deadline, without being a live region', () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T10:00:00Z') });
    const { container } = render(<Countdown expiresAt="2026-01-01T10:00:02Z" />);
    const time = container.querySelector('time');
    expect(time?.textContent).toBe('expires in 0:02');
    expect(time?.getAttribute('dateTime')).toBe('2026-01-01T10:00:02Z');
    expect(container.querySelector('[aria-live], [role="status"], [role="timer"]')).toBeNull();
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(time?.textContent).toBe('expires in 0:01');
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(time?.textContent).toBe('expiring now');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('formats minutes and hours', () => {
    expect(formatTimeLeft(299_001)).toBe('5:00');
    expect(formatTimeLeft(299_000)).toBe('4:59');
    expect(formatTimeLeft(3_899_000)).toBe('1:04:59');
    expect(formatTimeLeft(-5)).toBe('0:00');
  });

  it('renders nothing for a time it cannot read', () => {
    const { container } = render(<Countdown expiresAt="soon" />);
    expect(container.textContent).toBe('');
  });
});
