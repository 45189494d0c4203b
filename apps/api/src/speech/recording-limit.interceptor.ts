import { SpeechException, SpeechExceptionCode, SpeechService } from '@aegis/providers';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';

/** Names the limit when multer refuses a recording over SPEECH_MAX_MB (its own message is "File too large"). */
@Injectable()
export class RecordingLimitInterceptor implements NestInterceptor {
  constructor(private readonly speech: SpeechService) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() =>
            error instanceof PayloadTooLargeException
              ? new SpeechException(
                  SpeechExceptionCode.PayloadTooLarge,
                  `The recording is larger than ${Math.floor(this.speech.maxBytes / (1024 * 1024))} MB (SPEECH_MAX_MB)`,
                )
              : error,
          ),
        ),
      );
  }
}
