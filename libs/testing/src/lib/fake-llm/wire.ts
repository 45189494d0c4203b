import { randomBytes } from 'node:crypto';
import type { FakeAnswer, FakeEmbeddings, FakeFailure, FakeLlmVendor, FakeToolCall } from './fake-llm.types';

/** One streamed frame: an SSE event or an NDJSON line, written as one piece. */
export interface WireFrame {
  data: string;
  /** Frames carrying answer text count towards `dropAfterChunks`; content frames wait `chunkDelayMs`. */
  text: boolean;
}

export type WireResponse =
  | { type: 'stream'; status: 200; headers: Record<string, string>; frames: WireFrame[] }
  | { type: 'body'; status: number; headers: Record<string, string>; body: string | Uint8Array };

/** What a vendor module knows of the request it answers. */
export interface WireRequest {
  vendor: FakeLlmVendor;
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Gemini `:embedContent` (one input) rather than `:batchEmbedContents`. */
  singleEmbedding: boolean;
  now: Date;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomId(length: number, alphabet = ALPHANUMERIC): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

export function usageOf(answer: FakeAnswer): { inputTokens: number; outputTokens: number } {
  return answer.usage ?? { inputTokens: 10, outputTokens: (answer.text?.length ?? 0) + 5 * (answer.toolCalls?.length ?? 0) };
}

/** The JSON arguments of a tool call cut into `pieces` consecutive substrings. */
export function argumentPieces(call: FakeToolCall): string[] {
  const json = JSON.stringify(call.arguments);
  const pieces = Math.max(1, Math.min(call.pieces ?? 2, json.length));
  const size = Math.ceil(json.length / pieces);
  const out: string[] = [];
  for (let start = 0; start < json.length; start += size) out.push(json.slice(start, start + size));
  return out;
}

export function embeddingVectors(step: FakeEmbeddings, count: number): number[][] {
  if (step.vectors) return step.vectors;
  const dimensions = step.dimensions ?? 8;
  return Array.from({ length: count }, (_, row) =>
    Array.from({ length: dimensions }, (_, column) => Number(((((row + 1) * (column + 3)) % 17) / 17).toFixed(6))),
  );
}

export function sseFrame(data: string, text = false): WireFrame {
  return { data: `data: ${data}\n\n`, text };
}

/** Each vendor module answers the same questions in its own wire format. */
export interface VendorWire {
  chat(answer: FakeAnswer, request: WireRequest): WireResponse;
  failure(failure: FakeFailure, request: WireRequest): WireResponse;
  embeddings(step: FakeEmbeddings, inputs: string[], request: WireRequest): WireResponse;
}

export function jsonBody(status: number, body: string, contentType = 'application/json'): WireResponse {
  return { type: 'body', status, headers: { 'content-type': contentType }, body };
}

export const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
