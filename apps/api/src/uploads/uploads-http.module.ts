import { type AppConfig, APP_CONFIG } from '@aegis/config';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { UploadStore } from './upload-store';
import { UploadsController } from './uploads.controller';
import { UploadsRepository } from './uploads.repository';
import { UploadsService } from './uploads.service';

/** POST/GET /api/uploads, and UploadsService for the agent (image parts, reading text and PDFs). */
@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // One file per request, held in memory up to UPLOAD_MAX_MB; multer's size refusal becomes 413 PAYLOAD_TOO_LARGE.
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 5, parts: 6 },
      }),
    }),
  ],
  controllers: [UploadsController],
  providers: [UploadsService, UploadsRepository, UploadStore],
  exports: [UploadsService],
})
export class UploadsHttpModule {}
