import type { ConsoleMessage, Page } from '@playwright/test';

const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of (\d{3})\b/;

/**
 * Chromium logs every 4xx/5xx response as a console error; these are the ones a test causes on
 * purpose (asking /api/auth/me before sign-in, a refused login), keyed by path with the statuses
 * allowed. Anything else fails the test.
 */
export type ExpectedFailures = Record<string, readonly number[]>;

/** Before sign-in the SPA asks who is signed in, and the API answers 401. */
export const SESSION_PROBE: ExpectedFailures = { '/api/auth/me': [401] };

function isExpectedFailure(message: ConsoleMessage, expected: ExpectedFailures): boolean {
  const status = FAILED_RESOURCE.exec(message.text())?.[1];
  if (status === undefined) return false;
  const { url } = message.location();
  if (!url) return false;
  return expected[new URL(url).pathname]?.includes(Number(status)) ?? false;
}

/**
 * Reports every Content Security Policy violation of the page as a console error (which
 * collectBrowserErrors then records), with the directive and what was blocked. Chromium logs most
 * violations itself; this also catches the ones it reports only to the event (report-only, eval).
 */
export async function watchCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
}

/** Collects console errors (CSP violations included) and uncaught page errors, from now on. */
export function collectBrowserErrors(page: Page, expected: ExpectedFailures = {}): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedFailure(message, expected)) {
      errors.push(`console: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}
