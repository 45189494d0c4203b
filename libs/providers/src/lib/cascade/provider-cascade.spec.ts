import { ErrorCode } from '@aegis/contracts';
import { ProviderFailureReason } from '../provider.exception';
import { answer, cascadeOf, collect, KEYS, request, ScriptedAdapter, settingsWith, textOf, USER } from './cascade-test-fixtures';

describe('ProviderCascade', () => {
  it('streams the first provider’s answer, announcing the model first and pricing the usage', async () => {
    const openai = new ScriptedAdapter('openai', [answer(['Hel', 'lo'])]);
    const { cascade, store } = cascadeOf([openai, new ScriptedAdapter('anthropic', [])]);
    const events = await collect(cascade.stream({ ...request, conversationId: '0d4f6a8e-1111-4222-8333-944455556666' }));
    expect(events.map((event) => event.type)).toEqual(['model-selected', 'text-delta', 'text-delta', 'finish']);
    expect(events[0]).toEqual({ type: 'model-selected', provider: 'openai', model: 'gpt-4.1-mini', attempts: 1 });
    // gpt-4.1-mini: 100 × $0.40/M + 50 × $1.60/M = 40 + 80 µ$
    expect(events[3]).toEqual({
      type: 'finish',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      finishReason: 'stop',
      usage: { inputTokens: 100, outputTokens: 50 },
      costMicroDollars: 120,
    });
    expect([...store.rows.values()]).toEqual([
      expect.objectContaining({
        userId: USER,
        conversationId: '0d4f6a8e-1111-4222-8333-944455556666',
        provider: 'openai',
        model: 'gpt-4.1-mini',
        requests: 1,
        costMicroDollars: 120,
      }),
    ]);
  });

  it('passes tool calls through with their parsed input', async () => {
    const openai = new ScriptedAdapter('openai', [
      {
        parts: [
          { type: 'tool-call', toolCallId: 'call_1', toolName: 'list_files', input: { path: '.' } },
          { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 5, outputTokens: 5 } },
        ],
      },
    ]);
    const { cascade } = cascadeOf([openai]);
    const events = await collect(cascade.stream({ ...request, tools: [{ name: 'list_files', inputSchema: { type: 'object' } }] }));
    expect(events[1]).toEqual({ type: 'tool-call', toolCallId: 'call_1', toolName: 'list_files', input: { path: '.' } });
    expect(events[2]).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    expect(openai.requests[0].tools).toEqual([{ name: 'list_files', inputSchema: { type: 'object' } }]);
  });

  it('retries a retryable failure on the same provider before answering', async () => {
    const openai = new ScriptedAdapter('openai', [{ status: 500 }, { status: 429 }, answer(['ok'])]);
    const { cascade } = cascadeOf([openai, new ScriptedAdapter('anthropic', [])]);
    const events = await collect(cascade.stream(request));
    expect(textOf(events)).toBe('ok');
    expect(events[0]).toMatchObject({ provider: 'openai', attempts: 3 });
    expect(openai.requests).toHaveLength(3);
  });

  it('falls over to the next provider when retries are used up, and shows nothing of the failed one', async () => {
    const openai = new ScriptedAdapter('openai', [{ status: 503 }, { status: 502 }, { status: 500 }]);
    const anthropic = new ScriptedAdapter('anthropic', [answer(['from anthropic'])]);
    const { cascade } = cascadeOf([openai, anthropic]);
    const events = await collect(cascade.stream(request));
    expect(events.map((event) => event.type)).toEqual(['model-selected', 'text-delta', 'finish']);
    expect(events[0]).toEqual({ type: 'model-selected', provider: 'anthropic', model: 'claude-sonnet-4-5', attempts: 4 });
    expect(openai.requests).toHaveLength(3);
  });

  it('does not retry a refused key or request, it falls over at once', async () => {
    const openai = new ScriptedAdapter('openai', [{ status: 401 }]);
    const anthropic = new ScriptedAdapter('anthropic', [answer(['fine'])]);
    const { cascade } = cascadeOf([openai, anthropic]);
    expect(textOf(await collect(cascade.stream(request)))).toBe('fine');
    expect(openai.requests).toHaveLength(1);
  });

  it('opens a provider’s circuit after the threshold and stops calling it', async () => {
    const openai = new ScriptedAdapter('openai', [], { status: 500 });
    const anthropic = new ScriptedAdapter('anthropic', [], answer(['secondary']));
    const { cascade } = cascadeOf([openai, anthropic]);
    expect(textOf(await collect(cascade.stream(request)))).toBe('secondary');
    expect(openai.requests).toHaveLength(3);
    expect(cascade.status().find((status) => status.name === 'openai')?.circuit).toBe('open');
    expect(textOf(await collect(cascade.stream(request)))).toBe('secondary');
    expect(openai.requests).toHaveLength(3);
  });

  it('half-opens after the wait: one trial request, and a success closes the circuit', async () => {
    const openai = new ScriptedAdapter('openai', [{ status: 500 }, { status: 500 }, { status: 500 }, answer(['back'])]);
    const anthropic = new ScriptedAdapter('anthropic', [], answer(['secondary']));
    const settings = settingsWith();
    const { cascade } = cascadeOf([openai, anthropic], { ...settings, resilience: { ...settings.resilience, circuitHalfOpenMs: 30 } });
    await collect(cascade.stream(request));
    expect(cascade.status()[0].circuit).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(textOf(await collect(cascade.stream(request)))).toBe('back');
    expect(cascade.status()[0].circuit).toBe('closed');
  });

  it('reports a stream that breaks after its first text once, and tries no other provider', async () => {
    const openai = new ScriptedAdapter('openai', [
      {
        parts: [
          { type: 'text-delta', text: 'Hel' },
          { type: 'text-delta', text: 'lo' },
        ],
        failAfter: 2,
      },
    ]);
    const anthropic = new ScriptedAdapter('anthropic', [answer(['should not be asked'])]);
    const { cascade } = cascadeOf([openai, anthropic]);
    const events = await collect(cascade.stream(request));
    expect(events.map((event) => event.type)).toEqual(['model-selected', 'text-delta', 'text-delta', 'error']);
    expect(textOf(events)).toBe('Hello');
    const error = events[3].type === 'error' ? events[3].error : undefined;
    expect(error).toMatchObject({ code: ErrorCode.ProviderUnavailable, reason: ProviderFailureReason.Interrupted, provider: 'openai' });
    expect(anthropic.requests).toHaveLength(0);
  });

  it('ends an answer whose parts stop coming for the idle timeout, and lets slow but steady answers finish', async () => {
    const settings = settingsWith();
    const quick = { ...settings, resilience: { ...settings.resilience, idleTimeoutMs: 80 } };
    const stalled = new ScriptedAdapter('openai', [{ ...answer(['Hel', 'lo', ' never']), stallAfter: 2 }]);
    const events = await collect(cascadeOf([stalled, new ScriptedAdapter('anthropic', [])], quick).cascade.stream(request));
    expect(events.map((event) => event.type)).toEqual(['model-selected', 'text-delta', 'text-delta', 'error']);
    // The stalled stream never ends by itself: only the idle timer can have stopped it.
    expect(events[3]).toMatchObject({ error: { code: ErrorCode.ProviderUnavailable, reason: ProviderFailureReason.Interrupted } });

    // Six parts 30 ms apart: 180 ms in all, more than the idle timeout, never 80 ms without a part.
    const steady = new ScriptedAdapter('openai', [{ ...answer(['a', 'b', 'c', 'd', 'e']), partDelayMs: 30 }]);
    expect(textOf(await collect(cascadeOf([steady], quick).cascade.stream(request)))).toBe('abcde');
  });

  it('treats a stream that fails before its first part as a failed attempt', async () => {
    const openai = new ScriptedAdapter('openai', [{ parts: [], failAfter: 0 }, answer(['second try'])]);
    const { cascade } = cascadeOf([openai]);
    const events = await collect(cascade.stream(request));
    expect(textOf(events)).toBe('second try');
    expect(events[0]).toMatchObject({ attempts: 2 });
  });

  it('abandons a provider that does not answer within the first-part timeout', async () => {
    const openai = new ScriptedAdapter('openai', [{ hang: true }]);
    const anthropic = new ScriptedAdapter('anthropic', [answer(['quick'])]);
    const settings = settingsWith();
    const { cascade, logger } = cascadeOf([openai, anthropic], {
      ...settings,
      resilience: { ...settings.resilience, firstTokenTimeoutMs: 30, retries: 0 },
    });
    expect(textOf(await collect(cascade.stream(request)))).toBe('quick');
    expect(logger.lines.join('\n')).toMatch(/openai: timed out/);
  });

  it('waits no longer than the deadline: a far Retry-After falls over at once', async () => {
    const openai = new ScriptedAdapter('openai', [{ status: 429, retryAfter: '3600' }]);
    const anthropic = new ScriptedAdapter('anthropic', [answer(['now'])]);
    const { cascade } = cascadeOf([openai, anthropic]);
    const started = Date.now();
    expect(textOf(await collect(cascade.stream(request)))).toBe('now');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(openai.requests).toHaveLength(1);
  });

  it('stops at once when the caller cancels during a backoff wait', async () => {
    const openai = new ScriptedAdapter('openai', [{ status: 500 }], answer(['late']));
    const settings = settingsWith();
    const { cascade } = cascadeOf([openai], {
      ...settings,
      resilience: { ...settings.resilience, retryInitialDelayMs: 5_000, retryMaxDelayMs: 5_000, retryDeadlineMs: 60_000 },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const events = await collect(cascade.stream({ ...request, signal: controller.signal }));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ reason: ProviderFailureReason.Aborted }) as unknown }]);
    expect(openai.requests).toHaveLength(1);
  });

  it('names every provider it tried when none could answer', async () => {
    const openai = new ScriptedAdapter('openai', [], { status: 500 });
    const anthropic = new ScriptedAdapter('anthropic', [], { connectionRefused: true });
    const { cascade } = cascadeOf([openai, anthropic]);
    const [event] = await collect(cascade.stream(request));
    expect(event.type).toBe('error');
    if (event.type !== 'error') return;
    expect(event.error.code).toBe(ErrorCode.ProviderUnavailable);
    expect(event.error.details).toEqual(['openai: server error, HTTP 500, 3 attempts', 'anthropic: unreachable, 3 attempts']);
  });

  it('says so when no provider is configured', async () => {
    const { cascade } = cascadeOf([], settingsWith({}, ['groq']));
    const [event] = await collect(cascade.stream(request));
    expect(event).toMatchObject({ type: 'error', error: { reason: ProviderFailureReason.NotConfigured } });
  });

  describe('choosing a provider', () => {
    it('sends a requested model to the provider that serves it, then falls over with defaults', async () => {
      const openai = new ScriptedAdapter('openai', [answer(['x'])]);
      const anthropic = new ScriptedAdapter('anthropic', [{ status: 500 }, { status: 500 }, { status: 500 }]);
      const { cascade } = cascadeOf([openai, anthropic]);
      const events = await collect(cascade.stream({ ...request, model: 'claude-haiku-4-5' }));
      expect(anthropic.requests.map((r) => r.model)).toEqual(['claude-haiku-4-5', 'claude-haiku-4-5', 'claude-haiku-4-5']);
      expect(events[0]).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini' });
    });

    it('tries a requested provider first and only it when fallback is off', async () => {
      const openai = new ScriptedAdapter('openai', [], answer(['openai']));
      const anthropic = new ScriptedAdapter('anthropic', [{ status: 400 }]);
      const { cascade } = cascadeOf([openai, anthropic]);
      const [event] = await collect(cascade.stream({ ...request, provider: 'anthropic', fallback: false }));
      expect(event).toMatchObject({ type: 'error', error: { details: ['anthropic: request refused, HTTP 400'] } });
      expect(openai.requests).toHaveLength(0);
    });
  });

  it('never writes a key into a log line or an error, even when a vendor echoes it', async () => {
    const openai = new ScriptedAdapter('openai', [{ status: 401, message: `Incorrect API key provided: ${KEYS.openai}` }]);
    const anthropic = new ScriptedAdapter('anthropic', [
      { parts: [{ type: 'text-delta', text: 'a' }], failAfter: 1, failWith: new Error(`stream broke, x-api-key: ${KEYS.anthropic}`) },
    ]);
    const { cascade, logger } = cascadeOf([openai, anthropic]);
    const events = await collect(cascade.stream(request));
    const everything = JSON.stringify(events) + logger.lines.join('\n') + JSON.stringify(cascade.status());
    expect(logger.lines.length).toBeGreaterThan(0);
    for (const key of Object.values(KEYS)) expect(everything).not.toContain(key);
  });

  it('reports each provider’s state and masks keys for admins', () => {
    const { cascade } = cascadeOf([new ScriptedAdapter('openai', []), new ScriptedAdapter('anthropic', [])]);
    const [openai, anthropic, gemini] = cascade.status();
    expect(openai).toMatchObject({
      name: 'openai',
      configured: true,
      position: 0,
      circuit: 'closed',
      reachable: null,
      defaultModel: 'gpt-4.1-mini',
      embeddingModel: 'text-embedding-3-small',
    });
    expect(openai.models).toContain('gpt-4o-mini');
    // Models to chat with: the embedding models of the price table are not offered.
    expect(openai.models).not.toContain('text-embedding-3-small');
    expect(openai.models).not.toContain('text-embedding-3-large');
    expect(anthropic).toMatchObject({ position: 1, embeddingModel: null });
    expect(gemini).toMatchObject({ configured: false, position: null });
    expect(cascade.maskedKeys()).toEqual({ openai: 'sk-…0001', anthropic: 'sk-…0002' });
  });

  describe('embed', () => {
    it('embeds with the one embedding provider, retrying it, and records the usage', async () => {
      const openai = new ScriptedAdapter('openai', [{ status: 503 }]);
      const { cascade, store } = cascadeOf([openai, new ScriptedAdapter('anthropic', [])]);
      const result = await cascade.embed(['a', 'b'], { userId: USER });
      expect(result).toMatchObject({
        provider: 'openai',
        model: 'text-embedding-3-small',
        embeddings: [
          [0.1, 0.2],
          [0.1, 0.2],
        ],
        usage: { inputTokens: 6 },
        costMicroDollars: 1,
      });
      expect(openai.embedCalls).toHaveLength(2);
      expect([...store.rows.values()][0]).toMatchObject({ model: 'text-embedding-3-small', inputTokens: 6 });
    });

    it('refuses when no configured provider can embed', async () => {
      const { cascade } = cascadeOf([new ScriptedAdapter('anthropic', [])], settingsWith({}, ['anthropic']));
      await expect(cascade.embed(['a'])).rejects.toMatchObject({
        code: ErrorCode.ProviderUnavailable,
        reason: ProviderFailureReason.NotConfigured,
      });
    });
  });
});
