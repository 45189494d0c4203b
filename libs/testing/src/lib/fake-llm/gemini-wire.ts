import type { FakeAnswer, FakeEmbeddings, FakeFailure } from './fake-llm.types';
import {
  embeddingVectors,
  jsonBody,
  randomId,
  usageOf,
  type VendorWire,
  type WireFrame,
  type WireRequest,
  type WireResponse,
} from './wire';

/**
 * Gemini generateContent / streamGenerateContent?alt=sse. Streamed events are `data: {…}` separated
 * by CRLF CRLF, with Google's JSON spacing (`"key": value`, no space after commas); every event
 * repeats the cumulative usageMetadata and the last one carries finishReason.
 */
export function googleJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(googleJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => `${JSON.stringify(key)}: ${googleJson(inner)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function usageMetadata(inputTokens: number, outputTokens: number): Record<string, unknown> {
  return {
    promptTokenCount: inputTokens,
    candidatesTokenCount: outputTokens,
    totalTokenCount: inputTokens + outputTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: inputTokens }],
  };
}

function chat(answer: FakeAnswer, request: WireRequest): WireResponse {
  const modelVersion = answer.model ?? request.model;
  const responseId = randomId(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
  const text = answer.text ?? [];
  const calls = answer.toolCalls ?? [];
  const { inputTokens, outputTokens } = usageOf(answer);

  if (!request.stream) {
    const parts: unknown[] = [];
    if (text.length > 0) parts.push({ text: text.join('') });
    for (const call of calls) parts.push({ functionCall: { name: call.name, args: call.arguments } });
    return jsonBody(
      200,
      JSON.stringify(
        {
          candidates: [{ content: { parts, role: 'model' }, finishReason: 'STOP', index: 0 }],
          usageMetadata: usageMetadata(inputTokens, outputTokens),
          modelVersion,
          responseId,
        },
        null,
        2,
      ),
    );
  }

  const pieces: { parts: unknown[]; text: boolean }[] = [
    ...text.map((piece) => ({ parts: [{ text: piece }], text: true })),
    ...calls.map((call) => ({ parts: [{ functionCall: { name: call.name, args: call.arguments } }], text: false })),
  ];
  if (pieces.length === 0) pieces.push({ parts: [{ text: '' }], text: false });
  const frames: WireFrame[] = pieces.map((piece, index) => {
    const last = index === pieces.length - 1;
    const produced = last ? outputTokens : Math.min(outputTokens, index + 1);
    const candidate = { content: { parts: piece.parts, role: 'model' }, finishReason: last ? 'STOP' : undefined, index: 0 };
    const event = { candidates: [candidate], usageMetadata: usageMetadata(inputTokens, produced), modelVersion, responseId };
    return { data: `data: ${googleJson(event)}\r\n\r\n`, text: piece.text };
  });
  return { type: 'stream', status: 200, headers: { 'content-type': 'text/event-stream' }, frames };
}

function failure(step: FakeFailure): WireResponse {
  const message =
    step.message ??
    (step.status === 429
      ? 'Resource has been exhausted (e.g. check quota).'
      : step.status >= 500
        ? 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'
        : 'Request failed');
  const status = STATUS_NAMES[step.status] ?? (step.status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
  return jsonBody(
    step.status,
    JSON.stringify({ error: { code: step.status, message, status } }, null, 2),
    'application/json; charset=UTF-8',
  );
}

function embeddings(step: FakeEmbeddings, inputs: string[], request: WireRequest): WireResponse {
  const vectors = embeddingVectors(step, inputs.length);
  const body = request.singleEmbedding ? { embedding: { values: vectors[0] } } : { embeddings: vectors.map((values) => ({ values })) };
  return jsonBody(200, JSON.stringify(body, null, 2), 'application/json; charset=UTF-8');
}

export const geminiWire: VendorWire = { chat, failure, embeddings };
