import { CheckFailed, describeError, expectStatus } from '../api-client';
import { type CatalogueItem, type Identity, isRecord, passed, type SmokeCheck } from '../check';

/** The tool the read check runs; the catalogue must list it. */
export const READ_TOOL = 'list_directory';

/** 2. Who the API key is: its user and role (`GET /api/auth/me`). */
export const identityCheck: SmokeCheck = {
  name: 'identity',
  needs: ['health'],
  async run(context) {
    const response = await context.api.get('/auth/me');
    if (response.status === 401) throw new CheckFailed(`the API key was refused (${describeError(response)})`);
    const body = expectStatus(response, 200, 'GET /api/auth/me');
    if (!isRecord(body) || typeof body['id'] !== 'string' || typeof body['username'] !== 'string' || typeof body['role'] !== 'string') {
      throw new CheckFailed('GET /api/auth/me answered without an id, a username and a role');
    }
    context.identity = body as Identity;
    return passed(`the key acts as ${context.identity.username}, role ${context.identity.role}`);
  },
};

/** 3. The tool catalogue the key sees: not empty, and with the tool the next check runs. */
export const catalogueCheck: SmokeCheck = {
  name: 'tool catalogue',
  needs: ['identity'],
  async run(context) {
    const body = expectStatus(await context.api.get('/tools'), 200, 'GET /api/tools');
    const items = isRecord(body) && Array.isArray(body['items']) ? body['items'].filter(isRecord) : [];
    if (items.length === 0) throw new CheckFailed('the tool catalogue is empty');
    const catalogue = items as unknown as CatalogueItem[];
    const readTool = catalogue.find((tool) => tool.name === READ_TOOL);
    if (!readTool) throw new CheckFailed(`the catalogue (${catalogue.length} tools) has no ${READ_TOOL}`);
    if (readTool.policy?.allowed !== true)
      throw new CheckFailed(`${READ_TOOL} is not allowed for this key: ${readTool.policy?.summary ?? 'no policy'}`);
    context.catalogue = catalogue;
    return passed(`${catalogue.length} tools, ${READ_TOOL} included`);
  },
};
