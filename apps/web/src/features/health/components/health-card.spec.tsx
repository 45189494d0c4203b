import { ErrorCode } from '@aegis/contracts';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorBody, fakeApi, jsonResponse } from '../../../testing/fake-api';
import { renderWithQueryClient } from '../../../testing/render';
import { HealthCard } from './health-card';

describe('HealthCard', () => {
  it('shows the overall status and each check from GET /api/health', async () => {
    const requests = fakeApi({
      'GET /api/health': () =>
        jsonResponse(200, {
          status: 'ok',
          info: { database: { status: 'up' }, sandbox: { status: 'up', driver: 'bwrap' } },
          error: {},
          details: { database: { status: 'up' }, sandbox: { status: 'up', driver: 'bwrap' } },
        }),
    });
    renderWithQueryClient(<HealthCard />);

    expect(await screen.findByText('Operational')).toBeTruthy();
    const checks = within(screen.getByRole('list', { name: 'Checks' })).getAllByRole('listitem');
    expect(checks.map((check) => check.textContent)).toEqual(['databaseup', 'sandboxup']);
    expect(requests.map((request) => [request.method, new URL(request.url).pathname])).toEqual([['GET', '/api/health']]);
  });

  it('shows a failing check (503) as degraded, with its message, not as an error', async () => {
    fakeApi({
      'GET /api/health': () =>
        jsonResponse(503, {
          status: 'error',
          info: { database: { status: 'up' } },
          error: { sandbox: { status: 'down', message: 'Neither docker nor bwrap is available' } },
          details: { database: { status: 'up' }, sandbox: { status: 'down', message: 'Neither docker nor bwrap is available' } },
        }),
    });
    renderWithQueryClient(<HealthCard />);

    expect(await screen.findByText('Degraded')).toBeTruthy();
    expect(screen.getByText('down')).toBeTruthy();
    expect(screen.getByText('Neither docker nor bwrap is available')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("reports the API's error message when the check itself fails", async () => {
    fakeApi({
      'GET /api/health': () => jsonResponse(500, errorBody(500, ErrorCode.Internal, 'Internal server error')),
    });
    renderWithQueryClient(<HealthCard />);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Health check failed: Internal server error');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
