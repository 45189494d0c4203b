import { startFakeLlmServer, type FakeLlmServer } from './fake-llm-server';
import { answer, embeddings, FAKE_TRANSCRIPTION_TEXT, failure, hang, reset, speech, transcription } from './fake-llm.types';

/** The fake server's bytes, read with plain fetch: what each vendor's API reference shows. */
describe('fake LLM server', () => {
  let fake: FakeLlmServer;

  beforeAll(async () => {
    fake = await startFakeLlmServer();
  });

  beforeEach(() => fake.reset());

  afterAll(() => fake.close());

  const post = (url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });

  it('listens on 127.0.0.1 under one prefix per vendor', () => {
    expect(fake.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.baseUrl('openai')).toBe(`${fake.origin}/openai/v1`);
    expect(fake.baseUrl('ollama')).toBe(`${fake.origin}/ollama`);
  });

  describe('OpenAI chat completions', () => {
    it('streams SSE chunks: role, content deltas, tool call pieces, finish, usage, [DONE]', async () => {
      fake.enqueue(
        'openai',
        answer({
          text: ['Hel', 'lo'],
          toolCalls: [{ id: 'call_abc', name: 'ls', arguments: { path: '/tmp' }, pieces: 2 }],
          usage: { inputTokens: 9, outputTokens: 12 },
        }),
      );
      const response = await post(
        `${fake.baseUrl('openai')}/chat/completions`,
        { model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [] },
        { authorization: 'Bearer sk-test' },
      );
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const text = await response.text();
      const events = text.split('\n\n').filter((event) => event.length > 0);
      expect(events.every((event) => event.startsWith('data: '))).toBe(true);
      expect(events[events.length - 1]).toBe('data: [DONE]');
      const chunks = events.slice(0, -1).map(
        (event) =>
          JSON.parse(event.slice(6)) as Record<string, unknown> & {
            choices: { delta?: Record<string, unknown>; finish_reason: string | null }[];
          },
      );
      expect(chunks.every((chunk) => chunk['object'] === 'chat.completion.chunk' && chunk['model'] === 'gpt-4o-mini')).toBe(true);
      expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
      expect(chunks.slice(1, 3).map((chunk) => chunk.choices[0].delta)).toEqual([{ content: 'Hel' }, { content: 'lo' }]);
      expect(chunks[3].choices[0].delta).toEqual({
        tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'ls', arguments: '' } }],
      });
      const pieces = chunks
        .slice(4, 6)
        .map((chunk) => (chunk.choices[0].delta as { tool_calls: { function: { arguments: string } }[] }).tool_calls[0].function.arguments);
      expect(pieces.join('')).toBe('{"path":"/tmp"}');
      expect(chunks[6].choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' });
      expect(chunks.slice(0, -1).every((chunk) => chunk['usage'] === null)).toBe(true);
      expect(chunks[7]).toMatchObject({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 } });
    });

    it('sends no usage chunk unless asked, answers JSON when not streaming, and errors in OpenAI’s shape', async () => {
      fake.enqueue(
        'openai',
        answer({ text: ['a'] }),
        answer({ text: ['Hel', 'lo'], usage: { inputTokens: 3, outputTokens: 2 } }),
        failure(429, { retryAfterSeconds: 7 }),
      );
      const streamed = await (await post(`${fake.baseUrl('openai')}/chat/completions`, { model: 'm', stream: true })).text();
      expect(streamed).not.toContain('"usage"');
      const json = (await (await post(`${fake.baseUrl('openai')}/chat/completions`, { model: 'm' })).json()) as Record<string, unknown>;
      expect(json).toMatchObject({
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 2 },
      });
      const limited = await post(`${fake.baseUrl('openai')}/chat/completions`, { model: 'm', stream: true });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(await limited.json()).toEqual({
        error: { message: 'Request failed', type: 'requests', param: null, code: 'rate_limit_exceeded' },
      });
    });

    it('speaks the dialects: Groq usage in x_groq, Mistral usage on the finishing chunk', async () => {
      fake.enqueue('groq', answer({ text: ['x'], usage: { inputTokens: 4, outputTokens: 1 } }));
      fake.enqueue('mistral', answer({ text: ['x'], usage: { inputTokens: 4, outputTokens: 1 } }));
      const groq = (await (await post(`${fake.baseUrl('groq')}/chat/completions`, { model: 'llama', stream: true })).text()).split('\n\n');
      expect(JSON.parse(groq[groq.length - 3].slice(6))).toMatchObject({
        choices: [{ finish_reason: 'stop' }],
        x_groq: { usage: { prompt_tokens: 4, completion_tokens: 1 } },
      });
      const mistral = (
        await (await post(`${fake.baseUrl('mistral')}/chat/completions`, { model: 'mistral-small', stream: true })).text()
      ).split('\n\n');
      expect(JSON.parse(mistral[mistral.length - 3].slice(6))).toMatchObject({
        choices: [{ finish_reason: 'stop' }],
        usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 },
      });
    });
  });

  it('streams Anthropic message events in order, each named by `event:`', async () => {
    fake.enqueue(
      'anthropic',
      answer({
        text: ['Hi'],
        toolCalls: [{ id: 'toolu_01abc', name: 'ls', arguments: { path: '.' }, pieces: 1 }],
        usage: { inputTokens: 25, outputTokens: 15 },
      }),
    );
    const response = await post(`${fake.baseUrl('anthropic')}/messages`, {
      model: 'claude-sonnet-4-5',
      stream: true,
      max_tokens: 10,
      messages: [],
    });
    const frames = (await response.text()).split('\n\n').filter((frame) => frame.length > 0);
    const parsed = frames.map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return { event: eventLine.replace('event: ', ''), data: JSON.parse(dataLine.replace('data: ', '')) as Record<string, unknown> };
    });
    expect(parsed.map((frame) => frame.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(parsed.every((frame) => frame.data['type'] === frame.event)).toBe(true);
    expect(parsed[0].data).toMatchObject({
      message: {
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 25, output_tokens: 1 },
      },
    });
    expect(parsed[3].data).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } });
    expect(parsed[5].data).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_01abc', name: 'ls', input: {} },
    });
    expect(parsed[7].data).toEqual({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '{"path":"."}' },
    });
    expect(parsed[9].data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 15 },
    });
    expect(frames[2]).toBe('event: ping\ndata: {"type": "ping"}');
  });

  it('streams Gemini events with CRLF separators and Google’s JSON spacing', async () => {
    fake.enqueue('gemini', answer({ text: ['Hel', 'lo'], usage: { inputTokens: 5, outputTokens: 2 } }));
    const response = await post(
      `${fake.baseUrl('gemini')}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
      { contents: [] },
      { 'x-goog-api-key': 'AIza-test' },
    );
    const text = await response.text();
    const events = text.split('\r\n\r\n').filter((event) => event.length > 0);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatch(
      /^data: \{"candidates": \[\{"content": \{"parts": \[\{"text": "Hel"\}\],"role": "model"\},"index": 0\}\],"usageMetadata": \{"promptTokenCount": 5,/,
    );
    const last = JSON.parse(events[1].slice(6)) as Record<string, unknown>;
    expect(last).toMatchObject({
      candidates: [{ content: { parts: [{ text: 'lo' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
      modelVersion: 'gemini-2.5-flash',
    });
    expect(fake.requests[0]).toMatchObject({
      vendor: 'gemini',
      path: '/models/gemini-2.5-flash:streamGenerateContent',
      query: { alt: 'sse' },
    });
    expect(fake.requests[0].headers['x-goog-api-key']).toBe('AIza-test');
  });

  it('streams Ollama NDJSON ending with done and the eval counts', async () => {
    fake.enqueue(
      'ollama',
      answer({ text: ['Hel', 'lo'], toolCalls: [{ name: 'ls', arguments: { path: '.' } }], usage: { inputTokens: 26, outputTokens: 282 } }),
    );
    const response = await post(`${fake.baseUrl('ollama')}/api/chat`, { model: 'llama3.2', messages: [] });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await response.text())
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.slice(0, 2)).toEqual([
      expect.objectContaining({ model: 'llama3.2', message: { role: 'assistant', content: 'Hel' }, done: false }),
      expect.objectContaining({ message: { role: 'assistant', content: 'lo' }, done: false }),
    ]);
    expect(lines[2]).toMatchObject({
      message: { tool_calls: [{ function: { index: 0, name: 'ls', arguments: { path: '.' } } }] },
      done: false,
    });
    expect(lines[3]).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 26, eval_count: 282 });
    expect(String(lines[0]['created_at'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
  });

  it('answers embeddings in each vendor’s shape', async () => {
    fake.enqueue('openai', embeddings({ vectors: [[1, 2]] }));
    fake.enqueue(
      'gemini',
      embeddings({
        vectors: [
          [3, 4],
          [5, 6],
        ],
      }),
    );
    fake.enqueue('ollama', embeddings({ vectors: [[7, 8]], inputTokens: 2 }));
    expect(
      await (await post(`${fake.baseUrl('openai')}/embeddings`, { model: 'text-embedding-3-small', input: ['a'] })).json(),
    ).toMatchObject({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [1, 2] }],
    });
    expect(
      await (await post(`${fake.baseUrl('gemini')}/models/gemini-embedding-001:batchEmbedContents`, { requests: [{}, {}] })).json(),
    ).toEqual({ embeddings: [{ values: [3, 4] }, { values: [5, 6] }] });
    expect(await (await post(`${fake.baseUrl('ollama')}/api/embed`, { model: 'nomic-embed-text', input: ['a'] })).json()).toMatchObject({
      embeddings: [[7, 8]],
      prompt_eval_count: 2,
    });
  });

  it('drops a stream after the scripted chunks, resets, hangs, and refuses what was not scripted', async () => {
    fake.enqueue('openai', answer({ text: ['one', 'two', 'three'], dropAfterChunks: 1 }), reset(), hang());
    const dropped = await post(`${fake.baseUrl('openai')}/chat/completions`, { model: 'm', stream: true });
    await expect(dropped.text()).rejects.toThrow();
    await expect(post(`${fake.baseUrl('openai')}/chat/completions`, { model: 'm', stream: true })).rejects.toThrow();
    const hanging = post(`${fake.baseUrl('openai')}/chat/completions`, { model: 'm' }, {}, AbortSignal.timeout(200));
    await expect(
      hanging.then(
        () => 'answered',
        () => 'gave up waiting',
      ),
    ).resolves.toBe('gave up waiting');
    const unscripted = await post(`${fake.baseUrl('anthropic')}/messages`, { model: 'x' });
    expect(unscripted.status).toBe(500);
    expect(await unscripted.json()).toMatchObject({
      type: 'error',
      error: { type: 'api_error', message: 'fake-llm: nothing scripted for anthropic' },
    });
  }, 10_000);

  describe('audio', () => {
    const transcribe = (url: string, bytes: Uint8Array, fields: Record<string, string>) => {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: 'audio/webm' }), 'recording.webm');
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      return fetch(`${url}/audio/transcriptions`, { method: 'POST', body: form, headers: { authorization: 'Bearer sk-test' } });
    };

    it('transcribes: a scripted text, then the default, and records the file by name, type and size', async () => {
      fake.enqueue('openai', transcription({ text: 'Restart nginx please.', usage: { inputTokens: 14, outputTokens: 5 } }));
      const audio = new Uint8Array(1234).fill(7);
      const first = await transcribe(fake.baseUrl('openai'), audio, { model: 'gpt-4o-mini-transcribe', language: 'en' });
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({
        text: 'Restart nginx please.',
        usage: { type: 'tokens', input_tokens: 14, output_tokens: 5, total_tokens: 19 },
      });
      expect(await (await transcribe(fake.baseUrl('openai'), audio, { model: 'whisper-1' })).json()).toEqual({
        text: FAKE_TRANSCRIPTION_TEXT,
        usage: { type: 'duration', seconds: 1 },
      });
      expect(fake.requestsFor('openai')[0]).toMatchObject({
        method: 'POST',
        path: '/audio/transcriptions',
        body: {
          model: 'gpt-4o-mini-transcribe',
          language: 'en',
          file: { filename: 'recording.webm', contentType: 'audio/webm', size: 1234 },
        },
      });
    });

    it('leaves chat answers queued for the chat, and fails when a failure is scripted', async () => {
      fake.enqueue('groq', answer({ text: ['for the chat'] }));
      expect(await (await transcribe(fake.baseUrl('groq'), new Uint8Array(10), { model: 'whisper-large-v3-turbo' })).json()).toMatchObject({
        text: FAKE_TRANSCRIPTION_TEXT,
      });
      expect(fake.pending('groq')).toBe(1);
      fake.reset();
      fake.enqueue('openai', failure(500, { message: 'upstream exploded' }));
      const failed = await transcribe(fake.baseUrl('openai'), new Uint8Array(10), { model: 'whisper-1' });
      expect(failed.status).toBe(500);
      expect(await failed.json()).toMatchObject({ error: { message: 'upstream exploded', type: 'server_error' } });
    });

    it('speaks: a silent MP3 by default, a WAV when asked, scripted bytes, also under Ollama /v1', async () => {
      const mp3 = await post(`${fake.baseUrl('openai')}/audio/speech`, {
        model: 'gpt-4o-mini-tts',
        input: 'Hello',
        voice: 'alloy',
        response_format: 'mp3',
      });
      expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
      const mp3Bytes = new Uint8Array(await mp3.arrayBuffer());
      expect([...mp3Bytes.slice(0, 4)]).toEqual([0xff, 0xfb, 0x90, 0x64]);
      const wav = await post(`${fake.baseUrl('groq')}/audio/speech`, {
        model: 'canopylabs/orpheus-v1-english',
        input: 'Hello',
        voice: 'autumn',
        response_format: 'wav',
      });
      expect(wav.headers.get('content-type')).toBe('audio/wav');
      expect(
        Buffer.from(await wav.arrayBuffer())
          .subarray(0, 12)
          .toString('latin1'),
      ).toMatch(/^RIFF.{4}WAVE$/s);
      fake.enqueue('ollama', speech({ audio: Uint8Array.from([1, 2, 3]), contentType: 'audio/ogg' }));
      const scripted = await post(`${fake.baseUrl('ollama')}/v1/audio/speech`, { model: 'kokoro', input: 'Hi', voice: 'af' });
      expect(scripted.headers.get('content-type')).toBe('audio/ogg');
      expect([...new Uint8Array(await scripted.arrayBuffer())]).toEqual([1, 2, 3]);
      expect(fake.requestsFor('openai')[0]).toMatchObject({
        path: '/audio/speech',
        body: { model: 'gpt-4o-mini-tts', input: 'Hello', voice: 'alloy' },
      });
    });
  });
});
