import type { AppConfig } from '@aegis/config';
import type { DatabaseConnection } from '@aegis/database';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

/** Builds the configured application (not yet listening); used by main.ts and the HTTP tests. */
export async function createApp(config: AppConfig, database: DatabaseConnection, webDir?: string) {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const { spa } = configureApp(app, config, webDir);
  return { app, spa };
}
