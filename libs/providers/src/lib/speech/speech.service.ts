import type { ProviderName } from '@aegis/contracts';
import { Logger, type LoggerService } from '@nestjs/common';
import { classifyFailure, describeFailure, type ProviderFailure, ProviderFailureReason } from '../provider.exception';
import { SecretScrubber } from '../secret-scrubber';
import { utcDay, type UsageStore } from '../usage/usage-store';
import { AUDIO_FORMATS, detectAudioType } from './audio-type';
import { SpeechException, SpeechExceptionCode } from './speech.exception';
import type { SpeechEndpoint, SpeechSettings } from './speech-settings';

/** The longest text read aloud in one request. */
export const SYNTHESIS_MAX_CHARACTERS = 4000;
const VOICE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const LANGUAGE_PATTERN = /^[a-z]{2,3}$/;

export interface TranscriptionRequest {
  audio: Uint8Array;
  /** ISO 639-1 code of the spoken language; the provider guesses without it. */
  language?: string;
  /** Whose usage the call is recorded as. */
  userId: string;
  signal?: AbortSignal;
}

export interface TranscriptionResult {
  text: string;
  provider: ProviderName;
  model: string;
}

export interface SynthesisRequest {
  text: string;
  /** A voice of the provider; SPEECH_TTS_VOICE (or the provider's default) without it. */
  voice?: string;
  userId: string;
  signal?: AbortSignal;
}

export interface SynthesisResult {
  audio: Uint8Array;
  /** e.g. `audio/mpeg`, as the provider answered. */
  mediaType: string;
  provider: ProviderName;
  model: string;
}

export interface SpeechServiceOptions {
  clock?: () => Date;
  logger?: Pick<LoggerService, 'warn' | 'error'>;
}

/** The status-based reasons of provider.exception, for answers we read ourselves (no SDK in between). */
function reasonForStatus(status: number): ProviderFailureReason {
  if (status === 429) return ProviderFailureReason.RateLimited;
  if (status === 408) return ProviderFailureReason.Timeout;
  if (status >= 500) return ProviderFailureReason.ServerError;
  if (status === 401 || status === 403) return ProviderFailureReason.Authentication;
  return ProviderFailureReason.Rejected;
}

function retryAfterSeconds(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Token counts of the models that report them (gpt-4o-transcribe); whisper reports seconds, counted as nothing. */
function tokensOf(body: Record<string, unknown>): { inputTokens: number; outputTokens: number } {
  const usage = body['usage'];
  if (!isRecord(usage)) return { inputTokens: 0, outputTokens: 0 };
  const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0);
  return { inputTokens: count(usage['input_tokens']), outputTokens: count(usage['output_tokens']) };
}

/**
 * Speech in and out through a provider's OpenAI-compatible audio API: `POST /audio/transcriptions`
 * (multipart file + model) and `POST /audio/speech` (JSON). One provider per direction, no
 * fall-over (docs/providers.md "Speech"); each request is bounded by PROVIDER_TIMEOUT_MS and
 * counted in the usage records. Errors carry our words only, never a key or the
 * vendor's text.
 */
export class SpeechService {
  private readonly scrubber: SecretScrubber;
  private readonly clock: () => Date;
  private readonly logger: Pick<LoggerService, 'warn' | 'error'>;

  constructor(
    private readonly settings: SpeechSettings,
    private readonly usage: UsageStore | undefined,
    options: SpeechServiceOptions = {},
  ) {
    const keys = [settings.transcription, settings.synthesis].flatMap((choice) =>
      choice.available && choice.endpoint.apiKey ? [choice.endpoint.apiKey.reveal()] : [],
    );
    this.scrubber = new SecretScrubber(keys);
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? new Logger(SpeechService.name);
  }

  /** Which directions are configured, for clients that choose between the server and the browser's own speech. */
  availability(): { transcription: boolean; synthesis: boolean } {
    return { transcription: this.settings.transcription.available, synthesis: this.settings.synthesis.available };
  }

  get maxBytes(): number {
    return this.settings.maxBytes;
  }

  async transcribe(request: TranscriptionRequest): Promise<TranscriptionResult> {
    const choice = this.settings.transcription;
    if (!choice.available) throw new SpeechException(SpeechExceptionCode.Unavailable, choice.reason);
    if (request.audio.length === 0) throw new SpeechException(SpeechExceptionCode.ValidationFailed, 'The recording is empty');
    if (request.audio.length > this.settings.maxBytes) {
      throw new SpeechException(
        SpeechExceptionCode.PayloadTooLarge,
        `The recording is larger than ${Math.floor(this.settings.maxBytes / (1024 * 1024))} MB (SPEECH_MAX_MB)`,
      );
    }
    const type = detectAudioType(request.audio);
    if (!type)
      throw new SpeechException(
        SpeechExceptionCode.UnsupportedMediaType,
        `The file is not a recording in a supported format (${AUDIO_FORMATS})`,
      );
    if (request.language !== undefined && !LANGUAGE_PATTERN.test(request.language)) {
      throw new SpeechException(SpeechExceptionCode.ValidationFailed, 'language must be an ISO 639-1 code such as en or de');
    }
    const { endpoint } = choice;
    const form = new FormData();
    form.append('file', new Blob([request.audio], { type: type.mediaType }), `recording.${type.extension}`);
    form.append('model', endpoint.model);
    form.append('response_format', 'json');
    if (request.language !== undefined) form.append('language', request.language);

    const response = await this.call(endpoint, 'transcription', '/audio/transcriptions', { method: 'POST', body: form }, request.signal);
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw this.failed(endpoint, 'transcription', classifyFailure(error, endpoint.provider, this.scrubber));
    }
    if (!isRecord(body) || typeof body['text'] !== 'string') {
      throw this.failed(endpoint, 'transcription', {
        provider: endpoint.provider,
        reason: ProviderFailureReason.InvalidResponse,
        detail: 'no text in the transcription',
      });
    }
    await this.record(endpoint, request.userId, tokensOf(body));
    return { text: body['text'].trim(), provider: endpoint.provider, model: endpoint.model };
  }

  async synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    const choice = this.settings.synthesis;
    if (!choice.available) throw new SpeechException(SpeechExceptionCode.Unavailable, choice.reason);
    if (request.text.trim().length === 0) throw new SpeechException(SpeechExceptionCode.ValidationFailed, 'text must not be blank');
    if (request.text.length > SYNTHESIS_MAX_CHARACTERS) {
      throw new SpeechException(SpeechExceptionCode.ValidationFailed, `text must be at most ${SYNTHESIS_MAX_CHARACTERS} characters`);
    }
    if (request.voice !== undefined && !VOICE_PATTERN.test(request.voice)) {
      throw new SpeechException(SpeechExceptionCode.ValidationFailed, 'voice must be 1 to 64 letters, digits, dots, dashes or underscores');
    }
    const { endpoint } = choice;
    const payload = {
      model: endpoint.model,
      input: request.text,
      voice: request.voice ?? endpoint.voice,
      response_format: endpoint.format,
    };
    const response = await this.call(
      endpoint,
      'synthesis',
      '/audio/speech',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) },
      request.signal,
    );
    let audio: Uint8Array;
    try {
      audio = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw this.failed(endpoint, 'synthesis', classifyFailure(error, endpoint.provider, this.scrubber));
    }
    const declared = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (audio.length === 0 || (declared !== undefined && declared.startsWith('application/json'))) {
      throw this.failed(endpoint, 'synthesis', {
        provider: endpoint.provider,
        reason: ProviderFailureReason.InvalidResponse,
        detail: 'no audio in the answer',
      });
    }
    await this.record(endpoint, request.userId, { inputTokens: 0, outputTokens: 0 });
    const mediaType = declared?.startsWith('audio/') ? declared : endpoint.format === 'wav' ? 'audio/wav' : 'audio/mpeg';
    return { audio, mediaType, provider: endpoint.provider, model: endpoint.model };
  }

  /** One request within PROVIDER_TIMEOUT_MS; any answer but 2xx, and any network failure, becomes SPEECH_PROVIDER_FAILED. */
  private async call(
    endpoint: SpeechEndpoint,
    what: 'transcription' | 'synthesis',
    path: string,
    init: RequestInit,
    caller: AbortSignal | undefined,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    const headers = new Headers(init.headers);
    if (endpoint.apiKey) headers.set('authorization', `Bearer ${endpoint.apiKey.reveal()}`);
    let response: Response;
    try {
      response = await fetch(`${endpoint.baseUrl}${path}`, { ...init, headers, signal, redirect: 'error' });
    } catch (error) {
      if (caller?.aborted)
        throw this.failed(endpoint, what, {
          provider: endpoint.provider,
          reason: ProviderFailureReason.Aborted,
          detail: 'cancelled by the caller',
        });
      if (timeout.aborted)
        throw this.failed(endpoint, what, {
          provider: endpoint.provider,
          reason: ProviderFailureReason.Timeout,
          detail: `no answer within ${this.settings.timeoutMs} ms`,
        });
      throw this.failed(endpoint, what, classifyFailure(error, endpoint.provider, this.scrubber));
    }
    if (!response.ok) {
      const excerpt = await response.text().catch(() => '');
      throw this.failed(
        endpoint,
        what,
        {
          provider: endpoint.provider,
          reason: reasonForStatus(response.status),
          status: response.status,
          detail: this.scrubber.scrub(excerpt).slice(0, 300),
        },
        retryAfterSeconds(response),
      );
    }
    return response;
  }

  private failed(
    endpoint: SpeechEndpoint,
    what: 'transcription' | 'synthesis',
    failure: ProviderFailure,
    retryAfter?: number,
  ): SpeechException {
    if (failure.reason !== ProviderFailureReason.Aborted) {
      // `detail` is the vendor's text, scrubbed of keys: for the log, never for the client.
      this.logger.warn(
        `speech ${what} with ${endpoint.provider}/${endpoint.model} failed: ${describeFailure(failure)} (${this.scrubber.scrub(failure.detail)})`,
      );
    }
    const title = what === 'transcription' ? 'Transcription' : 'Speech synthesis';
    return new SpeechException(SpeechExceptionCode.ProviderFailed, `${title} failed: ${describeFailure(failure)}`, retryAfter);
  }

  /**
   * Counts the request (and the tokens a model reports) in the usage records at no cost: speech is
   * priced per minute or character, which the token price table cannot express. A store failure is
   * logged, not thrown.
   */
  private async record(endpoint: SpeechEndpoint, userId: string, tokens: { inputTokens: number; outputTokens: number }): Promise<void> {
    if (!this.usage) return;
    try {
      await this.usage.add({
        day: utcDay(this.clock()),
        userId,
        conversationId: null,
        provider: endpoint.provider,
        model: endpoint.model,
        ...tokens,
        costMicroDollars: 0,
      });
    } catch (error) {
      this.logger.error(
        `could not record usage of ${endpoint.provider}/${endpoint.model}: ${this.scrubber.scrub(error instanceof Error ? error.message : String(error)).slice(0, 300)}`,
      );
    }
  }
}
