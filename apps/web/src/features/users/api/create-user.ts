import type { ApiComponents } from '@aegis/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { usersQueryOptions, type User } from './get-users';

export type NewUser = ApiComponents['schemas']['CreateUserDto'];

export async function createUser(input: NewUser): Promise<User> {
  return dataOf(await apiClient.POST('/api/users', { body: input }));
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryOptions().queryKey }),
  });
}
