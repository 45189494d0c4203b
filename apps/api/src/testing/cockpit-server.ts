import { chmodSync, writeFileSync } from 'node:fs';
import type { ApiComponents, ErrorBody } from '@aegis/contracts';
import type request from 'supertest';
import { inWorkspace, type RedteamServer, type RedteamUser, startRedteamServer } from '../redteam/redteam-server';

/** The justification of the CRITICAL requests the cockpit's tests make. */
export const RECORD_JUSTIFICATION = 'Record this run so the approvals queue can be checked';

export const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;

/**
 * The whole API for the admin cockpit's tests (approvals, audit): four eyes on, and record.py in the
 * workspace, which python3 runs (CRITICAL, so only after an approval) to append its arguments.
 */
export async function startCockpitServer(): Promise<RedteamServer> {
  const server = await startRedteamServer({ env: { GOVERNANCE_FOUR_EYES: 'true' } });
  writeFileSync(
    inWorkspace(server, 'record.py'),
    "import sys\nwith open('runs.txt', 'a') as f:\n    f.write(' '.join(sys.argv[1:]) + '\\n')\n",
  );
  chmodSync(inWorkspace(server, 'record.py'), 0o644);
  return server;
}

/** Asks over HTTP, as `who`, to run record.py with `marker`: a CRITICAL action pending an approval, whose id is returned. */
export async function requestRecordRun(server: RedteamServer, who: RedteamUser, marker: string): Promise<string> {
  const response = await server
    .as(who)
    .post('/api/tools/execute_command/execute', { args: { command: `python3 record.py ${marker}` }, justification: RECORD_JUSTIFICATION })
    .expect(202);
  return (response.body as ApiComponents['schemas']['PendingApprovalDto']).approvalId;
}
