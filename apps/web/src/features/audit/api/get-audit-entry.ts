import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { ApiError, dataOf } from '../../../lib/api-error';
import type { AuditEntry } from './get-audit-entries';

/**
 * One entry by id. The API has no GET /api/audit/{id}; the list's cursor means "entries older
 * than", so the one entry just below id + 1 is the entry itself, when it exists.
 */
export async function getAuditEntry(id: number, { signal }: { signal?: AbortSignal } = {}): Promise<AuditEntry> {
  const page = dataOf(await apiClient.GET('/api/audit', { params: { query: { cursor: String(id + 1), limit: 1 } }, signal }));
  const entry = page.items.at(0);
  if (entry === undefined || entry.id !== String(id)) throw new ApiError(`There is no audit entry #${id}.`, 404);
  return entry;
}

export function auditEntryQueryOptions(id: number) {
  return queryOptions({
    queryKey: ['audit', 'entry', id],
    queryFn: ({ signal }) => getAuditEntry(id, { signal }),
  });
}

/** The entry, unless it is already on screen (`loaded`); then no request is sent. */
export function useAuditEntry(id: number | undefined, loaded: AuditEntry | undefined) {
  return useQuery({ ...auditEntryQueryOptions(id ?? 0), enabled: id !== undefined && loaded === undefined });
}
