import { createHash, timingSafeEqual } from 'node:crypto';
import { Authenticator } from '@aegis/auth';
import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { ErrorCode, Role } from '@aegis/contracts';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiException } from '../http/api.exception';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** /metrics: `Authorization: Bearer <METRICS_TOKEN>` for scrapers, or a signed-in admin. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const token = this.config.metricsToken?.reveal();
    if (token && presented && timingSafeEqual(digest(presented), digest(token))) return true;

    const caller = await this.authenticator.authenticate(request);
    if (caller?.principal.role === Role.Admin) return true;
    if (caller) throw new ApiException(ErrorCode.Forbidden, 'Metrics are for admins and the metrics token');
    throw new ApiException(
      ErrorCode.Unauthenticated,
      token ? 'A valid metrics token or an admin session is required' : 'Sign in as an admin, or set METRICS_TOKEN for scrapers',
    );
  }
}
