import { ProviderCascade } from '@aegis/providers';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';

/**
 * For /api/health: up while at least one provider of PROVIDER_ORDER is configured and its circuit
 * is not open; the details list each provider's circuit (never a key, never a vendor message).
 */
@Injectable()
export class ProvidersHealthIndicator {
  constructor(
    private readonly cascade: ProviderCascade,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key = 'providers'): HealthIndicatorResult {
    const inOrder = this.cascade.status().filter((status) => status.position !== null);
    const circuits = Object.fromEntries(inOrder.map((status) => [status.name, status.configured ? status.circuit : 'not configured']));
    const usable = inOrder.some((status) => status.configured && status.circuit !== 'open' && status.circuit !== 'isolated');
    const session = this.health.check(key);
    return usable ? session.up({ circuits }) : session.down({ circuits, message: 'no provider of PROVIDER_ORDER can take requests' });
  }
}
