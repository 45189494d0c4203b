import { AuditLog, auditedActor, type AuditActor } from '@aegis/governance';
import { Injectable, Logger } from '@nestjs/common';
import { callerOf } from './caller';
import type { Principal } from './principal';

export type SecurityEventType =
  | 'auth.login.succeeded'
  | 'auth.login.failed'
  | 'auth.refresh.reused'
  | 'auth.logout'
  | 'auth.password.changed'
  | 'auth.user.created'
  | 'auth.user.role_changed'
  | 'auth.user.disabled'
  | 'auth.user.enabled'
  | 'auth.api_key.created'
  | 'auth.api_key.revoked'
  | 'auth.rate_limited'
  | 'auth.authorization.refused'
  | 'auth.csrf.refused'
  | 'auth.origin.refused';

export interface SecurityEvent {
  type: SecurityEventType;
  /** Who acted; anonymous when unknown (a failed login names the attempted username in `details`). */
  principal?: Principal;
  decision: 'allowed' | 'refused';
  ip?: string;
  userAgent?: string;
  reason?: string;
  /** Never a secret: the audit log redacts secret-looking fields as a second line of defence. */
  details?: Record<string, unknown>;
}

function actorOf(principal: Principal | undefined): AuditActor {
  return principal ? auditedActor(callerOf(principal, {})) : { type: 'anonymous' };
}

/** Writes security events into the audit chain; a failure to record is logged, never hidden in a response. */
@Injectable()
export class SecurityEvents {
  private readonly logger = new Logger(SecurityEvents.name);

  constructor(private readonly audit: AuditLog) {}

  async record(event: SecurityEvent): Promise<void> {
    try {
      await this.audit.append({
        actor: actorOf(event.principal),
        action: event.type,
        decision: event.decision,
        reason: event.reason,
        args: event.details,
        ip: event.ip,
        userAgent: event.userAgent,
      });
    } catch (error) {
      this.logger.error({ err: error, event: event.type }, 'could not record a security event');
    }
  }
}
