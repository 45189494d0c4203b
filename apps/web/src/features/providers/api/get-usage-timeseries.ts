import type { ApiComponents } from '@aegis/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type UsageTimeseries = ApiComponents['schemas']['UsageTimeseriesDto'];
export type UsageSeries = ApiComponents['schemas']['UsageSeriesDto'];
export type UsagePoint = ApiComponents['schemas']['UsagePointDto'];
export type UsageBudgets = ApiComponents['schemas']['UsageBudgetsDto'];
export type UsageGroupBy = UsageTimeseries['groupBy'];

export interface UsageTimeseriesQuery {
  /** First and last UTC day, inclusive (YYYY-MM-DD). */
  from: string;
  to: string;
  groupBy: UsageGroupBy;
}

/** Zero-filled day buckets, one series per provider, model or user, with totals and the budgets in force. */
export async function getUsageTimeseries(query: UsageTimeseriesQuery, { signal }: { signal?: AbortSignal } = {}): Promise<UsageTimeseries> {
  return dataOf(await apiClient.GET('/api/usage/timeseries', { params: { query }, signal }));
}

export function usageTimeseriesQueryOptions(query: UsageTimeseriesQuery) {
  return queryOptions({
    queryKey: ['usage', 'timeseries', query],
    queryFn: ({ signal }) => getUsageTimeseries(query, { signal }),
    // Keep the chart drawn while another range or grouping loads.
    placeholderData: keepPreviousData,
  });
}

export function useUsageTimeseries(query: UsageTimeseriesQuery) {
  return useQuery(usageTimeseriesQueryOptions(query));
}
