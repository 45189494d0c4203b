import type { ApiComponents } from '@aegis/contracts';
import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type ChainVerification = ApiComponents['schemas']['ChainVerificationDto'];

/** Walks the whole chain on the server; the answer names the first broken entry, if any. */
export async function verifyAuditChain(): Promise<ChainVerification> {
  return dataOf(await apiClient.GET('/api/audit/verify'));
}

/** A mutation, not a query: verifying is a deliberate act each time, never served from a cache. */
export function useVerifyAuditChain() {
  return useMutation({ mutationFn: verifyAuditChain });
}
