import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log';
import { AuditRepository } from './audit.repository';
import { GovernanceTelemetry } from '../telemetry/governance-telemetry';

/**
 * The audit chain, available everywhere: auth records security events, governance every action; admins read it through AuditRepository.
 * GovernanceTelemetry lives here too, so the audit log and GovernanceModule report to the same observers (docs/observability.md).
 */
@Global()
@Module({ providers: [AuditRepository, AuditLog, GovernanceTelemetry], exports: [AuditLog, AuditRepository, GovernanceTelemetry] })
export class AuditModule {}
