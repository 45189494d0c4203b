export { costMicroDollars, type ModelPricing, type TokenUsage } from './lib/cost';
