import { createTestDatabase } from '@aegis/testing';
import {
  ADMIN,
  type BuiltAegis,
  createApiKey,
  createUser,
  listItems,
  requireBuilt,
  runSmoke,
  startBuiltAegis,
} from './testing/built-aegis';

const SECOND_ADMIN = { username: 'second-admin', password: 'another long password for tests', role: 'admin' as const };
const OPERATOR = { username: 'smoke-operator', password: 'an operator password for tests', role: 'operator' as const };

describe('the approval check with GOVERNANCE_FOUR_EYES on', () => {
  let server: BuiltAegis;
  let adminKey: string;

  beforeAll(async () => {
    requireBuilt();
    server = await startBuiltAegis({
      DATABASE_URL: await createTestDatabase(),
      GOVERNANCE_FOUR_EYES: 'true',
      RATE_LIMIT_LOGIN_IP: '1000/60',
    });
    adminKey = await createApiKey(server.url, 'admin');
    await createUser(server.url, SECOND_ADMIN);
    await createUser(server.url, OPERATOR);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  const smokeSignedInAs = (login: { username: string; password: string }) =>
    runSmoke(['--url', server.url], {
      AEGIS_API_KEY: adminKey,
      AEGIS_ADMIN_USERNAME: login.username,
      AEGIS_ADMIN_PASSWORD: login.password,
    });
  const pending = () => listItems(`${server.url}/api/approvals?status=pending`, adminKey);

  it("fails before asking anything when the sign-in is the key's owner, who may not reject their own request", async () => {
    const result = await smokeSignedInAs(ADMIN);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`✘ approval`);
    expect(result.stdout).toContain(
      `GOVERNANCE_FOUR_EYES is on and the key is ${ADMIN.username}'s: set AEGIS_ADMIN_USERNAME to another admin`,
    );
    expect(await pending()).toEqual([]);
  });

  it('fails before asking anything when the sign-in is not an admin', async () => {
    const result = await smokeSignedInAs(OPERATOR);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      `AEGIS_ADMIN_USERNAME ${OPERATOR.username} is not an admin (role operator), so it could not reject the request`,
    );
    expect(await pending()).toEqual([]);
  });

  it('passes with another admin signed in, who rejects the request', async () => {
    const result = await smokeSignedInAs(SECOND_ADMIN);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toContain(`then rejected by ${SECOND_ADMIN.username}`);
    expect(await pending()).toEqual([]);
    expect(await listItems(`${server.url}/api/approvals?status=rejected`, adminKey)).toEqual([
      expect.objectContaining({ tool: 'execute_command', requestedBy: expect.objectContaining({ type: 'api_key' }) as unknown }),
    ]);
  });
});
