/**
 * The e2e harness's own environment (ports, the run's data folder) is read here and nowhere else
 * in the tests; the server's configuration is libs/config's, set through playwright.config.ts.
 *
 * Fixed places the Playwright config and the fixtures agree on: the built server is started once
 * per run (webServer), before any worker, so the fake LLM it is pointed at must sit on a port known
 * in advance. The fixture forwards that port to the fake server of the worker.
 */
// Overridable so that two checkouts (a CI clone beside a working copy) can run at once.
export const API_PORT = Number(process.env.AEGIS_E2E_API_PORT ?? 3917);
export const FAKE_LLM_PORT = Number(process.env.AEGIS_E2E_FAKE_LLM_PORT ?? 3918);
/** What the server is given as OPENAI_BASE_URL: the fake's OpenAI prefix behind the fixed port. */
export const FAKE_OPENAI_BASE_URL = `http://127.0.0.1:${FAKE_LLM_PORT}/openai/v1`;

/** The run's data folder, made by playwright.config.ts and handed to the workers through the environment. */
export function runDataDir(): string {
  const dataDir = process.env.AEGIS_E2E_DATA_DIR;
  if (!dataDir) throw new Error('AEGIS_E2E_DATA_DIR is not set: run the tests through apps/web-e2e/playwright.config.ts');
  return dataDir;
}

/** The agent's workspace of this run (the config makes it under the run's data folder). */
export function workspaceDir(): string {
  return `${runDataDir()}/workspace`;
}
