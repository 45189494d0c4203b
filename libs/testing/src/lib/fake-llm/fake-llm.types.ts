/** The vendors the fake server imitates; each is reached under its own path prefix (see `baseUrl`). */
export const FAKE_LLM_VENDORS = ['openai', 'anthropic', 'gemini', 'mistral', 'groq', 'deepseek', 'moonshot', 'ollama'] as const;

export type FakeLlmVendor = (typeof FAKE_LLM_VENDORS)[number];

/** One tool call the fake model makes. */
export interface FakeToolCall {
  /** The vendor's id for the call; generated in the vendor's style when omitted. */
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
  /** How many pieces the JSON arguments are streamed in, where the protocol streams them (OpenAI, Anthropic). Default 2. */
  pieces?: number;
}

/** A successful answer: text chunks, then tool calls, then the finish with usage. */
export interface FakeAnswer {
  kind: 'answer';
  /** Streamed one element per chunk; a JSON (non-streaming) response joins them. */
  text?: string[];
  toolCalls?: FakeToolCall[];
  /** What the vendor reports in its usage fields. Default 10 in / one per text chunk out. */
  usage?: { inputTokens: number; outputTokens: number };
  /** The model name in the response; the requested one when omitted. */
  model?: string;
  /** Wait before the response head is written. */
  headersDelayMs?: number;
  /** Wait before each streamed frame that carries content. */
  chunkDelayMs?: number;
  /** Destroy the connection (no terminating chunk) after this many text chunks were written. */
  dropAfterChunks?: number;
}

/** An HTTP error in the vendor's own error shape. */
export interface FakeFailure {
  kind: 'failure';
  status: number;
  message?: string;
  /** Sent as a Retry-After header (seconds). */
  retryAfterSeconds?: number;
  headersDelayMs?: number;
}

/** The request is accepted and never answered (until the client gives up or the server closes). */
export interface FakeHang {
  kind: 'hang';
}

/** The connection is destroyed before any byte of a response, like a crashed upstream. */
export interface FakeReset {
  kind: 'reset';
}

/** An embeddings response; vectors are generated from `dimensions` when not given. */
export interface FakeEmbeddings {
  kind: 'embeddings';
  vectors?: number[][];
  dimensions?: number;
  inputTokens?: number;
}

/**
 * An answer of `POST /audio/transcriptions` (OpenAI-compatible vendors; Ollama under /v1). When a
 * vendor's queue is empty, or its next step is a chat answer or embeddings, a transcription request
 * gets FAKE_TRANSCRIPTION_TEXT and leaves the queue alone.
 */
export interface FakeTranscription {
  kind: 'transcription';
  /** Default FAKE_TRANSCRIPTION_TEXT. */
  text?: string;
  /** Reported in `usage` like gpt-4o-transcribe; whisper's `usage: {type: 'duration'}` when omitted. */
  usage?: { inputTokens: number; outputTokens: number };
  headersDelayMs?: number;
}

/**
 * An answer of `POST /audio/speech`: the bytes, or (default) a short silent MP3, or a WAV when the
 * request asks for `response_format: 'wav'`. Unscripted requests get the default like transcriptions.
 */
export interface FakeSpeech {
  kind: 'speech';
  audio?: Uint8Array;
  /** Default audio/mpeg or audio/wav, after the format. */
  contentType?: string;
  headersDelayMs?: number;
}

export type FakeLlmStep = FakeAnswer | FakeFailure | FakeHang | FakeReset | FakeEmbeddings | FakeTranscription | FakeSpeech;

/** What an unscripted transcription request answers. */
export const FAKE_TRANSCRIPTION_TEXT = 'This is what the fake speech model heard.';

/** One request the server received, as it arrived. */
export interface FakeLlmRequest {
  vendor: FakeLlmVendor;
  method: string;
  /** The path below the vendor prefix, e.g. `/chat/completions` or `/models/gemini-2.5-flash:streamGenerateContent`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /**
   * The parsed JSON body, or the raw text when it is not JSON. A multipart body (audio transcriptions)
   * is its fields by name: text as strings, files as `{ filename, contentType, size }`.
   */
  body: unknown;
  at: number;
}

/** Helpers to write scripts tersely: `answer({ text: ['Hel', 'lo'] })`, `failure(500)`. */
export const answer = (fields: Omit<FakeAnswer, 'kind'> = {}): FakeAnswer => ({ kind: 'answer', ...fields });
export const failure = (status: number, fields: Omit<FakeFailure, 'kind' | 'status'> = {}): FakeFailure => ({
  kind: 'failure',
  status,
  ...fields,
});
export const hang = (): FakeHang => ({ kind: 'hang' });
export const reset = (): FakeReset => ({ kind: 'reset' });
export const embeddings = (fields: Omit<FakeEmbeddings, 'kind'> = {}): FakeEmbeddings => ({ kind: 'embeddings', ...fields });
export const transcription = (fields: Omit<FakeTranscription, 'kind'> = {}): FakeTranscription => ({ kind: 'transcription', ...fields });
export const speech = (fields: Omit<FakeSpeech, 'kind'> = {}): FakeSpeech => ({ kind: 'speech', ...fields });

/** How a file of a multipart request is recorded in FakeLlmRequest.body. */
export interface FakeMultipartFile {
  filename: string;
  contentType: string;
  size: number;
}
