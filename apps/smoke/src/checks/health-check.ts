import { type ApiResponse, CheckFailed, describeError, RequestTimedOut, ServerUnreachable } from '../api-client';
import { isRecord, passed, type SmokeCheck, type SmokeContext } from '../check';

/** `name up, name down (why)` from a health report's `details` (Terminus' shape). */
function indicators(body: unknown): { up: string[]; down: string[] } {
  const details = isRecord(body) && isRecord(body['details']) ? body['details'] : {};
  const up: string[] = [];
  const down: string[] = [];
  for (const [name, state] of Object.entries(details)) {
    const status = isRecord(state) ? state['status'] : undefined;
    const message = isRecord(state) && typeof state['message'] === 'string' ? ` (${state['message']})` : '';
    if (status === 'up') up.push(name);
    else down.push(`${name}${message}`);
  }
  return { up, down };
}

function isHealthReport(body: unknown): boolean {
  return isRecord(body) && typeof body['status'] === 'string';
}

async function probe(context: SmokeContext, path: string): Promise<ApiResponse> {
  try {
    return await context.api.get(path);
  } catch (error) {
    // No answer to the very first request is "cannot reach", like a refused connection.
    if (error instanceof RequestTimedOut) throw new ServerUnreachable(error.message);
    throw error;
  }
}

function notAegis(path: string, response: ApiResponse): CheckFailed {
  return new CheckFailed(`GET /api${path} answered ${response.status} without a health report: is --url the Aegis server?`);
}

/**
 * 1. The server answers and is ready: `/api/health/ready` (database and, when configured, Redis). A
 * server without it is judged by `/api/health`, where only the database decides (LLM vendors and the
 * sandbox may be down without the instance being unfit).
 */
export const healthCheck: SmokeCheck = {
  name: 'health',
  needs: [],
  async run(context) {
    const ready = await probe(context, '/health/ready');
    if (ready.status === 200 || ready.status === 503) {
      if (!isHealthReport(ready.body)) throw notAegis('/health/ready', ready);
      const { up, down } = indicators(ready.body);
      if (ready.status === 503) throw new CheckFailed(`not ready (503): ${down.join(', ') || describeError(ready)}`);
      return passed(`ready${up.length > 0 ? `: ${up.join(', ')} up` : ''}`);
    }
    if (ready.status !== 404) throw new CheckFailed(`GET /api/health/ready answered ${describeError(ready)}`);

    const report = await probe(context, '/health');
    if (report.status !== 200 && report.status !== 503) throw new CheckFailed(`GET /api/health answered ${describeError(report)}`);
    if (!isHealthReport(report.body)) throw notAegis('/health', report);
    const { up, down } = indicators(report.body);
    if (!up.includes('database')) throw new CheckFailed(`the database is down: ${down.join(', ') || describeError(report)}`);
    return passed(
      `healthy (GET /api/health; no /api/health/ready): ${up.join(', ')} up${down.length > 0 ? `; down: ${down.join(', ')}` : ''}`,
    );
  },
};
