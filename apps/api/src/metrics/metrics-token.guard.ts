import { createHash, timingSafeEqual } from 'node:crypto';
import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { ErrorCode } from '@aegis/contracts';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiException } from '../http/api.exception';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; with no token configured it stays closed. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@InjectAppConfig() private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const token = this.config.metricsToken;
    if (!token) {
      throw new ApiException(ErrorCode.Forbidden, 'Metrics are disabled: set METRICS_TOKEN to enable /metrics');
    }
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!presented || !timingSafeEqual(digest(presented), digest(token.reveal()))) {
      throw new ApiException(ErrorCode.Unauthenticated, 'A valid metrics token is required');
    }
    return true;
  }
}
