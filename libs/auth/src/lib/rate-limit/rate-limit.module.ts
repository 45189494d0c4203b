import { APP_CONFIG, type AppConfig } from '@aegis/config';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { getOptionsToken, getStorageToken } from '@nestjs/throttler';
import { COUNTER_STORE, type CounterStore, LimiterCounterStore } from './counter-store';
import { CounterThrottlerStorage } from './counter-throttler-storage';
import { createLimiterStorage } from './limiter-storage';
import { LoginAttemptLimiter } from './login-attempts';
import { rateLimitThrottlerOptions } from './rate-limit.guard';

/**
 * Rate limits for the whole API on rate-limiter-flexible: the counter store (Redis when REDIS_URL
 * is set), the login attempt limiter, and the throttler set-up behind @RateLimit. Needs
 * ConfigModule and a provider of SecurityEvents (AuthModule), both global.
 */
@Global()
@Module({
  providers: [
    {
      provide: COUNTER_STORE,
      useFactory: (config: AppConfig) => new LimiterCounterStore(createLimiterStorage(config)),
      inject: [APP_CONFIG],
    },
    { provide: getOptionsToken(), useFactory: rateLimitThrottlerOptions, inject: [APP_CONFIG] },
    { provide: getStorageToken(), useFactory: (counters: CounterStore) => new CounterThrottlerStorage(counters), inject: [COUNTER_STORE] },
    LoginAttemptLimiter,
  ],
  exports: [COUNTER_STORE, getOptionsToken(), getStorageToken(), LoginAttemptLimiter],
})
export class RateLimitModule implements OnApplicationShutdown {
  constructor(@Inject(COUNTER_STORE) private readonly counters: CounterStore) {}

  /** Closes the Redis connection (or forgets the memory counts and their timers) when the application closes. */
  onApplicationShutdown(): Promise<void> {
    return this.counters.close();
  }
}
