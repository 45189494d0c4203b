import { defineConfig } from '@playwright/test';
import { baseURL, projects, webServer } from './playwright.config';

/**
 * `npm run screenshots`: the workspace's screens, light and dark, desktop and phone, written to
 * docs/screenshots/ (the README shows two). Not part of the e2e run: it only takes pictures.
 */
export default defineConfig({
  testDir: './src',
  testMatch: ['screenshots.shot.ts', 'cockpit.shot.ts'],
  outputDir: './test-results/screenshots',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: 'list',
  use: { baseURL, trace: 'off', screenshot: 'off' },
  projects: [
    { name: 'desktop', use: projects.desktop },
    // The admin cockpit is shot at the desktop width only.
    { name: 'phone', use: { ...projects.desktop, viewport: { width: 390, height: 844 }, hasTouch: true }, testIgnore: ['cockpit.shot.ts'] },
  ],
  webServer,
});
