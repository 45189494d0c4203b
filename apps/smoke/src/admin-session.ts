import { type ApiClient, CheckFailed, describeError } from './api-client';
import { type Identity, isRecord } from './check';

/** A signed-in session: who it is, a client that sends its cookies and CSRF token, and how to end it. */
export interface AdminSession {
  api: ApiClient;
  user: Identity;
  end(): Promise<void>;
}

function cookiesOf(headers: Headers): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of headers.getSetCookie()) {
    const pair = line.split(';', 1)[0] ?? '';
    const equals = pair.indexOf('=');
    if (equals > 0) cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
  }
  return cookies;
}

/**
 * Signs in as an admin (`POST /api/auth/login`): deciding an approval needs a person's session, API
 * keys are refused there (docs/security.md). `end()` signs out again with the refresh token.
 */
export async function signIn(api: ApiClient, login: { username: string; password: string }): Promise<AdminSession> {
  const response = await api.post('/auth/login', login);
  if (response.status !== 200) throw new CheckFailed(`signing in as ${login.username} failed: ${describeError(response)}`);
  const user = isRecord(response.body) ? response.body['user'] : undefined;
  if (!isRecord(user) || typeof user['id'] !== 'string' || typeof user['role'] !== 'string') {
    throw new CheckFailed(`signing in as ${login.username} answered without the user`);
  }
  const cookies = cookiesOf(response.headers);
  const access = cookies.get('access_token');
  const csrf = cookies.get('csrf_token');
  const refresh = cookies.get('refresh_token');
  if (!access || !csrf) throw new CheckFailed(`signing in as ${login.username} set no session cookies`);
  const session = api.withCredentials({ cookie: `access_token=${access}; csrf_token=${csrf}`, csrfToken: csrf });
  return {
    api: session,
    user: user as Identity,
    async end() {
      await session.post('/auth/logout', refresh ? { refreshToken: refresh } : {});
    },
  };
}
