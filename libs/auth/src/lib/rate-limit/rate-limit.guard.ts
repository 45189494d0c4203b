import type { AppConfig } from '@aegis/config';
import { ErrorCode } from '@aegis/contracts';
import { applyDecorators, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { AuthException } from '../auth.exception';
import { type AuthenticatedRequest, clientOf, type Principal } from '../principal';
import { SecurityEvents } from '../security-events';
import { hashKeyPart } from './counter-store';

/** The named per-route limits; `chat` and `tools` come from RATE_LIMIT_CHAT / RATE_LIMIT_TOOLS. */
export type RateLimitName = 'chat' | 'tools' | 'register';

/** Registration is not configurable: 3 accounts per client per hour. */
export const REGISTER_RATE_LIMIT = { limit: 3, ttlSeconds: 3600 } as const;

const RateLimitMetadata = Reflector.createDecorator<RateLimitName>();

/**
 * Puts a route (or every route of a controller) under one named limit, counted per user, per
 * API key, or per client address when anonymous. Routes without it are not limited by these.
 * The guard is attached here, so it runs after the global guards (the principal is known).
 */
export function RateLimit(name: RateLimitName): MethodDecorator & ClassDecorator {
  return applyDecorators(RateLimitMetadata(name), UseGuards(RateLimitGuard));
}

/** The throttler options behind @RateLimit: one throttler per name, no X-RateLimit headers. */
export function rateLimitThrottlerOptions(config: AppConfig): ThrottlerModuleOptions {
  const { chat, tools } = config.rateLimits;
  return {
    setHeaders: false,
    throttlers: [
      { name: 'chat', limit: chat.limit, ttl: chat.ttlSeconds * 1000 },
      { name: 'tools', limit: tools.limit, ttl: tools.ttlSeconds * 1000 },
      { name: 'register', limit: REGISTER_RATE_LIMIT.limit, ttl: REGISTER_RATE_LIMIT.ttlSeconds * 1000 },
    ],
  };
}

const counted = new WeakSet<object>();

function trackerOf(principal: Principal | undefined, ip: string): string {
  if (!principal) return `ip:${normalizeIp(ip)}`;
  return principal.kind === 'user' ? `user:${principal.userId}` : `key:${principal.apiKeyId}`;
}

function seconds(count: number): string {
  return `${count} second${count === 1 ? '' : 's'}`;
}

/** Applies the route's named limit; a refusal is a RATE_LIMITED error with Retry-After and a security event. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly securityEvents: SecurityEvents,
  ) {
    super(options, storage, reflector);
  }

  /** Counts a request once, even when @RateLimit sits on both the controller and the handler. */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (counted.has(request)) return Promise.resolve(true);
    counted.add(request);
    return super.canActivate(context);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(this.limitOf(context) === undefined);
  }

  /** Only the throttler the route names counts; the others do not touch the store. */
  protected override handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.throttler.name !== this.limitOf(request.context)) return Promise.resolve(true);
    return super.handleRequest(request);
  }

  protected override getTracker(request: AuthenticatedRequest): Promise<string> {
    return Promise.resolve(trackerOf(request.principal, clientOf(request).ip));
  }

  /** One budget per name and caller, shared by every route with that name. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `throttle:${name}:${hashKeyPart(tracker)}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { ip, userAgent } = clientOf(request);
    await this.securityEvents.record({
      type: 'auth.rate_limited',
      principal: request.principal,
      decision: 'refused',
      ip,
      userAgent,
      details: { limit: this.limitOf(context) },
    });
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire);
    throw new AuthException(
      ErrorCode.RateLimited,
      `Too many requests; try again in ${seconds(retryAfterSeconds)}`,
      undefined,
      retryAfterSeconds,
    );
  }

  private limitOf(context: ExecutionContext): RateLimitName | undefined {
    return this.reflector.getAllAndOverride(RateLimitMetadata, [context.getHandler(), context.getClass()]);
  }
}
