import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { E2E_ADMIN } from './src/e2e-admin';

const port = 3917;
const baseURL = `http://127.0.0.1:${port}`;

// Workers load this file again and inherit the env, so the run shares one fresh data folder.
process.env.AEGIS_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'aegis-e2e-'));
const dataDir = process.env.AEGIS_E2E_DATA_DIR;
// mkdtemp makes 0700 folders; the sandbox user (uid 65534) must reach the workspace inside.
chmodSync(dataDir, 0o755);

export default defineConfig({
  testDir: './src',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // npm test asks for a JSON report too (PLAYWRIGHT_JSON_OUTPUT_NAME) for its summary.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          // Debian's chromium: Playwright never downloads a browser here.
          executablePath: '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
  ],
  webServer: {
    command: 'node dist/apps/api/main.js',
    cwd: '../..',
    url: `${baseURL}/api/health`,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      ADMIN_USERNAME: E2E_ADMIN.username,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      // Every test signs in from 127.0.0.1: the per-address limit must not trip; the per-user one stays as shipped.
      RATE_LIMIT_LOGIN_IP: '1000/60',
    },
    timeout: 120_000,
    reuseExistingServer: false,
    // Server logs stay out of the test output; stderr still shows what went wrong.
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
