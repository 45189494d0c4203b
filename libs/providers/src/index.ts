export { costMicroDollars, type ModelPricing, type TokenUsage } from './lib/cost';
export { DEFAULT_BASE_URLS, DEFAULT_BUDGET, DEFAULT_MODELS, DEFAULT_PRICES, DEFAULT_RESILIENCE } from './lib/providers.defaults';
export {
  isConfigured,
  resolveProviderSettings,
  type BudgetMode,
  type BudgetPeriod,
  type BudgetSettings,
  type ProviderConfigSection,
  type ProviderSettings,
  type ProviderTuningConfig,
  type ResilienceSettings,
} from './lib/provider-settings';
export { PriceTable } from './lib/pricing';
export { maskKey, SecretScrubber } from './lib/secret-scrubber';
export {
  classifyFailure,
  describeFailure,
  isRetryableReason,
  ProviderException,
  ProviderFailureReason,
  type ProviderFailure,
} from './lib/provider.exception';
export type {
  ChatMessage,
  CircuitStateName,
  EmbeddingResult,
  EmbedOptions,
  FinishReason,
  ImagePart,
  ProviderStatus,
  ProviderStreamEvent,
  ProviderStreamRequest,
  TextPart,
  ToolCallPart,
  ToolDefinition,
  ToolResultPart,
} from './lib/provider.types';
export type { AdapterChatRequest, AdapterPart, AdapterStream, ProviderAdapter } from './lib/adapters/provider-adapter';
export { baseUrlOf, createProviderAdapters, ollamaApiUrl } from './lib/adapters/create-adapters';
export { ProviderCascade, type ProviderCascadeOptions, type ProviderObserver } from './lib/cascade/provider-cascade';
export { BudgetGuard, type BudgetVerdict } from './lib/usage/budget-guard';
export { type AdmissionResult, InMemoryUsageStore, type SpendLimits, utcDay, type UsageIncrement, type UsageStore } from './lib/usage/usage-store';
export {
  USAGE_DIMENSIONS,
  UsageRepository,
  type UsageDimension,
  type UsageReportQuery,
  type UsageDailyRow,
  type UsageReportRow,
  type UsageSeriesDimension,
  type UsageTotals,
} from './lib/usage/usage.repository';
export {
  daysBetween,
  shapeTimeseries,
  USAGE_DEFAULT_SERIES_LIMIT,
  USAGE_OTHER_SERIES,
  USAGE_SERIES_DIMENSIONS,
  UsageTimeseriesReports,
  type UsageBudgets,
  type UsagePoint,
  type UsageSeries,
  type UsageTimeseries,
  type UsageTimeseriesRequest,
} from './lib/usage/usage-timeseries';
export {
  USAGE_DEFAULT_GROUP_BY,
  USAGE_DEFAULT_RANGE_DAYS,
  USAGE_MAX_RANGE_DAYS,
  UsageException,
  UsageReports,
  type UsageReport,
  type UsageReportRequest,
} from './lib/usage/usage-reports';
export { PROVIDER_ADAPTERS, PROVIDER_SETTINGS, ProvidersModule } from './lib/providers.module';
export { AUDIO_FORMATS, detectAudioType, type AudioType } from './lib/speech/audio-type';
export { SpeechException, SpeechExceptionCode } from './lib/speech/speech.exception';
export {
  SpeechService,
  SYNTHESIS_MAX_CHARACTERS,
  type SpeechServiceOptions,
  type SynthesisRequest,
  type SynthesisResult,
  type TranscriptionRequest,
  type TranscriptionResult,
} from './lib/speech/speech.service';
export {
  DEFAULT_SPEECH_MODELS,
  DEFAULT_SPEECH_PROVIDERS,
  resolveSpeechSettings,
  type SpeechAudioFormat,
  type SpeechChoice,
  type SpeechConfigSection,
  type SpeechEndpoint,
  type SpeechSettings,
  type SynthesisEndpoint,
} from './lib/speech/speech-settings';
