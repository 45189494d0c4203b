import type { FakeAnswer, FakeEmbeddings, FakeFailure } from './fake-llm.types';
import { argumentPieces, jsonBody, randomId, usageOf, type VendorWire, type WireFrame, type WireRequest, type WireResponse } from './wire';

/** Anthropic messages (POST /v1/messages): named SSE events from message_start to message_stop. */
const event = (name: string, payload: unknown, text = false): WireFrame => ({
  data: `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`,
  text,
});

function errorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

function chat(answer: FakeAnswer, request: WireRequest): WireResponse {
  const id = `msg_01${randomId(22)}`;
  const model = answer.model ?? request.model;
  const text = answer.text ?? [];
  const calls = (answer.toolCalls ?? []).map((call) => ({ ...call, id: call.id ?? `toolu_01${randomId(22)}` }));
  const stopReason = calls.length > 0 ? 'tool_use' : 'end_turn';
  const { inputTokens, outputTokens } = usageOf(answer);

  if (!request.stream) {
    const content: unknown[] = [];
    if (text.length > 0) content.push({ type: 'text', text: text.join('') });
    for (const call of calls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
    return jsonBody(
      200,
      JSON.stringify({
        id,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage: {
          input_tokens: inputTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: outputTokens,
          service_tier: 'standard',
        },
      }),
    );
  }

  const frames: WireFrame[] = [
    event('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: inputTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
          service_tier: 'standard',
        },
      },
    }),
  ];
  let index = 0;
  if (text.length > 0) {
    frames.push(event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
    frames.push({ data: 'event: ping\ndata: {"type": "ping"}\n\n', text: false });
    for (const piece of text)
      frames.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }, true));
    frames.push(event('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  }
  for (const call of calls) {
    frames.push(
      event('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      }),
    );
    frames.push(
      event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } }),
    );
    for (const piece of argumentPieces(call)) {
      frames.push(
        event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }),
      );
    }
    frames.push(event('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  }
  frames.push(
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: outputTokens },
    }),
  );
  frames.push(event('message_stop', { type: 'message_stop' }));
  return {
    type: 'stream',
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    frames,
  };
}

function failure(step: FakeFailure): WireResponse {
  const message = step.message ?? (step.status === 529 ? 'Overloaded' : step.status >= 500 ? 'Internal server error' : 'Request failed');
  return jsonBody(
    step.status,
    JSON.stringify({ type: 'error', error: { type: errorType(step.status), message }, request_id: `req_011${randomId(21)}` }),
  );
}

function embeddings(_step: FakeEmbeddings): WireResponse {
  return failure({ kind: 'failure', status: 404, message: 'Not found' });
}

export const anthropicWire: VendorWire = { chat, failure, embeddings };
