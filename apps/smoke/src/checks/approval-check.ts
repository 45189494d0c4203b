import { signIn } from '../admin-session';
import { type ApiClient, CheckFailed, describeError, expectStatus } from '../api-client';
import { type Identity, isRecord, passed, skipped, type SmokeCheck, type SmokeContext } from '../check';

/** The CRITICAL tool the check asks for: its arguments are the client's own, so it knows what would run. */
const PROBE_TOOL = 'execute_command';
/** An option the classifier does not know makes the call CRITICAL; were it ever approved, sort would only refuse the option. */
const PROBE_ARGS = { command: 'sort --aegis-smoke-approval-probe' };
const JUSTIFICATION = 'Aegis smoke test of the approval queue: this request is rejected at once and never runs';
const REJECT_REASON = 'Aegis smoke test clean-up: the request only checked the approval queue';
const APPROVAL_PAGES = 10;

/** The approval request with this id among those in `status`, newest first, a page at a time. */
async function findApproval(api: ApiClient, id: string, status: string): Promise<Record<string, unknown> | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < APPROVAL_PAGES; page++) {
    const query = new URLSearchParams({ status, limit: '100', ...(cursor ? { cursor } : {}) });
    const body = expectStatus(await api.get(`/approvals?${query.toString()}`), 200, 'GET /api/approvals');
    const items = isRecord(body) && Array.isArray(body['items']) ? body['items'].filter(isRecord) : [];
    const found = items.find((item) => item['id'] === id);
    if (found) return found;
    const next = isRecord(body) ? body['nextCursor'] : null;
    if (typeof next !== 'string') return undefined;
    cursor = next;
  }
  return undefined;
}

/** GOVERNANCE_FOUR_EYES as GET /api/system shows it (admins), or undefined when it cannot be read. */
async function fourEyes(context: SmokeContext): Promise<boolean | undefined> {
  const response = await context.api.get('/system');
  const config = response.status === 200 && isRecord(response.body) ? response.body['config'] : undefined;
  const entry = Array.isArray(config) ? config.filter(isRecord).find((item) => item['key'] === 'GOVERNANCE_FOUR_EYES') : undefined;
  return entry ? entry['value'] === 'true' : undefined;
}

/** Refuses, before any request is made, a sign-in that could not reject the key's request (so nothing is left pending). */
async function assertFitToReject(context: SmokeContext, user: Identity): Promise<void> {
  if (user.role !== 'admin') {
    throw new CheckFailed(`AEGIS_ADMIN_USERNAME ${user.username} is not an admin (role ${user.role}), so it could not reject the request`);
  }
  if (user.id === context.identity?.id && (await fourEyes(context))) {
    throw new CheckFailed(`GOVERNANCE_FOUR_EYES is on and the key is ${user.username}'s: set AEGIS_ADMIN_USERNAME to another admin`);
  }
}

/**
 * 5. A CRITICAL call waits for approval (202), appears among the pending requests, is rejected by a
 * signed-in admin and ends rejected. Needs an admin key (the approval list is admins') and an admin's
 * sign-in (API keys may not decide approvals); skipped, before asking anything, without either, and
 * failed, before asking anything, when the sign-in could not reject (not an admin; four eyes).
 */
export const approvalCheck: SmokeCheck = {
  name: 'approval',
  needs: ['tool catalogue'],
  async run(context) {
    const role = context.identity?.role;
    if (role !== 'admin') return skipped(`needs an admin API key to see pending approvals (this key's role is ${role ?? 'unknown'})`);
    const login = context.options.adminLogin;
    if (!login) {
      return skipped('needs AEGIS_ADMIN_USERNAME and AEGIS_ADMIN_PASSWORD: only a signed-in admin may reject the request, not an API key');
    }
    const probe = context.catalogue?.find((tool) => tool.name === PROBE_TOOL);
    if (!probe?.policy.approvalRequired) {
      return skipped(`${PROBE_TOOL} is not in the catalogue as a call that waits for approval, so nothing can be left pending safely`);
    }

    const session = await signIn(context.api, login);
    try {
      await assertFitToReject(context, session.user);
      const requested = await context.api.post(`/tools/${PROBE_TOOL}/execute`, { args: PROBE_ARGS, justification: JUSTIFICATION });
      const body = expectStatus(requested, 202, `POST /api/tools/${PROBE_TOOL}/execute (a CRITICAL call)`);
      const approvalId = isRecord(body) ? body['approvalId'] : undefined;
      if (typeof approvalId !== 'string') throw new CheckFailed(`the CRITICAL call answered 202 without an approvalId`);
      // Rejected whatever the listing shows, so that the request never outlives the check.
      const listed = await findApproval(context.api, approvalId, 'pending').then(
        (found) => ({ found: found !== undefined }),
        (error: unknown) => ({ error }),
      );
      const leftPending = `approval ${approvalId} may still be pending: reject it on the Approvals page`;
      const rejection = await session.api.post(`/approvals/${approvalId}/reject`, { reason: REJECT_REASON }).catch((error: unknown) => {
        if (error instanceof Error) error.message += `; ${leftPending}`;
        throw error;
      });
      if (rejection.status !== 200) {
        throw new CheckFailed(
          `POST /api/approvals/${approvalId}/reject as ${session.user.username} answered ${describeError(rejection)}; ${leftPending}`,
        );
      }
      if ('error' in listed) throw listed.error;
      if (!listed.found) throw new CheckFailed(`approval ${approvalId} was not among the pending requests (it is rejected now)`);
      const decided = await findApproval(context.api, approvalId, 'rejected');
      if (!decided) throw new CheckFailed(`approval ${approvalId} was rejected but is not listed as rejected`);
      if (decided['actionId'] !== null) throw new CheckFailed(`approval ${approvalId} is rejected but names an action that ran`);
      return passed(`${PROBE_TOOL} waited for approval ${approvalId}, listed pending, then rejected by ${session.user.username}`);
    } finally {
      await session.end().catch(() => undefined);
    }
  },
};
