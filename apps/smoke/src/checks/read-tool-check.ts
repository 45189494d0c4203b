import { CheckFailed, expectStatus } from '../api-client';
import { isRecord, passed, type SmokeCheck, type SmokeContext } from '../check';
import { READ_TOOL } from './identity-checks';

/** How many of the newest audit entries of the tool are searched for the action. */
const AUDIT_PAGE = 100;

function recordsOf(body: unknown): Record<string, unknown>[] {
  return isRecord(body) && Array.isArray(body['items']) ? body['items'].filter(isRecord) : [];
}

/** The action's audit entries ("started", then its outcome), found through the audit API (admins). */
async function auditTrail(context: SmokeContext, actionId: string): Promise<string> {
  const query = new URLSearchParams({ action: `tool.${READ_TOOL}`, limit: String(AUDIT_PAGE) });
  const body = expectStatus(await context.api.get(`/audit?${query.toString()}`), 200, 'GET /api/audit');
  const statuses = recordsOf(body)
    .map((entry) => (isRecord(entry['result']) ? entry['result'] : {}))
    .filter((result) => result['actionId'] === actionId)
    .map((result) => String(result['status']));
  if (!statuses.includes('started') || !statuses.includes('completed')) {
    throw new CheckFailed(
      `the audit log lacks the action's entries: expected 'started' and 'completed' for ${actionId}, found ${statuses.length > 0 ? statuses.join(', ') : 'none'}`,
    );
  }
  return `audit entries ${statuses.reverse().join(' → ')}`;
}

/** Without the admin role the audit API is closed: the key's own action record stands in for it. */
async function actionRecord(context: SmokeContext, actionId: string): Promise<string> {
  const query = new URLSearchParams({ tool: READ_TOOL, limit: '50' });
  const body = expectStatus(await context.api.get(`/actions?${query.toString()}`), 200, 'GET /api/actions');
  const action = recordsOf(body).find((item) => item['id'] === actionId);
  if (!action) throw new CheckFailed(`the action ${actionId} is not among the key's recorded actions`);
  if (action['status'] !== 'completed') throw new CheckFailed(`the action ${actionId} is recorded as ${String(action['status'])}`);
  return 'action record completed (the audit API needs an admin key)';
}

/** 4. A governed READ tool run (`POST /api/tools/list_directory/execute`) and its audit entries. */
export const readToolCheck: SmokeCheck = {
  name: 'governed read tool',
  needs: ['tool catalogue'],
  async run(context) {
    const response = await context.api.post(`/tools/${READ_TOOL}/execute`, { args: { path: '.' } });
    const body = expectStatus(response, 200, `POST /api/tools/${READ_TOOL}/execute`);
    const result = isRecord(body) && isRecord(body['result']) ? body['result'] : undefined;
    const actionId = isRecord(body) ? body['actionId'] : undefined;
    if (typeof actionId !== 'string' || !result) throw new CheckFailed(`${READ_TOOL} answered without an actionId and a result`);
    if (result['status'] !== 'completed') throw new CheckFailed(`${READ_TOOL} ended ${String(result['status'])}`);
    const trail = context.identity?.role === 'admin' ? await auditTrail(context, actionId) : await actionRecord(context, actionId);
    return passed(`${READ_TOOL} ran (action ${actionId}); ${trail}`);
  },
};
