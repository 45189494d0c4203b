import { type Role, ROLES } from '@aegis/contracts';
import { Injectable } from '@nestjs/common';
import { RequesterRepository } from './requester.repository';

/** Who asked for a stored request, as the request recorded it. */
export interface RecordedRequester {
  type: 'user' | 'api_key';
  /** The user id, or the API key id. */
  id: string;
  userId: string;
  name: string;
}

/** The requester's standing now: the role they hold, or why they hold none. */
export type RequesterStanding = { role: Role } | { problem: string };

const lowerRole = (a: Role, b: Role): Role => (ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b);

/**
 * Says from the users and api_keys rows (RequesterRepository) whether a stored request's requester
 * may still act, and with which role: the same rules auth applies to every request (disabled user,
 * revoked or expired key, a key never outranks its owner).
 */
@Injectable()
export class RequesterDirectory {
  constructor(private readonly rows: RequesterRepository) {}

  async standing(requester: RecordedRequester): Promise<RequesterStanding> {
    const user = await this.rows.findUser(requester.userId);
    if (!user) return { problem: `the requester ${requester.name} no longer exists` };
    if (user.disabled) return { problem: `the requester ${user.username} has been disabled` };
    if (requester.type === 'user') return { role: user.role };
    const key = await this.rows.findApiKey(requester.id);
    if (!key || key.userId !== user.id) return { problem: `the API key ${requester.id} that made the request no longer exists` };
    if (key.revokedAt) return { problem: `the API key ${key.name} that made the request was revoked at ${key.revokedAt.toISOString()}` };
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) {
      return { problem: `the API key ${key.name} that made the request expired at ${key.expiresAt.toISOString()}` };
    }
    return { role: lowerRole(key.role, user.role) };
  }
}
