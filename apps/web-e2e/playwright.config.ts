import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices, type PlaywrightTestConfig } from '@playwright/test';
import { E2E_ADMIN } from './src/e2e-admin';
import { E2E_CONTAINER } from './src/support/cockpit-env';
import { API_PORT, FAKE_OPENAI_BASE_URL } from './src/support/e2e-env';
import { toneWav } from './src/support/tone-wav';

export const baseURL = `http://127.0.0.1:${API_PORT}`;

// Workers load this file again and inherit the env, so the run shares one fresh data folder.
process.env.AEGIS_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'aegis-e2e-'));
const dataDir = process.env.AEGIS_E2E_DATA_DIR;
// mkdtemp makes 0700 folders; the sandbox user (uid 65534) must reach the workspace inside.
chmodSync(dataDir, 0o755);
// The fake microphone: Chromium reads this file (looped) instead of a real device.
const microphoneWav = join(dataDir, 'microphone.wav');
writeFileSync(microphoneWav, toneWav());
// The agent's tools work here; a file the list_directory flow finds.
const workspaceDir = join(dataDir, 'workspace');
mkdirSync(workspaceDir, { recursive: true, mode: 0o777 });
chmodSync(workspaceDir, 0o777);
writeFileSync(join(workspaceDir, 'release-notes.md'), '# Release notes\n\n- the chat workspace\n', { mode: 0o644 });
// The run serves its own copy of the built web app: a rebuild of dist/apps/web during the run
// (which empties the folder first) must not change the pages under the tests.
const webDir = join(dataDir, 'web');
const builtWeb = join(__dirname, '..', '..', 'dist', 'apps', 'web');
if (!existsSync(join(webDir, 'index.html'))) {
  if (!existsSync(join(builtWeb, 'index.html'))) throw new Error(`No web build in ${builtWeb}: build it first (npx nx run web:build)`);
  cpSync(builtWeb, webDir, { recursive: true });
}

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Voice: the microphone is granted without a prompt and fed from the WAV file.
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${microphoneWav}`,
  '--autoplay-policy=no-user-gesture-required',
];

const desktop = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1440, height: 900 },
  // Debian's chromium: Playwright never downloads a browser here.
  launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
};

/** Both the e2e run and the screenshot run start the built server the same way. */
export const webServer: PlaywrightTestConfig['webServer'] = {
  command: 'node dist/apps/api/main.js',
  cwd: '../..',
  url: `${baseURL}/api/health`,
  env: {
    PORT: String(API_PORT),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    WORKSPACE_DIR: workspaceDir,
    WEB_DIR: webDir,
    // bwrap runs the host's programs (python3 for the CRITICAL flow); the Docker image is busybox only.
    SANDBOX_DRIVER: 'bwrap',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ADMIN_USERNAME: E2E_ADMIN.username,
    ADMIN_PASSWORD: E2E_ADMIN.password,
    // Every test signs in from 127.0.0.1: the per-address limit must not trip; the per-user one stays as shipped.
    RATE_LIMIT_LOGIN_IP: '1000/60',
    // Two viewports chat a few dozen times a minute.
    RATE_LIMIT_CHAT: '500/60',
    // The model, embeddings and speech: the fake LLM server the test worker runs (src/support/fixtures.ts).
    PROVIDER_ORDER: 'openai',
    OPENAI_API_KEY: 'sk-e2e',
    OPENAI_BASE_URL: FAKE_OPENAI_BASE_URL,
    SPEECH_PROVIDER: 'openai',
    SPEECH_TTS_PROVIDER: 'openai',
    // The admin cockpit (cockpit-*.spec.ts): a Docker restart waits for an admin; the one container the test starts is
    // visible; nobody decides their own request; the flows run a few dozen tools a minute.
    GOVERNANCE_RAISE_CLASSES: 'docker_restart=CRITICAL',
    DOCKER_CONTAINER_ALLOWLIST: E2E_CONTAINER,
    GOVERNANCE_FOUR_EYES: 'true',
    RATE_LIMIT_TOOLS: '500/60',
  },
  timeout: 120_000,
  // For working on the tests: a server started by hand with the same AEGIS_E2E_DATA_DIR and env.
  reuseExistingServer: process.env.AEGIS_E2E_REUSE_SERVER === '1',
  // Server logs stay out of the test output; stderr still shows what went wrong.
  stdout: 'ignore',
  stderr: 'pipe',
};

export const projects = { desktop };

export default defineConfig({
  testDir: './src',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // npm test asks for a JSON report too (PLAYWRIGHT_JSON_OUTPUT_NAME) for its summary.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // The cockpit's flows run at the desktop width; cockpit-phone.spec.ts checks its phone layouts.
    { name: 'desktop', use: desktop, testIgnore: ['cockpit-phone.spec.ts'] },
    {
      name: 'phone',
      use: { ...desktop, viewport: { width: 390, height: 844 }, hasTouch: true },
      // The sign-in and account flows create fixed users: once is enough, at the desktop width.
      testIgnore: ['login.spec.ts', 'session.spec.ts', /cockpit-(?!phone)[^/]*\.spec\.ts$/],
    },
  ],
  webServer,
});
