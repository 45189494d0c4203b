import type { ApiComponents } from '@aegis/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { apiKeysQueryOptions } from './get-api-keys';

export type NewApiKey = ApiComponents['schemas']['CreateApiKeyDto'];
/** The one answer that carries the key itself. */
export type CreatedApiKey = ApiComponents['schemas']['CreatedApiKeyDto'];

export async function createApiKey(input: NewApiKey): Promise<CreatedApiKey> {
  return dataOf(await apiClient.POST('/api/api-keys', { body: input }));
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createApiKey,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysQueryOptions().queryKey }),
  });
}
