import type { ApiComponents } from '@aegis/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '@aegis/contracts';
import { errorBody, fakeApi, jsonResponse } from '../../../testing/fake-api';
import { createTestQueryClient } from '../../../testing/render';
import { validateAuditSearch } from '../search';
import { AuditPage } from './audit-page';

type AuditEntry = ApiComponents['schemas']['AuditEntryDto'];
type ChainVerification = ApiComponents['schemas']['ChainVerificationDto'];

function entry(id: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: String(id),
    createdAt: `2026-11-29T10:${String(id % 60).padStart(2, '0')}:00.000Z`,
    actorType: 'user',
    actorId: '1b7e3c9a-0c1d-4e2f-8a3b-00000000000a',
    actorName: 'alice',
    role: 'operator',
    runId: null,
    action: 'tool.write_file',
    actionClass: 'MODERATE',
    decision: 'allowed',
    reason: null,
    args: { path: 'notes.txt', content: { sha256: 'ab12', bytes: 5 } },
    result: { status: 'completed', actionId: 'a1' },
    ip: '127.0.0.1',
    userAgent: 'vitest',
    prevHash: `prev-${id}`,
    hash: `hash-${id}`,
    ...overrides,
  };
}

/** The app's /audit route alone, on a memory history, so useSearch({ from: '/audit' }) works. */
function renderAudit(path = '/audit') {
  vi.stubGlobal('scrollTo', () => undefined);
  const rootRoute = createRootRoute({ component: () => <Outlet /> });
  const auditRoute = createRoute({
    getParentRoute: () => rootRoute,
    path: '/audit',
    validateSearch: validateAuditSearch,
    component: AuditPage,
  });
  const router = createRouter({ routeTree: rootRoute.addChildren([auditRoute]), history: createMemoryHistory({ initialEntries: [path] }) });
  const queryClient = createTestQueryClient();
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { router };
}

function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

const auditRequests = (requests: Request[]) => requests.filter((request) => new URL(request.url).pathname === '/api/audit');

describe('AuditPage', () => {
  it('shows the chain as rows of time, actor, action, class, decision and reason', async () => {
    fakeApi({
      'GET /api/audit': () =>
        jsonResponse(200, {
          items: [
            entry(2, { decision: 'refused', reason: 'needs the admin role', actionClass: 'CRITICAL', action: 'tool.execute_command' }),
            entry(1, { actorType: 'system', actorName: null, actorId: null, actionClass: null, action: 'tool.docker_restart' }),
            entry(0, { action: 'auth.login.succeeded', actionClass: null }),
          ],
          nextCursor: null,
        }),
    });
    renderAudit();
    const table = await screen.findByRole('table', { name: 'Audit entries, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByText('alice')).toBeTruthy();
    expect(within(rows[0]).getByText('tool.execute_command')).toBeTruthy();
    expect(within(rows[0]).getByText('CRITICAL')).toBeTruthy();
    expect(within(rows[0]).getByText('refused')).toBeTruthy();
    expect(within(rows[0]).getByText('needs the admin role')).toBeTruthy();
    expect(within(rows[1]).getByText('system')).toBeTruthy();
    expect(within(rows[1]).getByText('unclassified')).toBeTruthy();
    // A sign-in is outside governance: no class rather than "unclassified".
    expect(within(rows[2]).queryByText('unclassified')).toBeNull();
    expect(screen.getByText('Showing all 3 entries')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('shows a skeleton while the first page loads, then an empty state that says what to do', async () => {
    let answer: (response: Response) => void = () => undefined;
    fakeApi({ 'GET /api/audit': () => new Promise<Response>((resolve) => (answer = resolve)) });
    renderAudit('/audit?decision=expired');
    expect(await screen.findByText('Loading audit entries…')).toBeTruthy();
    answer(jsonResponse(200, { items: [], nextCursor: null }));
    expect(await screen.findByText('No audit entries match these filters.')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Clear filters' }).length).toBeGreaterThan(0);
  });

  it('sends the URL’s filters, applies the form to the URL on submit, and clears them', async () => {
    const requests = fakeApi({ 'GET /api/audit': () => jsonResponse(200, { items: [entry(1)], nextCursor: null }) });
    const { router } = renderAudit('/audit?actor=alice&class=bogus');
    await screen.findByRole('table');
    expect(queryOf(auditRequests(requests)[0])).toEqual({ actor: 'alice', limit: '50' });
    expect(screen.getByRole('textbox', { name: 'Actor' })).toHaveProperty('value', 'alice');

    fireEvent.change(screen.getByRole('textbox', { name: 'Action' }), { target: { value: 'tool.*' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Class' }), { target: { value: 'SENSITIVE' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Decision' }), { target: { value: 'refused' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-29' } });
    // Nothing is asked before the form is applied.
    expect(auditRequests(requests)).toHaveLength(1);
    const apply = screen.getByRole('button', { name: 'Apply filters' });
    fireEvent.click(apply);

    await waitFor(() => expect(auditRequests(requests)).toHaveLength(2));
    // The form stays the same element (a keyboard user's focus is not thrown away).
    expect(screen.getByRole('button', { name: 'Apply filters' })).toBe(apply);
    expect(router.state.location.search).toEqual({
      actor: 'alice',
      action: 'tool.*',
      class: 'SENSITIVE',
      decision: 'refused',
      from: '2026-11-01',
      to: '2026-11-29',
    });
    expect(queryOf(auditRequests(requests)[1])).toEqual({
      actor: 'alice',
      action: 'tool.*',
      class: 'SENSITIVE',
      decision: 'refused',
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 10, 29, 23, 59, 59, 999).toISOString(),
      limit: '50',
    });

    // The export links follow the filters in force.
    const csv = new URL(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href') ?? '', 'http://aegis.test');
    expect(Object.fromEntries(csv.searchParams)).toMatchObject({
      format: 'csv',
      actor: 'alice',
      action: 'tool.*',
      class: 'SENSITIVE',
      decision: 'refused',
    });
    expect(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('download')).not.toBeNull();

    fireEvent.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]);
    await waitFor(() => expect(router.state.location.search).toEqual({}));
    expect(screen.getByRole('textbox', { name: 'Action' })).toHaveProperty('value', '');
    expect(screen.getByRole('link', { name: 'Export NDJSON' }).getAttribute('href')).toBe('/api/audit/export?format=ndjson');
  });

  it('back and forward bring the earlier filters back into the form and the list', async () => {
    fakeApi({
      'GET /api/audit': (request) => {
        const actor = new URL(request.url).searchParams.get('actor');
        return jsonResponse(200, { items: [entry(1, { actorName: actor ?? 'everyone' })], nextCursor: null });
      },
    });
    const { router } = renderAudit('/audit?actor=alice');
    await screen.findByText('alice');
    fireEvent.change(screen.getByRole('textbox', { name: 'Actor' }), { target: { value: 'bob' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await screen.findByText('bob');
    router.history.back();
    await screen.findByText('alice');
    expect(screen.getByRole('textbox', { name: 'Actor' })).toHaveProperty('value', 'alice');
    router.history.forward();
    await screen.findByText('bob');
    expect(screen.getByRole('textbox', { name: 'Actor' })).toHaveProperty('value', 'bob');
  });

  it('pages with the cursor: "Load more" asks for entries older than the last one shown', async () => {
    const requests = fakeApi({
      'GET /api/audit': (request) =>
        new URL(request.url).searchParams.get('cursor') === '51'
          ? jsonResponse(200, { items: [entry(50)], nextCursor: null })
          : jsonResponse(200, { items: [entry(52), entry(51)], nextCursor: '51' }),
    });
    renderAudit('/audit?decision=allowed');
    await screen.findByText('Showing the newest 2 entries');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('Showing all 3 entries');
    expect(queryOf(auditRequests(requests)[1])).toEqual({ decision: 'allowed', cursor: '51', limit: '50' });
    expect(screen.getAllByRole('row')).toHaveLength(4);
  });

  it('says a failure where it happened, with the request id', async () => {
    fakeApi({
      'GET /api/audit': () => jsonResponse(503, errorBody(503, ErrorCode.AuditUnavailable, 'The audit log cannot be read right now')),
    });
    renderAudit();
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Could not load the audit log: The audit log cannot be read right now',
    );
    expect(screen.getByText('req-test-1')).toBeTruthy();
  });

  it('opens an entry from its row with its arguments, result and hashes, and closes it back to the list', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    fakeApi({ 'GET /api/audit': () => jsonResponse(200, { items: [entry(7)], nextCursor: null }) });
    const { router } = renderAudit();
    fireEvent.click(await screen.findByRole('button', { name: /open entry #7/ }));

    const dialog = await screen.findByRole('dialog', { name: 'Audit entry #7' });
    expect(router.state.location.search).toEqual({ entry: 7 });
    expect(within(dialog).getByRole('region', { name: 'Arguments' })?.textContent).toContain('"path": "notes.txt"');
    expect(within(dialog).getByRole('region', { name: 'Result' })?.textContent).toContain('"status": "completed"');
    expect(within(dialog).getByRole('region', { name: 'Previous hash' })?.textContent).toContain('prev-7');
    expect(within(dialog).getByRole('region', { name: 'Hash' })?.textContent).toContain('hash-7');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy hash' }));
    await within(dialog).findByText('Copied');
    expect(writeText).toHaveBeenCalledWith('hash-7');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(router.state.location.search).toEqual({}));
    expect(screen.queryByRole('dialog')).toBeNull();
    Reflect.deleteProperty(navigator, 'clipboard');
  });

  it('opens an entry from a link that is not on the page by asking for it alone', async () => {
    const requests = fakeApi({
      'GET /api/audit': (request) =>
        new URL(request.url).searchParams.get('limit') === '1'
          ? jsonResponse(200, { items: [entry(3, { action: 'approval.approve' })], nextCursor: '3' })
          : jsonResponse(200, { items: [entry(90)], nextCursor: null }),
    });
    renderAudit('/audit?entry=3');
    const dialog = await screen.findByRole('dialog', { name: 'Audit entry #3' });
    expect(await within(dialog).findByText('approval.approve')).toBeTruthy();
    expect(auditRequests(requests).map(queryOf)).toContainEqual({ cursor: '4', limit: '1' });
  });

  it('verify says the chain is valid with the number of entries checked', async () => {
    const valid: ChainVerification = {
      valid: true,
      checked: 1204,
      firstBrokenId: null,
      firstBroken: null,
      message: 'The chain is intact: 1204 entries match their hashes and links',
    };
    fakeApi({
      'GET /api/audit': () => jsonResponse(200, { items: [entry(1)], nextCursor: null }),
      'GET /api/audit/verify': () => jsonResponse(200, valid),
    });
    renderAudit();
    fireEvent.click(await screen.findByRole('button', { name: 'Verify chain' }));
    expect(await screen.findByText(/Chain valid — 1,?204 entries checked/)).toBeTruthy();
  });

  it('verify names the first broken entry, why, and links to it; the entry says so too', async () => {
    const broken: ChainVerification = {
      valid: false,
      checked: 811,
      firstBrokenId: '812',
      firstBroken: {
        id: '812',
        position: 812,
        createdAt: '2026-11-29T10:00:00.000Z',
        reason: 'its content no longer matches its hash: the entry was changed after it was written',
      },
      message: 'The chain is broken at entry 812',
    };
    fakeApi({
      'GET /api/audit': (request) =>
        new URL(request.url).searchParams.get('cursor') === '813'
          ? jsonResponse(200, { items: [entry(812)], nextCursor: '812' })
          : jsonResponse(200, { items: [entry(900)], nextCursor: null }),
      'GET /api/audit/verify': () => jsonResponse(200, broken),
    });
    const { router } = renderAudit('/audit?actor=alice');
    fireEvent.click(await screen.findByRole('button', { name: 'Verify chain' }));
    const outcome = (await screen.findByText(/^Broken at entry #812/)).closest('[data-chain]');
    expect(outcome?.getAttribute('data-chain')).toBe('broken');
    expect(outcome?.textContent).toContain('its content no longer matches its hash: the entry was changed after it was written');
    expect(outcome?.textContent).toContain('811 entries before it are intact.');

    fireEvent.click(screen.getByRole('link', { name: 'Open entry #812' }));
    const dialog = await screen.findByRole('dialog', { name: 'Audit entry #812' });
    expect(router.state.location.search).toEqual({ actor: 'alice', entry: 812 });
    expect(await within(dialog).findByText(/Verify found the chain broken here/)).toBeTruthy();
  });

  it('renews the session before an export link is followed, so the download is never a 401', async () => {
    const requests = fakeApi({
      'GET /api/audit': () => jsonResponse(200, { items: [entry(1)], nextCursor: null }),
      'GET /api/auth/me': () =>
        jsonResponse(200, { user: { id: '1b7e3c9a-0c1d-4e2f-8a3b-00000000000a', username: 'admin', role: 'admin' } }),
    });
    renderAudit('/audit?class=READ');
    const link = await screen.findByRole('link', { name: 'Export NDJSON' });
    // What reaches the browser's own handling of each click (and stops jsdom, which cannot navigate).
    const followed: boolean[] = [];
    const record = (event: Event) => {
      if (event.target === link) followed.push(!event.defaultPrevented);
      event.preventDefault();
    };
    window.addEventListener('click', record);
    fireEvent.click(link);
    await waitFor(() => expect(followed).toEqual([false, true]));
    window.removeEventListener('click', record);
    expect(requests.map((request) => new URL(request.url).pathname)).toContain('/api/auth/me');
    expect(link.getAttribute('href')).toBe('/api/audit/export?format=ndjson&class=READ');
  });
});
