import type { ApiComponents } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

type UploadInfo = ApiComponents['schemas']['UploadDto'];

/** One of the caller's uploads: its name, detected type and size (never its bytes). */
async function getUpload(id: string, { signal }: { signal?: AbortSignal } = {}): Promise<UploadInfo> {
  return dataOf(await apiClient.GET('/api/uploads/{id}', { params: { path: { id } }, signal }));
}

/** An upload never changes once stored, so what was fetched stays good. */
function uploadQueryOptions(id: string) {
  return queryOptions({
    queryKey: ['uploads', id],
    queryFn: ({ signal }) => getUpload(id, { signal }),
    staleTime: Infinity,
  });
}

export function useUpload(id: string) {
  return useQuery(uploadQueryOptions(id));
}

/** Where the browser fetches an upload's bytes (same origin, so allowed as an <img> source by the CSP). */
export function uploadContentUrl(id: string): string {
  return `/api/uploads/${encodeURIComponent(id)}/content`;
}
