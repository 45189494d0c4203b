import { ollamaApiUrl } from './create-adapters';
import { toModelPrompt, toModelTools } from './prompt';

describe('toModelPrompt', () => {
  it('translates every role, images and tool round trips into the AI SDK prompt', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const prompt = toModelPrompt([
      { role: 'system', content: 'be brief' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image', image: png, mediaType: 'image/png' },
          { type: 'image', image: new URL('https://example.com/a.jpg'), mediaType: 'image/jpeg' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'read_file', input: { path: 'a' } }] },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'c1', toolName: 'read_file', output: { size: 3 } },
          { type: 'tool-result', toolCallId: 'c2', toolName: 'ls', output: 'denied', isError: true },
        ],
      },
      { role: 'assistant', content: 'done' },
    ]);
    expect(prompt).toEqual([
      { role: 'system', content: 'be brief' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'file', mediaType: 'image/png', data: { type: 'data', data: 'iVBORw==' } },
          { type: 'file', mediaType: 'image/jpeg', data: { type: 'url', url: new URL('https://example.com/a.jpg') } },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'read_file', input: { path: 'a' } }] },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'c1', toolName: 'read_file', output: { type: 'json', value: { size: 3 } } },
          { type: 'tool-result', toolCallId: 'c2', toolName: 'ls', output: { type: 'error-text', value: 'denied' } },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'done' }] },
    ]);
  });

  it('declares tools as function tools and omits an empty list', () => {
    expect(toModelTools([{ name: 'ls', description: 'list', inputSchema: { type: 'object', properties: {} } }])).toEqual([
      { type: 'function', name: 'ls', description: 'list', inputSchema: { type: 'object', properties: {} } },
    ]);
    expect(toModelTools([])).toBeUndefined();
  });
});

describe('ollamaApiUrl', () => {
  it('takes a server root like OLLAMA_HOST, or an /api URL', () => {
    expect(ollamaApiUrl('http://gpu-box:11434')).toBe('http://gpu-box:11434/api');
    expect(ollamaApiUrl('http://gpu-box:11434/')).toBe('http://gpu-box:11434/api');
    expect(ollamaApiUrl('http://gpu-box:11434/api')).toBe('http://gpu-box:11434/api');
  });
});
