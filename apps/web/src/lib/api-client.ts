import type { ApiPaths } from '@aegis/contracts';
import createClient from 'openapi-fetch';

/** The typed client for every endpoint in the API's OpenAPI document; same origin, cookies sent. */
export const apiClient = createClient<ApiPaths>({
  baseUrl: '',
  credentials: 'same-origin',
  // Look fetch up per call: openapi-fetch would otherwise keep the one present at import time.
  fetch: (request) => globalThis.fetch(request),
});
