import { Secret } from '@aegis/config';
import { resolveSpeechSettings, type SpeechConfigSection } from './speech-settings';

const MB = 1024 * 1024;

function section(
  speech: Partial<SpeechConfigSection['speech']>,
  providers: Partial<SpeechConfigSection['providers']> = {},
): SpeechConfigSection {
  return {
    speech: { transcription: undefined, synthesis: undefined, voice: undefined, maxBytes: 25 * MB, ...speech },
    providers: { apiKeys: {}, baseUrls: {}, timeoutMs: 30_000, ...providers },
  };
}

describe('resolveSpeechSettings', () => {
  it('is unavailable without a key, and says which variables to set', () => {
    const settings = resolveSpeechSettings(section({}));
    expect(settings.transcription).toEqual({
      available: false,
      reason: expect.stringContaining('set OPENAI_API_KEY or GROQ_API_KEY, or SPEECH_PROVIDER') as unknown,
    });
    expect(settings.synthesis).toEqual({ available: false, reason: expect.stringContaining('SPEECH_TTS_PROVIDER') as unknown });
    expect(settings).toMatchObject({ maxBytes: 25 * MB, timeoutMs: 30_000 });
  });

  it('takes the first of openai, groq that has a key, with its default models and voice', () => {
    const groqKey = new Secret('gsk_groq-key-0123456789');
    const settings = resolveSpeechSettings(section({}, { apiKeys: { groq: groqKey, anthropic: new Secret('sk-ant-x') } }));
    expect(settings.transcription).toEqual({
      available: true,
      endpoint: { provider: 'groq', model: 'whisper-large-v3-turbo', baseUrl: 'https://api.groq.com/openai/v1', apiKey: groqKey },
    });
    expect(settings.synthesis).toMatchObject({
      available: true,
      endpoint: { provider: 'groq', model: 'canopylabs/orpheus-v1-english', voice: 'autumn', format: 'wav' },
    });

    const both = resolveSpeechSettings(
      section(
        { voice: 'nova' },
        { apiKeys: { groq: groqKey, openai: new Secret('sk-openai-0123456789') }, baseUrls: { openai: 'http://127.0.0.1:9/openai/v1/' } },
      ),
    );
    expect(both.transcription).toMatchObject({
      endpoint: { provider: 'openai', model: 'whisper-1', baseUrl: 'http://127.0.0.1:9/openai/v1' },
    });
    expect(both.synthesis).toMatchObject({ endpoint: { provider: 'openai', model: 'gpt-4o-mini-tts', voice: 'nova', format: 'mp3' } });
  });

  it('follows SPEECH_PROVIDER and SPEECH_TTS_PROVIDER, and none turns a direction off', () => {
    const settings = resolveSpeechSettings(
      section(
        { transcription: { provider: 'mistral', model: 'voxtral-small' }, synthesis: 'none' },
        { apiKeys: { mistral: new Secret('mistral-key-0123456789'), openai: new Secret('sk-openai-0123456789') } },
      ),
    );
    expect(settings.transcription).toMatchObject({
      available: true,
      endpoint: { provider: 'mistral', model: 'voxtral-small', baseUrl: 'https://api.mistral.ai/v1' },
    });
    expect(settings.synthesis).toEqual({ available: false, reason: 'Speech synthesis is turned off (SPEECH_TTS_PROVIDER=none)' });
  });

  it('names the missing key of a chosen provider', () => {
    const settings = resolveSpeechSettings(
      section({ transcription: { provider: 'groq' } }, { apiKeys: { openai: new Secret('sk-openai-0123456789') } }),
    );
    expect(settings.transcription).toEqual({
      available: false,
      reason: 'Speech transcription is not available: SPEECH_PROVIDER names groq but GROQ_API_KEY is not set',
    });
  });

  it('reaches an OpenAI-compatible speech server at OLLAMA_BASE_URL/v1 without a key', () => {
    const settings = resolveSpeechSettings(
      section(
        { transcription: { provider: 'ollama', model: 'whisper-small' }, synthesis: { provider: 'ollama', model: 'kokoro' } },
        { baseUrls: { ollama: 'http://speech.lan:8000/api' } },
      ),
    );
    expect(settings.transcription).toEqual({
      available: true,
      endpoint: { provider: 'ollama', model: 'whisper-small', baseUrl: 'http://speech.lan:8000/v1', apiKey: undefined },
    });
    expect(settings.synthesis).toMatchObject({
      available: true,
      endpoint: { baseUrl: 'http://speech.lan:8000/v1', model: 'kokoro', voice: 'alloy', format: 'mp3' },
    });
  });
});
