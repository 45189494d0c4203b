/**
 * Which browser origins may act with a user's cookies (docs/security.md, "Cross-site requests").
 * One rule for the HTTP guard and the socket.io handshake:
 * - an `Origin` header is allowed when it is the served origin (same host and port as `Host`) or is
 *   listed in CORS_ORIGINS; anything else, including the opaque `null`, is refused;
 * - without `Origin`, a browser that says `Sec-Fetch-Site: cross-site` is refused; a client that
 *   sends neither (curl, a script, a server) is allowed: it holds no victim's cookies.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  corsOrigins: readonly string[],
  secFetchSite?: string,
): boolean {
  const claimed = origin?.trim();
  if (claimed === undefined || claimed === '') return secFetchSite?.trim().toLowerCase() !== 'cross-site';
  const parsed = parseOrigin(claimed);
  if (!parsed) return false;
  if (corsOrigins.some((listed) => parseOrigin(listed)?.origin === parsed.origin)) return true;
  return host !== undefined && hostOf(parsed.protocol, host) === parsed.host;
}

/** An http(s) origin as the URL parser normalizes it (lower case, default port dropped), or undefined. */
function parseOrigin(text: string): URL | undefined {
  if (!/^https?:\/\/[^/?#\s]+$/i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return url.username === '' && url.password === '' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `host[:port]` of a Host header, normalized for the origin's scheme so that `:443` equals no port. */
function hostOf(protocol: string, host: string): string | undefined {
  const trimmed = host.trim();
  if (trimmed === '' || /[/?#@\s]/.test(trimmed)) return undefined;
  try {
    return new URL(`${protocol}//${trimmed}`).host;
  } catch {
    return undefined;
  }
}
