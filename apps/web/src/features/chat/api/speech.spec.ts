import { ErrorCode } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-error';
import { calls, errorBody, fakeApi, jsonResponse, setCsrfCookie } from '../../../testing/fake-api';
import { SYNTHESIS_MAX_CHARACTERS, speakableText, synthesizeSpeech, withinSynthesisLimit } from './speech';

describe('speakableText', () => {
  it.each([
    ['# Title\n\nSome **bold** and *italic* and ~~gone~~ text.', 'Title\nSome bold and italic and gone text.'],
    ['Read [the guide](https://example.com/guide) and ![a chart](chart.png).', 'Read the guide and a chart.'],
    ['Run `npm test` first.', 'Run npm test first.'],
    ['Before\n```ts\nconst secret = 1;\n```\nAfter', 'Before\n(code block)\nAfter'],
    ['Unclosed\n```\nlet a = 1;\nlet b = 2;', 'Unclosed\n(code block)'],
    ['- one\n- [x] two\n1. three', 'one\ntwo\nthree'],
    ['> quoted words', 'quoted words'],
    ['| a | b |\n|---|---|\n| 1 | 2 |', 'a b\n1 2'],
    [
      'Set max_tokens and snake_case_name; _this_ and __that__ are emphasis.',
      'Set max_tokens and snake_case_name; this and that are emphasis.',
    ],
    ['x < 3 and y > 2 <b>bold</b>', 'x < 3 and y > 2 bold'],
    ['***', ''],
  ])('%j reads as %j', (markdown, spoken) => {
    expect(speakableText(markdown)).toBe(spoken);
  });
});

describe('withinSynthesisLimit', () => {
  it('keeps short text and cuts long text after its last whole sentence', () => {
    expect(withinSynthesisLimit('Short.')).toBe('Short.');
    const sentence = 'This sentence is exactly fifty characters long ok. ';
    const long = sentence.repeat(100);
    const cut = withinSynthesisLimit(long);
    expect(cut.length).toBeLessThanOrEqual(SYNTHESIS_MAX_CHARACTERS);
    expect(cut.endsWith('ok.')).toBe(true);
  });
});

describe('synthesizeSpeech', () => {
  it('sends the CSRF header, refreshes the session once after a 401, and returns the audio', async () => {
    setCsrfCookie('csrf.old');
    let renewed = false;
    const user = { id: 'u1', username: 'ada', role: 'operator' };
    const requests = fakeApi({
      'POST /api/speech/synthesis': () =>
        renewed
          ? new Response(new Uint8Array([1, 2, 3]), { headers: { 'Content-Type': 'audio/mpeg' } })
          : jsonResponse(401, errorBody(401, ErrorCode.SessionExpired, 'Your session has expired')),
      'GET /api/auth/me': () =>
        renewed ? jsonResponse(200, user) : jsonResponse(401, errorBody(401, ErrorCode.SessionExpired, 'Your session has expired')),
      'POST /api/auth/refresh': () => {
        renewed = true;
        setCsrfCookie('csrf.new');
        return jsonResponse(200, { user });
      },
    });

    const audio = await synthesizeSpeech('Hello');
    expect(audio.size).toBe(3);
    expect(calls(requests)).toEqual([
      'POST /api/speech/synthesis',
      'GET /api/auth/me',
      'POST /api/auth/refresh',
      'GET /api/auth/me',
      'POST /api/speech/synthesis',
    ]);
    expect(requests.at(0)?.headers.get('X-CSRF-Token')).toBe('csrf.old');
    expect(requests.at(-1)?.headers.get('X-CSRF-Token')).toBe('csrf.new');
  });

  it('throws the server’s refusal as ApiError with its code', async () => {
    fakeApi({
      'POST /api/speech/synthesis': () =>
        jsonResponse(503, errorBody(503, ErrorCode.SpeechUnavailable, 'Text to speech is not configured')),
    });
    const refusal = await synthesizeSpeech('Hello').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 503, code: ErrorCode.SpeechUnavailable, message: 'Text to speech is not configured' });
  });
});
