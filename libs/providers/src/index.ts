export { type TokenUsage } from './lib/cost';
export { resolveProviderSettings, type ProviderSettings } from './lib/provider-settings';
export { maskKey } from './lib/secret-scrubber';
export { ProviderFailureReason } from './lib/provider.exception';
export type {
  ChatMessage,
  ImagePart,
  ProviderStreamEvent,
  ProviderStreamRequest,
  TextPart,
  ToolCallPart,
  ToolDefinition,
} from './lib/provider.types';
export { createProviderAdapters } from './lib/adapters/create-adapters';
export { ProviderCascade, type ProviderObserver } from './lib/cascade/provider-cascade';
export { InMemoryUsageStore, utcDay, type UsageStore } from './lib/usage/usage-store';
export { BatchedUsageStore } from './lib/usage/batched-usage-store';
export { USAGE_DIMENSIONS, UsageRepository, type UsageDimension, type UsageSeriesDimension } from './lib/usage/usage.repository';
export { USAGE_DEFAULT_SERIES_LIMIT, USAGE_SERIES_DIMENSIONS, UsageTimeseriesReports } from './lib/usage/usage-timeseries';
export { UsageReports } from './lib/usage/usage-reports';
export { ProvidersModule } from './lib/providers.module';
export { SpeechException, SpeechExceptionCode } from './lib/speech/speech.exception';
export { SpeechService } from './lib/speech/speech.service';
export { resolveSpeechSettings } from './lib/speech/speech-settings';
