import type { ProviderName } from '@aegis/contracts';
import { ProviderCascade, type ProviderFailureReason, type ProviderObserver, type TokenUsage } from '@aegis/providers';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';

const CIRCUIT_STATES = ['closed', 'open', 'half-open', 'isolated'] as const;

/** Provider metrics on /metrics. Labels are provider, model, reason and direction only: never a key or a message. */
@Injectable()
export class ProviderMetrics implements ProviderObserver, OnModuleInit {
  private readonly failures: Counter<'provider' | 'reason'>;
  private readonly answers: Counter<'provider' | 'model'>;
  private readonly tokens: Counter<'provider' | 'model' | 'direction'>;
  private readonly cost: Counter<'provider' | 'model'>;
  private readonly firstToken: Histogram<'provider'>;
  private readonly circuit: Gauge<'provider' | 'state'>;

  constructor(
    metrics: MetricsService,
    private readonly cascade: ProviderCascade,
  ) {
    const registers = [metrics.registry];
    this.failures = new Counter({
      name: 'aegis_provider_attempt_failures_total',
      help: 'Failed attempts on an LLM provider, by reason',
      labelNames: ['provider', 'reason'],
      registers,
    });
    this.answers = new Counter({
      name: 'aegis_provider_answers_total',
      help: 'Answers completed by an LLM provider',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.tokens = new Counter({
      name: 'aegis_provider_tokens_total',
      help: 'Tokens reported by the vendors',
      labelNames: ['provider', 'model', 'direction'],
      registers,
    });
    this.cost = new Counter({
      name: 'aegis_provider_cost_microdollars_total',
      help: 'Priced cost of LLM usage in US dollars × 10⁶',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.firstToken = new Histogram({
      name: 'aegis_provider_first_token_seconds',
      help: 'Time to the first part of an answer, fall-overs and retries included',
      labelNames: ['provider'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.circuit = new Gauge({
      name: 'aegis_provider_circuit_state',
      help: '1 for the current circuit state of each provider',
      labelNames: ['provider', 'state'],
      registers,
    });
  }

  onModuleInit(): void {
    for (const status of this.cascade.status()) this.circuitChanged(status.name, status.circuit);
    this.cascade.observe(this);
  }

  attemptFailed(provider: ProviderName, reason: ProviderFailureReason): void {
    this.failures.inc({ provider, reason });
  }

  answered(event: { provider: ProviderName; model: string; usage: TokenUsage; costMicroDollars: number; firstPartMs: number }): void {
    const { provider, model } = event;
    this.answers.inc({ provider, model });
    this.tokens.inc({ provider, model, direction: 'input' }, event.usage.inputTokens);
    this.tokens.inc({ provider, model, direction: 'output' }, event.usage.outputTokens);
    this.cost.inc({ provider, model }, event.costMicroDollars);
    this.firstToken.observe({ provider }, event.firstPartMs / 1000);
  }

  circuitChanged(provider: ProviderName, state: (typeof CIRCUIT_STATES)[number]): void {
    for (const candidate of CIRCUIT_STATES) this.circuit.set({ provider, state: candidate }, candidate === state ? 1 : 0);
  }
}
