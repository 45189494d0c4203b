import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { clearCsrfCookie } from './fake-api';

// jsdom has no fetch, so Node's Request is used, and it cannot resolve "/api/..." against the page as a browser does.
class PageRelativeRequest extends Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' ? new URL(input, window.location.href) : input, init);
  }
}
globalThis.Request = PageRelativeRequest;

// jsdom has no matchMedia; libraries that read it at import (uPlot) get a page that matches no query.
if (typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  });
}

afterEach(() => {
  cleanup();
  clearCsrfCookie();
});
