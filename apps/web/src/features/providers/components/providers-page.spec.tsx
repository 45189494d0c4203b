import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, jsonResponse } from '../../../testing/fake-api';
import { createTestQueryClient } from '../../../testing/render';
import type { ProviderStatus } from '../api/get-providers';
import type { UsageTimeseries } from '../api/get-usage-timeseries';
import { validateProvidersSearch } from '../search';
import { ProvidersPage } from './providers-page';

// jsdom has no canvas: a stand-in records what the chart was given.
const drawn = vi.hoisted(() => ({ data: [] as unknown[] }));
vi.mock('uplot', () => {
  class FakePlot {
    static paths = { bars: () => () => null };
    constructor(_options: unknown, data: unknown) {
      drawn.data.push(data);
    }
    destroy() {}
  }
  return { default: FakePlot };
});

function provider(overrides: Partial<ProviderStatus>): ProviderStatus {
  return {
    name: 'openai',
    configured: true,
    position: 0,
    circuit: 'closed',
    reachable: true,
    defaultModel: 'gpt-4.1-mini',
    models: ['gpt-4.1', 'gpt-4.1-mini'],
    embeddingModel: null,
    lastFailure: null,
    lastSuccessAt: '2026-11-29T12:00:00.000Z',
    reachabilityCheckedAt: '2026-11-29T12:00:00.000Z',
    key: 'sk-…abcd',
    ...overrides,
  };
}

function timeseries(groupBy: UsageTimeseries['groupBy']): UsageTimeseries {
  const days = ['2026-11-28', '2026-11-29'];
  const point = (day: string, cost: number) => ({ day, requests: 1, inputTokens: 100, outputTokens: 10, costMicroDollars: cost });
  const totals = { requests: 2, inputTokens: 200, outputTokens: 20, costMicroDollars: 1_500_000, costUsd: 1.5 };
  return {
    from: days[0] ?? '',
    to: days[1] ?? '',
    groupBy,
    days,
    series: [{ key: 'openai', label: 'openai', points: [point('2026-11-28', 500_000), point('2026-11-29', 1_000_000)], totals }],
    dailyTotals: [point('2026-11-28', 500_000), point('2026-11-29', 1_000_000)],
    totals,
    budgets: {
      period: 'month',
      mode: 'enforce',
      periodStart: '2026-11-01',
      globalMicroDollars: null,
      perUserMicroDollars: null,
      globalSpentMicroDollars: 1_500_000,
      run: { maxSteps: 8, maxTokens: 60_000, deadlineMs: 600_000 },
    },
  };
}

function renderProviders(path = '/providers') {
  vi.stubGlobal('scrollTo', () => undefined);
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      disconnect() {}
    },
  );
  const rootRoute = createRootRoute();
  const providersRoute = createRoute({
    getParentRoute: () => rootRoute,
    path: '/providers',
    validateSearch: validateProvidersSearch,
    component: ProvidersPage,
  });
  const router = createRouter({
    routeTree: rootRoute.addChildren([providersRoute]),
    history: createMemoryHistory({ initialEntries: [path] }),
  });
  render(
    <QueryClientProvider client={createTestQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

describe('ProvidersPage', () => {
  it('says each provider’s circuit, reachability and last failure in words', async () => {
    fakeApi({
      'GET /api/providers': () =>
        jsonResponse(200, {
          items: [
            provider({}),
            provider({
              name: 'groq',
              position: 1,
              circuit: 'open',
              reachable: false,
              lastFailure: { at: '2026-11-29T11:59:00.000Z', reason: 'groq: server error, HTTP 500' },
            }),
          ],
        }),
      'GET /api/usage/timeseries': () => jsonResponse(200, timeseries('provider')),
    });
    renderProviders();
    const table = await screen.findByRole('table', { name: 'Providers' });
    const groq = within(table).getAllByRole('row')[2];
    if (!groq) throw new Error('no groq row');
    expect(groq.getAttribute('data-circuit')).toBe('open');
    expect(within(groq).getByText('Open')).toBeTruthy();
    expect(within(groq).getByText('Unreachable')).toBeTruthy();
    expect(within(groq).getByText('groq: server error, HTTP 500')).toBeTruthy();
  });

  it('draws the chart with a table of the same numbers, and keeps the grouping and range in the URL', async () => {
    const requests = fakeApi({
      'GET /api/providers': () => jsonResponse(200, { items: [provider({})] }),
      'GET /api/usage/timeseries': (request) =>
        jsonResponse(
          200,
          timeseries((new URL(request.url).searchParams.get('groupBy') as UsageTimeseries['groupBy'] | null) ?? 'provider'),
        ),
    });
    // jsdom lays nothing out: give the chart's holder a width so it draws.
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800);
    const router = renderProviders();
    const table = await screen.findByRole('table', { name: /^Cost \(USD\) per day by provider/ });
    expect(within(table).getAllByText('$1.50')).toHaveLength(2);
    expect(screen.getByRole('img', { name: /\$1\.50 in total over 2 days, openai \$1\.50/ })).toBeTruthy();
    expect(screen.getByText(/No spending budget is set/)).toBeTruthy();
    await waitFor(() => expect(drawn.data.length).toBeGreaterThan(0));
    expect(drawn.data.at(-1)).toEqual([
      [0, 1],
      [0.5, 1],
    ]);

    fireEvent.change(screen.getByLabelText('Group by'), { target: { value: 'model' } });
    await waitFor(() => expect(router.state.location.search).toEqual({ groupBy: 'model' }));
    fireEvent.click(screen.getByRole('button', { name: '7 days' }));
    await waitFor(() => expect(router.state.location.search).toEqual({ groupBy: 'model', days: 7 }));
    await waitFor(() => expect(requests.some((request) => new URL(request.url).searchParams.get('groupBy') === 'model')).toBe(true));
    expect(screen.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed')).toBe('true');
  });
});
