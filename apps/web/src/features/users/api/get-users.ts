import type { ApiComponents } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type User = ApiComponents['schemas']['UserDto'];

/** Every account, disabled ones included (admins only). */
export async function getUsers({ signal }: { signal?: AbortSignal } = {}): Promise<User[]> {
  return dataOf(await apiClient.GET('/api/users', { signal })).items;
}

export function usersQueryOptions() {
  return queryOptions({
    queryKey: ['users'],
    queryFn: ({ signal }) => getUsers({ signal }),
  });
}

export function useUsers() {
  return useQuery(usersQueryOptions());
}
