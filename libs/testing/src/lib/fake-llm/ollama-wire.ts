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

/** Ollama /api/chat (NDJSON lines ending with `done: true` and the eval counts) and /api/embed. */

/** Go's RFC 3339 with nanoseconds, as Ollama writes `created_at`. */
const createdAt = (now: Date): string =>
  now.toISOString().replace(/\.(\d{3})Z$/, (_match, millis: string) => `.${millis}${String(now.getTime() % 997).padStart(6, '0')}Z`);

function durations(inputTokens: number, outputTokens: number) {
  return {
    total_duration: 412_000_000 + outputTokens * 21_000_000,
    load_duration: 18_417_083,
    prompt_eval_count: inputTokens,
    prompt_eval_duration: 61_241_000,
    eval_count: outputTokens,
    eval_duration: outputTokens * 21_000_000,
  };
}

function chat(answer: FakeAnswer, request: WireRequest): WireResponse {
  const model = answer.model ?? request.model;
  const created = createdAt(request.now);
  const text = answer.text ?? [];
  const calls = (answer.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${randomId(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
    function: { index, name: call.name, arguments: call.arguments },
  }));
  const { inputTokens, outputTokens } = usageOf(answer);
  const doneReason = 'stop';

  if (!request.stream) {
    const message: Record<string, unknown> = { role: 'assistant', content: text.join('') };
    if (calls.length > 0) message['tool_calls'] = calls;
    return jsonBody(
      200,
      JSON.stringify({ model, created_at: created, message, done_reason: doneReason, done: true, ...durations(inputTokens, outputTokens) }),
    );
  }

  const line = (payload: unknown, isText = false): WireFrame => ({ data: `${JSON.stringify(payload)}\n`, text: isText });
  const frames: WireFrame[] = text.map((piece) =>
    line({ model, created_at: created, message: { role: 'assistant', content: piece }, done: false }, true),
  );
  if (calls.length > 0)
    frames.push(line({ model, created_at: created, message: { role: 'assistant', content: '', tool_calls: calls }, done: false }));
  frames.push(
    line({
      model,
      created_at: created,
      message: { role: 'assistant', content: '' },
      done_reason: doneReason,
      done: true,
      ...durations(inputTokens, outputTokens),
    }),
  );
  return { type: 'stream', status: 200, headers: { 'content-type': 'application/x-ndjson' }, frames };
}

function failure(step: FakeFailure): WireResponse {
  return jsonBody(
    step.status,
    JSON.stringify({
      error: step.message ?? (step.status >= 500 ? 'llama runner process has terminated: exit status 2' : 'request failed'),
    }),
    'application/json; charset=utf-8',
  );
}

function embeddings(step: FakeEmbeddings, inputs: string[], request: WireRequest): WireResponse {
  const vectors = embeddingVectors(step, inputs.length);
  return jsonBody(
    200,
    JSON.stringify({
      model: request.model,
      embeddings: vectors,
      total_duration: 14_143_917,
      load_duration: 1_019_500,
      prompt_eval_count: step.inputTokens ?? inputs.length * 4,
    }),
    'application/json; charset=utf-8',
  );
}

export const ollamaWire: VendorWire = { chat, failure, embeddings };
