import { ConfigValidationError, loadConfig } from './load-config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, '/srv/aegis');
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('speech configuration', () => {
  it('leaves the providers to the default choice and caps recordings at 25 MB when nothing is set', () => {
    expect(loadConfig({}, '/srv/aegis').speech).toEqual({
      transcription: undefined,
      synthesis: undefined,
      voice: undefined,
      maxBytes: 25 * 1024 * 1024,
    });
  });

  it('reads provider, provider=model and none', () => {
    const config = loadConfig(
      { SPEECH_PROVIDER: ' Groq = whisper-large-v3 ', SPEECH_TTS_PROVIDER: 'openai', SPEECH_TTS_VOICE: 'nova', SPEECH_MAX_MB: '5' },
      '/srv/aegis',
    );
    expect(config.speech).toEqual({
      transcription: { provider: 'groq', model: 'whisper-large-v3' },
      synthesis: { provider: 'openai' },
      voice: 'nova',
      maxBytes: 5 * 1024 * 1024,
    });
    expect(loadConfig({ SPEECH_PROVIDER: 'none', SPEECH_TTS_PROVIDER: 'NONE' }, '/srv/aegis').speech).toMatchObject({
      transcription: 'none',
      synthesis: 'none',
    });
    expect(loadConfig({ SPEECH_PROVIDER: 'ollama=Systran/faster-whisper-small' }, '/srv/aegis').speech.transcription).toEqual({
      provider: 'ollama',
      model: 'Systran/faster-whisper-small',
    });
  });

  it('treats a blank value as unset', () => {
    expect(loadConfig({ SPEECH_PROVIDER: '  ', SPEECH_TTS_PROVIDER: '' }, '/srv/aegis').speech).toMatchObject({
      transcription: undefined,
      synthesis: undefined,
    });
  });

  it('refuses providers without the audio API, unknown names and ollama without a model', () => {
    expect(problemsOf({ SPEECH_PROVIDER: 'anthropic' })).toEqual([
      "SPEECH_PROVIDER: 'anthropic' is not none, provider or provider=model with a provider of openai, groq, mistral, ollama (got 'anthropic')",
    ]);
    expect(problemsOf({ SPEECH_TTS_PROVIDER: 'mistral=voxtral' })[0]).toMatch(
      /^SPEECH_TTS_PROVIDER: 'mistral=voxtral' is not none, provider or provider=model with a provider of openai, groq, ollama/,
    );
    expect(problemsOf({ SPEECH_PROVIDER: 'whisper' })[0]).toContain("SPEECH_PROVIDER: 'whisper' is not");
    expect(problemsOf({ SPEECH_TTS_PROVIDER: 'ollama' })[0]).toContain('needs a model: ollama=<model>');
  });

  it('refuses a recording limit outside 1..200 MB', () => {
    expect(problemsOf({ SPEECH_MAX_MB: '0' })).toEqual(["SPEECH_MAX_MB: must be at least 1 (got '0')"]);
    expect(problemsOf({ SPEECH_MAX_MB: 'lots' })[0]).toContain('SPEECH_MAX_MB: must be a number');
  });
});
