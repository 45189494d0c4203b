import { type AppConfig, APP_CONFIG } from '@aegis/config';
import { resolveSpeechSettings, SpeechService, UsageRepository } from '@aegis/providers';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { RecordingLimitInterceptor } from './recording-limit.interceptor';
import { SpeechController } from './speech.controller';

/** GET /api/speech, POST /api/speech/transcriptions and /api/speech/synthesis. Needs the global ConfigModule and TypeORM. */
@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // One recording per request, held in memory up to SPEECH_MAX_MB; a larger one is refused with 413 while it arrives.
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.speech.maxBytes, files: 1, fields: 3, parts: 4 },
      }),
    }),
  ],
  controllers: [SpeechController],
  providers: [
    UsageRepository,
    RecordingLimitInterceptor,
    {
      provide: SpeechService,
      inject: [APP_CONFIG, UsageRepository],
      useFactory: (config: AppConfig, usage: UsageRepository) => new SpeechService(resolveSpeechSettings(config), usage),
    },
  ],
})
export class SpeechModule {}
