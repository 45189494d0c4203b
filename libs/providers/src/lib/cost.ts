export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** A model's price in US dollars per million tokens. */
export interface ModelPricing {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** Cost in micro-dollars (integers add up exactly; dollars = micro / 1e6), rounded up. */
export function costMicroDollars(usage: TokenUsage, pricing: ModelPricing): number {
  for (const count of [usage.inputTokens, usage.outputTokens]) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`token counts must be whole and non-negative, got ${count}`);
  }
  return Math.ceil(usage.inputTokens * pricing.inputPerMillion + usage.outputTokens * pricing.outputPerMillion);
}
