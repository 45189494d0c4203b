import type { FakeAnswer, FakeEmbeddings, FakeFailure } from './fake-llm.types';
import {
  argumentPieces,
  embeddingVectors,
  jsonBody,
  randomId,
  sseFrame,
  unixSeconds,
  usageOf,
  type VendorWire,
  type WireFrame,
  type WireRequest,
  type WireResponse,
} from './wire';

/**
 * OpenAI chat completions (POST /chat/completions, /embeddings) and the dialects of the vendors
 * that speak it: Groq reports streamed usage in `x_groq.usage`, Mistral puts usage on the finishing
 * chunk and sends whole tool calls, DeepSeek puts usage on the finishing chunk.
 */
function errorType(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

function usageJson(request: WireRequest, answer: FakeAnswer): Record<string, unknown> {
  const { inputTokens, outputTokens } = usageOf(answer);
  const total = inputTokens + outputTokens;
  switch (request.vendor) {
    case 'mistral':
      return { prompt_tokens: inputTokens, total_tokens: total, completion_tokens: outputTokens };
    case 'deepseek':
      return {
        prompt_tokens: inputTokens,
        completion_tokens: outputTokens,
        total_tokens: total,
        prompt_tokens_details: { cached_tokens: 0 },
        prompt_cache_hit_tokens: 0,
        prompt_cache_miss_tokens: inputTokens,
      };
    default:
      return {
        prompt_tokens: inputTokens,
        completion_tokens: outputTokens,
        total_tokens: total,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      };
  }
}

function toolCallId(request: WireRequest): string {
  return request.vendor === 'mistral' ? randomId(9) : `call_${randomId(24)}`;
}

function chat(answer: FakeAnswer, request: WireRequest): WireResponse {
  const id = request.vendor === 'mistral' ? randomId(32, '0123456789abcdef') : `chatcmpl-${randomId(29)}`;
  const model = answer.model ?? request.model;
  const created = unixSeconds(request.now);
  const text = answer.text ?? [];
  const calls = (answer.toolCalls ?? []).map((call) => ({ ...call, id: call.id ?? toolCallId(request) }));
  const finishReason = calls.length > 0 ? 'tool_calls' : 'stop';
  const fingerprint = request.vendor === 'openai' || request.vendor === 'deepseek' ? `fp_${randomId(10, '0123456789abcdef')}` : undefined;

  if (!request.stream) {
    const message: Record<string, unknown> = { role: 'assistant', content: text.length > 0 ? text.join('') : null };
    if (calls.length > 0) {
      message['tool_calls'] = calls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      }));
    }
    if (request.vendor === 'openai') Object.assign(message, { refusal: null, annotations: [] });
    const body: Record<string, unknown> = {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage: usageJson(request, answer),
    };
    if (request.vendor === 'openai') Object.assign(body, { service_tier: 'default', system_fingerprint: fingerprint });
    return jsonBody(200, JSON.stringify(body));
  }

  const groqId = `req_${randomId(26, '0123456789abcdefghjkmnpqrstvwxyz')}`;
  const usageOnEveryChunk = request.includeUsage && request.vendor === 'openai';
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string => {
    const body: Record<string, unknown> = { id, object: 'chat.completion.chunk', created, model };
    if (request.vendor === 'openai') body['service_tier'] = 'default';
    if (fingerprint) body['system_fingerprint'] = fingerprint;
    body['choices'] = choices;
    Object.assign(body, extra);
    if (usageOnEveryChunk && !('usage' in body)) body['usage'] = null;
    return JSON.stringify(body);
  };
  const choice = (delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> =>
    request.vendor === 'mistral' ? { index: 0, delta, finish_reason: finish } : { index: 0, delta, logprobs: null, finish_reason: finish };

  const frames: WireFrame[] = [];
  const firstExtra = request.vendor === 'groq' ? { x_groq: { id: groqId } } : {};
  if (text.length > 0 || calls.length === 0) {
    const role = request.vendor === 'openai' ? { role: 'assistant', content: '', refusal: null } : { role: 'assistant', content: '' };
    frames.push(sseFrame(chunk([choice(role)], firstExtra)));
  }
  for (const piece of text) frames.push(sseFrame(chunk([choice({ content: piece })]), true));

  calls.forEach((call, index) => {
    if (request.vendor === 'mistral') {
      // Mistral sends each tool call whole, in one delta.
      frames.push(
        sseFrame(
          chunk([
            choice({
              content: '',
              tool_calls: [{ id: call.id, function: { name: call.name, arguments: JSON.stringify(call.arguments) }, index }],
            }),
          ]),
        ),
      );
      return;
    }
    const opening: Record<string, unknown> = {
      tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
    };
    const delta =
      index === 0 && text.length === 0
        ? { role: 'assistant', content: null, ...opening, ...(request.vendor === 'openai' ? { refusal: null } : {}) }
        : opening;
    frames.push(sseFrame(chunk([choice(delta)], index === 0 && text.length === 0 ? firstExtra : {})));
    for (const piece of argumentPieces(call))
      frames.push(sseFrame(chunk([choice({ tool_calls: [{ index, function: { arguments: piece } }] })])));
  });

  const usage = usageJson(request, answer);
  switch (request.vendor) {
    case 'groq': {
      const { inputTokens, outputTokens } = usageOf(answer);
      const groqUsage = {
        queue_time: 0.0021,
        prompt_tokens: inputTokens,
        prompt_time: 0.0042,
        completion_tokens: outputTokens,
        completion_time: 0.0133,
        total_tokens: inputTokens + outputTokens,
        total_time: 0.0175,
      };
      frames.push(sseFrame(chunk([choice({}, finishReason)], { x_groq: { id: groqId, usage: groqUsage } })));
      break;
    }
    case 'mistral':
      frames.push(sseFrame(chunk([choice({ content: '' }, finishReason)], { usage })));
      break;
    case 'deepseek':
      frames.push(sseFrame(chunk([choice({ content: '' }, finishReason)], request.includeUsage ? { usage } : {})));
      break;
    case 'openai':
    case 'moonshot':
    case 'anthropic':
    case 'gemini':
    case 'ollama':
      frames.push(sseFrame(chunk([choice({}, finishReason)])));
      if (request.includeUsage) frames.push(sseFrame(chunk([], { usage })));
      break;
  }
  frames.push({ data: 'data: [DONE]\n\n', text: false });
  return {
    type: 'stream',
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    frames,
  };
}

function failure(step: FakeFailure, request: WireRequest): WireResponse {
  const message =
    step.message ?? (step.status >= 500 ? 'The server had an error while processing your request. Sorry about that!' : 'Request failed');
  if (request.vendor === 'mistral') {
    return jsonBody(step.status, JSON.stringify({ object: 'error', message, type: errorType(step.status).type, param: null, code: null }));
  }
  const { type, code } = errorType(step.status);
  return jsonBody(step.status, JSON.stringify({ error: { message, type, param: null, code } }, null, 4));
}

function embeddings(step: FakeEmbeddings, inputs: string[], request: WireRequest): WireResponse {
  const vectors = embeddingVectors(step, inputs.length);
  const tokens = step.inputTokens ?? inputs.length * 4;
  return jsonBody(
    200,
    JSON.stringify({
      object: 'list',
      data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
      model: request.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    }),
  );
}

export const openAiWire: VendorWire = { chat, failure, embeddings };
