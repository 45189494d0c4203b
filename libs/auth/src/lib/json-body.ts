import type { IncomingHttpHeaders } from 'node:http';

/**
 * True when a request carries a JSON body (`Content-Type: application/json`, any parameters) or
 * no body at all. HTML forms can only send urlencoded, multipart or text/plain bodies, so a route
 * that accepts nothing else cannot be posted to by a cross-site form.
 */
export function jsonOrEmptyBody(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (type !== undefined) return type.split(';')[0]?.trim().toLowerCase() === 'application/json';
  const length = Number(headers['content-length'] ?? '0');
  return headers['transfer-encoding'] === undefined && length === 0;
}
