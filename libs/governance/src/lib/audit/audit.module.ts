import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log';

/** The audit chain, available everywhere: auth records security events, governance every action. */
@Global()
@Module({ providers: [AuditLog], exports: [AuditLog] })
export class AuditModule {}
