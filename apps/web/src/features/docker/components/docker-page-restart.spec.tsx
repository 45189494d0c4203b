import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { calls, fakeApi, jsonResponse } from '../../../testing/fake-api';
import { fakeApprovalEvents, logs, renderDockerPage, restartTool, status, web } from '../testing/docker-page.fixture';

describe('DockerPage: restart', () => {
  it('restarts at once when the policy allows it (200) and shows the verification', async () => {
    const requests = fakeApi({
      'GET /api/docker/status': status([web]),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
      'GET /api/docker/containers/web/logs': logs('ready\n'),
      'POST /api/docker/containers/web/restart': () =>
        jsonResponse(200, {
          actionId: '0b6f3f0e-1c1a-4c55-9d43-8d2b1c0a9e11',
          result: {
            actionClass: 'MODERATE',
            status: 'completed',
            output: { container: 'web', running: true },
            rollback: { available: false, reason: 'a restart cannot be undone' },
            verification: { verified: true, detail: 'the container is running again, started at 2026-11-29T12:00:01Z' },
          },
        }),
    });
    renderDockerPage({ path: '/docker?container=web' });

    fireEvent.click(await screen.findByRole('button', { name: 'Restart' }));
    const form = screen.getByRole('form', { name: 'Restart web' });
    expect(within(form).getByText('MODERATE')).toBeTruthy();
    expect(within(form).getByRole<HTMLTextAreaElement>('textbox', { name: 'Justification (optional)' }).required).toBe(false);
    fireEvent.click(within(form).getByRole('button', { name: 'Confirm restart' }));

    const outcome = await screen.findByText(/the container is running again/);
    expect(outcome.closest('[data-restart-outcome]')?.getAttribute('data-restart-outcome')).toBe('completed');
    expect(outcome.closest('[role="status"]')).toBeTruthy();
    const restart = requests.find((request) => request.method === 'POST');
    expect(await restart?.json()).toEqual({});
    // The list and the log are read again after the restart.
    await vi.waitFor(() => expect(calls(requests).filter((call) => call === 'GET /api/docker/status')).toHaveLength(2));
    await vi.waitFor(() => expect(calls(requests).filter((call) => call === 'GET /api/docker/containers/web/logs')).toHaveLength(2));
  });

  it('waits for an admin when the policy asks for approval (202), then resolves live when it is approved', async () => {
    const events = fakeApprovalEvents();
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const approvalId = '7c0a7c4e-4f5e-4d1c-9a44-3e4b1f2c9d10';
    const requests = fakeApi({
      'GET /api/docker/status': status([web]),
      'GET /api/tools': () =>
        jsonResponse(
          200,
          restartTool(
            { approvalRequired: true, justificationRequired: true, decision: 'approve', summary: "Waits for an admin's approval" },
            'CRITICAL',
          ),
        ),
      'GET /api/docker/containers/web/logs': logs('ready\n'),
      'POST /api/docker/containers/web/restart': () =>
        jsonResponse(202, { status: 'pending', approvalId, actionClass: 'CRITICAL', expiresAt }),
    });
    renderDockerPage({ path: '/docker?container=web', approvalEvents: events.source });

    fireEvent.click(await screen.findByRole('button', { name: 'Restart' }));
    const form = screen.getByRole('form', { name: 'Restart web' });
    const justification = within(form).getByRole<HTMLTextAreaElement>('textbox', { name: 'Justification' });
    expect(justification.required).toBe(true);
    fireEvent.change(justification, { target: { value: 'The web container stopped answering health checks' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Request restart' }));

    const waiting = await screen.findByText('Waiting for approval by an admin');
    expect(waiting.closest('[data-restart-outcome]')?.getAttribute('data-restart-outcome')).toBe('pending');
    expect(screen.getByText(/^expires in/)).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Restart' }).disabled).toBe(true);
    expect(events.source.start).toHaveBeenCalled();
    expect(await requests.find((request) => request.method === 'POST')?.json()).toEqual({
      justification: 'The web container stopped answering health checks',
    });

    // Someone else's decision changes nothing here.
    events.decide({
      approvalId: 'other',
      tool: 'docker_restart',
      status: 'approved',
      decidedBy: null,
      comment: null,
      actionId: null,
      actionStatus: null,
      requestedByUserId: 'u2',
      runId: null,
      toolCallId: null,
    });
    expect(screen.getByText('Waiting for approval by an admin')).toBeTruthy();

    events.decide({
      approvalId,
      tool: 'docker_restart',
      status: 'approved',
      decidedBy: { id: 'a1', name: 'ada' },
      comment: null,
      actionId: '0b6f3f0e-1c1a-4c55-9d43-8d2b1c0a9e11',
      actionStatus: 'completed',
      requestedByUserId: 'u1',
      runId: null,
      toolCallId: null,
    });
    const done = await screen.findByText(/approved by ada and done/);
    expect(done.closest('[data-restart-outcome]')?.getAttribute('data-restart-outcome')).toBe('approved');
    // Nothing waits any more, so nothing listens.
    expect(events.listeners()).toBe(0);
    await vi.waitFor(() => expect(calls(requests).filter((call) => call === 'GET /api/docker/status')).toHaveLength(2));
  });

  it('shows a rejection with the admin’s reason', async () => {
    const events = fakeApprovalEvents();
    const approvalId = '7c0a7c4e-4f5e-4d1c-9a44-3e4b1f2c9d11';
    fakeApi({
      'GET /api/docker/status': status([web]),
      'GET /api/tools': () =>
        jsonResponse(200, restartTool({ approvalRequired: true, justificationRequired: true, decision: 'approve' }, 'CRITICAL')),
      'GET /api/docker/containers/web/logs': logs('ready\n'),
      'POST /api/docker/containers/web/restart': () =>
        jsonResponse(202, {
          status: 'pending',
          approvalId,
          actionClass: 'CRITICAL',
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
        }),
    });
    renderDockerPage({ path: '/docker?container=web', approvalEvents: events.source });

    fireEvent.click(await screen.findByRole('button', { name: 'Restart' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Justification' }), {
      target: { value: 'The web container stopped answering health checks' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Request restart' }));
    await screen.findByText('Waiting for approval by an admin');

    events.decide({
      approvalId,
      tool: 'docker_restart',
      status: 'rejected',
      decidedBy: { id: 'a1', name: 'ada' },
      comment: 'Deploy in progress, wait ten minutes',
      actionId: null,
      actionStatus: null,
      requestedByUserId: 'u1',
      runId: null,
      toolCallId: null,
    });
    const rejected = await screen.findByText('by ada: Deploy in progress, wait ten minutes');
    expect(rejected.closest('[data-restart-outcome]')?.getAttribute('data-restart-outcome')).toBe('rejected');
  });

  it('shows the server’s refusal where the restart was asked', async () => {
    fakeApi({
      'GET /api/docker/status': status([web]),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
      'GET /api/docker/containers/web/logs': logs('ready\n'),
      'POST /api/docker/containers/web/restart': () =>
        jsonResponse(403, {
          statusCode: 403,
          code: 'FORBIDDEN',
          message: "container 'web' is not on the container allowlist",
          requestId: 'req-9',
        }),
    });
    renderDockerPage({ path: '/docker?container=web' });

    fireEvent.click(await screen.findByRole('button', { name: 'Restart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm restart' }));
    expect((await screen.findByRole('alert')).textContent).toBe("Could not restart web: container 'web' is not on the container allowlist");
    expect(screen.getByText('Request id: req-9')).toBeTruthy();
  });
});
