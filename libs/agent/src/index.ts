export { exhaustedBudget, type BudgetExhausted, type RunLimits, type RunUsage } from './lib/run-budget';
