import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log';
import { AuditRepository } from './audit.repository';

/** The audit chain, available everywhere: auth records security events, governance every action; admins read it through AuditRepository. */
@Global()
@Module({ providers: [AuditRepository, AuditLog], exports: [AuditLog, AuditRepository] })
export class AuditModule {}
