import { ACTION_CLASSES, type ActionClass } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

/** The tools the agent may call, each with its declared action class. */
export async function getTools({ signal }: { signal?: AbortSignal } = {}) {
  return dataOf(await apiClient.GET('/api/tools', { signal })).items;
}

export function toolsQueryOptions() {
  return queryOptions({
    queryKey: ['tools'],
    queryFn: ({ signal }) => getTools({ signal }),
    staleTime: 5 * 60_000,
  });
}

/** Each tool's declared class by name: what a running call's card shows until governance decides. */
export function useToolClasses(): Readonly<Record<string, ActionClass>> {
  const { data } = useQuery({
    ...toolsQueryOptions(),
    select: (tools) => {
      const classes: Record<string, ActionClass> = {};
      for (const tool of tools) {
        const declared = ACTION_CLASSES.find((actionClass) => actionClass === (tool.actionClass as ActionClass));
        if (declared) classes[tool.name] = declared;
      }
      return classes;
    },
  });
  return data ?? NO_CLASSES;
}

const NO_CLASSES: Readonly<Record<string, ActionClass>> = Object.freeze({});
