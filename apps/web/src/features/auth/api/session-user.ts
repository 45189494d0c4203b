import { isRole, type Role } from '@aegis/contracts';

// Until the auth endpoints are in the OpenAPI document: the user as /api/auth/login and /api/auth/me return it.
export interface SessionUser {
  id: string;
  username: string;
  role: Role;
}

/** Narrows a response body to a SessionUser; throws when the server sent something else. */
export function parseSessionUser(value: unknown): SessionUser {
  if (typeof value === 'object' && value !== null) {
    const { id, username, role } = value as Record<string, unknown>;
    if (typeof id === 'string' && typeof username === 'string' && isRole(role)) {
      return { id, username, role };
    }
  }
  throw new Error('The server sent a user in an unexpected shape.');
}
