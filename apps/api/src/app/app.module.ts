import { AuthGuard, AuthModule, RateLimitModule } from '@aegis/auth';
import { type AppConfig, ConfigModule } from '@aegis/config';
import { type DatabaseConnection, DatabaseModule } from '@aegis/database';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from '@aegis/governance';
import { AuthHttpModule } from '../auth/auth-http.module';
import { ChatModule } from '../chat/chat.module';
import { GovernanceHttpModule } from '../governance/governance-http.module';
import { BackupModule } from '../backup/backup.module';
import { HealthModule } from '../health/health.module';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { loggingParams } from '../http/logging';
import { MetricsModule } from '../metrics/metrics.module';
import { MemoryHttpModule } from '../memory/memory-http.module';
import { ProvidersHttpModule } from '../providers/providers-http.module';
import { SpeechModule } from '../speech/speech.module';
import { UploadsHttpModule } from '../uploads/uploads-http.module';
import { SystemModule } from '../system/system.module';

/** The composition root: one validated config and one database connection, chosen by main.ts. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DatabaseConnection): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggingParams(config.logLevel)),
        DatabaseModule.forRoot(database),
        HealthModule,
        MetricsModule,
        AuditModule,
        AuthModule,
        RateLimitModule,
        AuthHttpModule,
        ProvidersHttpModule,
        UploadsHttpModule,
        MemoryHttpModule,
        GovernanceHttpModule,
        ChatModule,
        SpeechModule,
        SystemModule.forRoot(database),
        BackupModule.forRoot(database),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_GUARD, useExisting: AuthGuard },
      ],
    };
  }
}
