import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicWire } from './anthropic-wire';
import { speechBody, transcriptionBody } from './audio-wire';
import {
  FAKE_LLM_VENDORS,
  type FakeAnswer,
  type FakeLlmRequest,
  type FakeLlmStep,
  type FakeLlmVendor,
  type FakeMultipartFile,
} from './fake-llm.types';
import { geminiWire } from './gemini-wire';
import { ollamaWire } from './ollama-wire';
import { openAiWire } from './openai-wire';
import { jsonBody, type VendorWire, type WireRequest, type WireResponse } from './wire';

/**
 * Where each vendor lives on the fake server: the path that replaces the vendor's API root
 * (https://api.openai.com/v1 → /openai/v1). Ollama's is a server root, like OLLAMA_HOST.
 */
const PREFIXES: Record<FakeLlmVendor, string> = {
  openai: '/openai/v1',
  groq: '/groq/openai/v1',
  mistral: '/mistral/v1',
  deepseek: '/deepseek',
  moonshot: '/moonshot/v1',
  anthropic: '/anthropic/v1',
  gemini: '/gemini/v1beta',
  ollama: '/ollama',
};

const WIRES: Record<FakeLlmVendor, VendorWire> = {
  openai: openAiWire,
  groq: openAiWire,
  mistral: openAiWire,
  deepseek: openAiWire,
  moonshot: openAiWire,
  anthropic: anthropicWire,
  gemini: geminiWire,
  ollama: ollamaWire,
};

type Operation =
  | { type: 'chat'; model: string; stream: boolean; includeUsage: boolean }
  | { type: 'embeddings'; model: string; inputs: string[]; single?: boolean }
  | { type: 'transcription'; model: string }
  | { type: 'speech'; model: string; format: string };

/** OpenAI's audio API, which the OpenAI-compatible vendors (and speech servers beside Ollama, under /v1) speak. */
function audioOperationOf(path: string, body: Record<string, unknown>, model: string): Operation | undefined {
  if (path === '/audio/transcriptions') return { type: 'transcription', model };
  if (path === '/audio/speech')
    return { type: 'speech', model, format: typeof body['response_format'] === 'string' ? body['response_format'] : 'mp3' };
  return undefined;
}

/** A multipart body as its fields: text as strings, files as name, type and size. */
async function multipartFields(bytes: Buffer, contentType: string): Promise<Record<string, string | FakeMultipartFile>> {
  const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, string | FakeMultipartFile> = {};
  for (const [name, value] of form.entries()) {
    fields[name] = typeof value === 'string' ? value : { filename: value.name, contentType: value.type, size: value.size };
  }
  return fields;
}

/** Is this path, below the vendor prefix, a chat or an embeddings call of that vendor? */
function operationOf(vendor: FakeLlmVendor, path: string, body: Record<string, unknown>): Operation | undefined {
  const model = typeof body['model'] === 'string' ? body['model'] : '';
  const stringInputs = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);
  switch (vendor) {
    case 'openai':
    case 'groq':
    case 'mistral':
    case 'deepseek':
    case 'moonshot': {
      const options = body['stream_options'];
      const includeUsage =
        typeof options === 'object' && options !== null && (options as Record<string, unknown>)['include_usage'] === true;
      if (path === '/chat/completions') return { type: 'chat', model, stream: body['stream'] === true, includeUsage };
      if (path === '/embeddings') return { type: 'embeddings', model, inputs: stringInputs(body['input']) };
      return audioOperationOf(path, body, model);
    }
    case 'anthropic':
      return path === '/messages' ? { type: 'chat', model, stream: body['stream'] === true, includeUsage: false } : undefined;
    case 'ollama':
      if (path === '/api/chat') return { type: 'chat', model, stream: body['stream'] !== false, includeUsage: false };
      if (path === '/api/embed') return { type: 'embeddings', model, inputs: stringInputs(body['input']) };
      return path.startsWith('/v1/') ? audioOperationOf(path.slice(3), body, model) : undefined;
    case 'gemini': {
      const match = /^\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/.exec(path);
      if (!match) return undefined;
      const [, name, method] = match;
      if (method === 'generateContent' || method === 'streamGenerateContent') {
        return { type: 'chat', model: name, stream: method === 'streamGenerateContent', includeUsage: false };
      }
      const requests = Array.isArray(body['requests'])
        ? (body['requests'] as { content?: { parts?: { text?: string }[] } }[])
        : [body as { content?: { parts?: { text?: string }[] } }];
      const inputs = requests.map((request) => (request.content?.parts ?? []).map((part) => part.text ?? '').join(''));
      return { type: 'embeddings', model: name, inputs, single: method === 'embedContent' };
    }
  }
}

export interface FakeLlmServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The base URL to configure for a vendor (what `<VENDOR>_BASE_URL` would hold). */
  baseUrl(vendor: FakeLlmVendor): string;
  /** Scripts the next responses of a vendor, each used once, in order. */
  enqueue(vendor: FakeLlmVendor, ...steps: FakeLlmStep[]): void;
  /** The response given when a vendor's queue is empty (benchmarks); undefined → a 500 saying nothing was scripted. */
  setDefault(vendor: FakeLlmVendor, step: FakeLlmStep | undefined): void;
  /** Steps still queued for a vendor. */
  pending(vendor: FakeLlmVendor): number;
  /** Every request received, in arrival order. */
  readonly requests: readonly FakeLlmRequest[];
  requestsFor(vendor: FakeLlmVendor): FakeLlmRequest[];
  /** Forgets scripts, defaults and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeLlmServerOptions {
  /** Keep a copy of every request (default true); benchmarks turn it off. */
  record?: boolean;
}

/**
 * A local HTTP server (127.0.0.1, random port) that answers like OpenAI, Anthropic, Gemini,
 * Ollama and the OpenAI-compatible vendors, byte for byte, from a per-test script; the
 * OpenAI-compatible ones (and Ollama under /v1) also transcribe and speak (`/audio/transcriptions`,
 * `/audio/speech`).
 */
export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const record = options.record ?? true;
  const queues = new Map<FakeLlmVendor, FakeLlmStep[]>();
  const defaults = new Map<FakeLlmVendor, FakeLlmStep>();
  const requests: FakeLlmRequest[] = [];
  const sockets = new Set<Socket>();

  const prefixes = [...FAKE_LLM_VENDORS].sort((a, b) => PREFIXES[b].length - PREFIXES[a].length);
  const vendorOf = (pathname: string): FakeLlmVendor | undefined =>
    prefixes.find((vendor) => pathname === PREFIXES[vendor] || pathname.startsWith(`${PREFIXES[vendor]}/`));

  const nextStep = (vendor: FakeLlmVendor): FakeLlmStep | undefined => queues.get(vendor)?.shift() ?? defaults.get(vendor);
  // Audio requests leave chat answers and embeddings queued for the chat they were scripted for; unscripted, they get the built-in audio.
  const forAudio = (step: FakeLlmStep | undefined): FakeLlmStep | undefined =>
    step && step.kind !== 'answer' && step.kind !== 'embeddings' ? step : undefined;
  const nextAudioStep = (vendor: FakeLlmVendor): FakeLlmStep | undefined => {
    const head = forAudio(queues.get(vendor)?.[0]);
    if (head) return queues.get(vendor)?.shift();
    return forAudio(defaults.get(vendor));
  };

  async function send(
    response: ServerResponse,
    wire: WireResponse,
    step: { headersDelayMs?: number; retryAfterSeconds?: number },
    answer?: FakeAnswer,
  ): Promise<void> {
    if (step.headersDelayMs) await sleep(step.headersDelayMs);
    if (response.destroyed) return;
    const headers: Record<string, string> = { ...wire.headers };
    if (step.retryAfterSeconds !== undefined) headers['retry-after'] = String(step.retryAfterSeconds);
    if (wire.type === 'body') {
      response.writeHead(wire.status, { ...headers, 'content-length': String(Buffer.byteLength(wire.body)) });
      response.end(wire.body);
      return;
    }
    response.writeHead(wire.status, headers);
    response.flushHeaders();
    let textChunks = 0;
    for (const frame of wire.frames) {
      if (frame.text && answer?.chunkDelayMs) await sleep(answer.chunkDelayMs);
      if (response.destroyed) return;
      if (frame.text && answer?.dropAfterChunks !== undefined && textChunks >= answer.dropAfterChunks) {
        // A network drop: the chunked body never gets its terminating chunk.
        response.socket?.destroy();
        return;
      }
      response.write(frame.data);
      if (frame.text) textChunks++;
    }
    response.end();
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const contentType = request.headers['content-type'] ?? '';
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const vendor = vendorOf(url.pathname);
    if (!vendor) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    let body: unknown = raw;
    try {
      if (contentType.startsWith('multipart/form-data')) body = await multipartFields(bytes, contentType);
      else body = raw.length > 0 ? JSON.parse(raw) : undefined;
    } catch {
      // Recorded as text; the vendor code below answers with its own error shape.
    }
    const path = url.pathname.slice(PREFIXES[vendor].length) || '/';
    if (record) {
      requests.push({
        vendor,
        method: request.method ?? 'GET',
        path,
        query: Object.fromEntries(url.searchParams),
        headers: { ...request.headers },
        body,
        at: Date.now(),
      });
    }
    const wire = WIRES[vendor];
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const operation = request.method === 'POST' ? operationOf(vendor, path, fields) : undefined;
    if (!operation) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `fake-llm: no ${vendor} endpoint ${request.method ?? ''} ${path}` }));
      return;
    }
    const context: WireRequest = {
      vendor,
      model: operation.model,
      stream: operation.type === 'chat' && operation.stream,
      includeUsage: operation.type === 'chat' && operation.includeUsage,
      singleEmbedding: operation.type === 'embeddings' && operation.single === true,
      now: new Date(),
    };
    const audio = operation.type === 'transcription' || operation.type === 'speech';
    const step = audio ? nextAudioStep(vendor) : nextStep(vendor);
    if (!step && operation.type === 'transcription') {
      await send(response, transcriptionBody(undefined), {});
      return;
    }
    if (!step && operation.type === 'speech') {
      await send(response, speechBody(undefined, operation.format), {});
      return;
    }
    if (!step) {
      await send(
        response,
        wire.failure({ kind: 'failure', status: 500, message: `fake-llm: nothing scripted for ${vendor}` }, context),
        {},
      );
      return;
    }
    switch (step.kind) {
      case 'hang':
        return;
      case 'reset':
        request.socket.destroy();
        return;
      case 'failure':
        await send(response, wire.failure(step, context), step);
        return;
      case 'embeddings':
        if (operation.type !== 'embeddings') {
          await send(response, jsonBody(500, JSON.stringify({ error: 'fake-llm: embeddings scripted for a chat request' })), {});
          return;
        }
        await send(response, wire.embeddings(step, operation.inputs, context), {});
        return;
      case 'answer':
        if (operation.type !== 'chat') {
          await send(response, jsonBody(500, JSON.stringify({ error: 'fake-llm: an answer scripted for an embeddings request' })), {});
          return;
        }
        await send(response, wire.chat(step, context), step, step);
        return;
      case 'transcription':
        if (operation.type !== 'transcription') {
          await send(
            response,
            jsonBody(500, JSON.stringify({ error: `fake-llm: a transcription scripted for a ${operation.type} request` })),
            {},
          );
          return;
        }
        await send(response, transcriptionBody(step), step);
        return;
      case 'speech':
        if (operation.type !== 'speech') {
          await send(response, jsonBody(500, JSON.stringify({ error: `fake-llm: speech scripted for a ${operation.type} request` })), {});
          return;
        }
        await send(response, speechBody(step, operation.format), step);
        return;
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`fake-llm failed: ${String(error)}`);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    baseUrl: (vendor) => `${origin}${PREFIXES[vendor]}`,
    enqueue(vendor, ...steps) {
      queues.set(vendor, [...(queues.get(vendor) ?? []), ...steps]);
    },
    setDefault(vendor, step) {
      if (step) defaults.set(vendor, step);
      else defaults.delete(vendor);
    },
    pending: (vendor) => queues.get(vendor)?.length ?? 0,
    requests,
    requestsFor: (vendor) => requests.filter((request) => request.vendor === vendor),
    reset() {
      queues.clear();
      defaults.clear();
      requests.length = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
