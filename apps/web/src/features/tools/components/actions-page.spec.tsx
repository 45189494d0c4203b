import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ErrorCode } from '@aegis/contracts';
import { describe, expect, it, vi } from 'vitest';
import { calls, errorBody, fakeApi, jsonResponse } from '../../../testing/fake-api';
import { createTestQueryClient } from '../../../testing/render';
import type { ActionItem } from '../api/get-actions';
import { validateActionsSearch } from '../search';
import { ActionsPage } from './actions-page';

const ID = '05c0715a-a8f8-4b3b-b3d4-8a1c2301929c';

function action(overrides: Partial<ActionItem> = {}): ActionItem {
  return {
    id: ID,
    tool: 'write_file',
    actionClass: 'SENSITIVE',
    status: 'completed',
    actor: { type: 'user', id: 'u1', name: 'admin', role: 'admin' },
    runId: null,
    approvalId: null,
    args: { path: 'notes.txt', content: { bytes: 15, sha256: 'ab' } },
    argsSha256: 'cd',
    verification: { verified: true, detail: 'the file now has sha256 ab' },
    verificationState: 'verified',
    summary: 'completed; verified: the file now has sha256 ab',
    errorCode: null,
    errorMessage: null,
    createdAt: '2026-11-29T12:00:00.000Z',
    finishedAt: '2026-11-29T12:00:01.000Z',
    rollback: { available: true, kind: 'restore_file', description: "restores 'notes.txt' as it was before (14 bytes)" },
    canRollback: true,
    rolledBackAt: null,
    rolledBackByName: null,
    ...overrides,
  };
}

function renderActions(path = '/actions') {
  vi.stubGlobal('scrollTo', () => undefined);
  const rootRoute = createRootRoute();
  const actionsRoute = createRoute({
    getParentRoute: () => rootRoute,
    path: '/actions',
    validateSearch: validateActionsSearch,
    component: ActionsPage,
  });
  const router = createRouter({
    routeTree: rootRoute.addChildren([actionsRoute]),
    history: createMemoryHistory({ initialEntries: [path] }),
  });
  render(
    <QueryClientProvider client={createTestQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

const TOOLS = { role: 'admin', items: [] };

describe('ActionsPage', () => {
  it('says what a rollback will restore and asks before sending it, then shows the outcome and refreshes the row', async () => {
    let rolledBack = false;
    const requests = fakeApi({
      'GET /api/tools': () => jsonResponse(200, TOOLS),
      'GET /api/actions': () =>
        jsonResponse(200, {
          items: [
            rolledBack
              ? action({
                  canRollback: false,
                  rolledBackAt: '2026-11-29T12:05:00.000Z',
                  rolledBackByName: 'admin',
                  rollback: { available: false, kind: null, description: 'already rolled back' },
                })
              : action(),
          ],
          nextCursor: null,
        }),
      [`POST /api/actions/${ID}/rollback`]: () => {
        rolledBack = true;
        return jsonResponse(200, {
          actionId: ID,
          status: 'rolled_back',
          kind: 'restore_file',
          detail: "restored the previous content of 'notes.txt' (14 bytes, sha256 0533)",
        });
      },
    });
    renderActions();
    const table = await screen.findByRole('table', { name: 'Actions' });
    const row = within(table).getAllByRole('row')[1];
    if (!row) throw new Error('no row');
    fireEvent.click(within(row).getByRole('button', { name: 'Roll back' }));

    const confirm = within(row).getByRole('group', { name: 'Roll back this action?' });
    expect(confirm.textContent).toContain("restores 'notes.txt' as it was before (14 bytes)");
    // Nothing is sent before the confirmation.
    expect(calls(requests)).not.toContain(`POST /api/actions/${ID}/rollback`);
    fireEvent.change(within(confirm).getByLabelText('Reason (optional)'), { target: { value: 'wrong content' } });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, roll back' }));

    expect((await within(row).findByRole('status')).textContent).toBe(
      "Rolled back: restored the previous content of 'notes.txt' (14 bytes, sha256 0533)",
    );
    const sent = requests.find((request) => request.method === 'POST');
    expect(await sent?.json()).toEqual({ reason: 'wrong content' });
    await waitFor(() => expect(within(row).getByText(/Rolled back by admin/)).toBeTruthy());
    expect(calls(requests).filter((call) => call === 'GET /api/actions')).toHaveLength(2);
  });

  it('cancelling sends nothing and brings the button back', async () => {
    const requests = fakeApi({
      'GET /api/tools': () => jsonResponse(200, TOOLS),
      'GET /api/actions': () => jsonResponse(200, { items: [action()], nextCursor: null }),
    });
    renderActions();
    fireEvent.click(await screen.findByRole('button', { name: 'Roll back' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeTruthy();
    expect(calls(requests).some((call) => call.startsWith('POST'))).toBe(false);
  });

  it('shows a refused rollback where it happened, with the request id', async () => {
    fakeApi({
      'GET /api/tools': () => jsonResponse(200, TOOLS),
      'GET /api/actions': () => jsonResponse(200, { items: [action()], nextCursor: null }),
      [`POST /api/actions/${ID}/rollback`]: () =>
        jsonResponse(409, errorBody(409, ErrorCode.RollbackUnavailable, 'The file changed since the action: rollback refused.')),
    });
    renderActions();
    fireEvent.click(await screen.findByRole('button', { name: 'Roll back' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, roll back' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Could not roll it back: The file changed since the action: rollback refused.',
    );
    expect(screen.getByText('req-test-1')).toBeTruthy();
  });

  it('says why an action cannot be undone instead of offering the button', async () => {
    fakeApi({
      'GET /api/tools': () => jsonResponse(200, TOOLS),
      'GET /api/actions': () =>
        jsonResponse(200, {
          items: [
            action({ canRollback: false, rollback: { available: false, kind: null, description: 'nothing was recorded to restore' } }),
          ],
          nextCursor: null,
        }),
    });
    renderActions();
    expect(await screen.findByText('nothing was recorded to restore')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Roll back' })).toBeNull();
  });

  it('sends the filters of the URL and pages with the cursor', async () => {
    const requests = fakeApi({
      'GET /api/tools': () => jsonResponse(200, TOOLS),
      'GET /api/actions': (request) =>
        new URL(request.url).searchParams.get('cursor') === 'next1'
          ? jsonResponse(200, { items: [action({ id: '11111111-1111-4111-8111-111111111111', summary: 'older one' })], nextCursor: null })
          : jsonResponse(200, { items: [action()], nextCursor: 'next1' }),
    });
    renderActions('/actions?class=SENSITIVE&rollbackable=true&from=2026-11-01');
    fireEvent.click(await screen.findByRole('button', { name: 'Load older actions' }));
    expect(await screen.findByText('older one')).toBeTruthy();
    const query = new URL(requests.filter((request) => request.url.includes('/api/actions'))[0]?.url ?? '').searchParams;
    expect(Object.fromEntries(query)).toEqual({ class: 'SENSITIVE', rollbackable: 'true', from: '2026-11-01T00:00:00.000Z', limit: '50' });
    expect(screen.getByText('2 actions; no older ones.')).toBeTruthy();
  });

  it('keeps a changed filter in the URL', async () => {
    fakeApi({
      'GET /api/tools': () => jsonResponse(200, TOOLS),
      'GET /api/actions': () => jsonResponse(200, { items: [], nextCursor: null }),
    });
    const router = renderActions();
    expect(await screen.findByText(/No actions yet/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'failed' } });
    await waitFor(() => expect(router.state.location.search).toEqual({ status: 'failed' }));
    expect(await screen.findByText(/No actions match these filters/)).toBeTruthy();
  });
});
