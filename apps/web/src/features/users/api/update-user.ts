import type { ApiComponents } from '@aegis/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { usersQueryOptions, type User } from './get-users';

export type UserChange = ApiComponents['schemas']['UpdateUserDto'];

/** A role change, disabling or enabling; the user feels it at their next refresh at the latest. */
export async function updateUser({ id, change }: { id: string; change: UserChange }): Promise<User> {
  return dataOf(await apiClient.PATCH('/api/users/{id}', { params: { path: { id } }, body: change }));
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryOptions().queryKey }),
  });
}
