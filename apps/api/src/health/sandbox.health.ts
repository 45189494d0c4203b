import { SANDBOX_STATUS, type SandboxStatus } from '@aegis/governance';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';

/** Up when a sandbox driver can run commands; down (with the reason) when every command would be refused. */
@Injectable()
export class SandboxHealthIndicator {
  constructor(
    @Inject(SANDBOX_STATUS) private readonly sandbox: SandboxStatus,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'sandbox'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const health = await this.sandbox.health();
    return health.available
      ? indicator.up({ driver: health.driver, ...(health.reason ? { message: health.reason } : {}) })
      : indicator.down({ driver: health.driver, message: health.reason ?? 'no sandbox driver is usable' });
  }
}
