import { AdminBootstrapService } from '@aegis/auth';
import type { AppConfig } from '@aegis/config';
import type { ErrorBody } from '@aegis/contracts';
import {
  createTestDatabase,
  failure,
  FAKE_TRANSCRIPTION_TEXT,
  type FakeLlmServer,
  type FakeMultipartFile,
  hang,
  speech,
  startFakeLlmServer,
  testConfig,
  transcription,
} from '@aegis/testing';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';

const ADMIN_PASSWORD = 'admin-password-for-tests';
const USER_PASSWORD = 'correct horse battery staple';
const OPENAI_KEY = 'sk-test-speech-0123456789abcdef';
/** The EBML header a browser's MediaRecorder starts a WebM recording with, then padding. */
const WEBM = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01]), Buffer.alloc(2048, 0x42)]);
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;

async function startApp(environment: Record<string, string>): Promise<{ app: NestExpressApplication; config: AppConfig }> {
  const config = testConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD, RATE_LIMIT_LOGIN_IP: '100/60', ...environment });
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { url: await createTestDatabase(), embedded: false }),
    { bodyParser: false, logger: false },
  );
  configureApp(app, config);
  await app.init();
  await app.get(AdminBootstrapService).ensureAdmin();
  return { app, config };
}

async function signIn(app: NestExpressApplication, username: string, password: string): Promise<BrowserSession> {
  return sessionOf(await request(app.getHttpServer()).post('/api/auth/login').send({ username, password }).expect(200));
}

describe('speech against the fake LLM server', () => {
  let fake: FakeLlmServer;
  let app: NestExpressApplication;
  let alice: BrowserSession;
  const http = () => request(app.getHttpServer());

  const transcribe = (session: BrowserSession, bytes: Buffer, filename = 'recording.webm', contentType = 'audio/webm') =>
    http()
      .post('/api/speech/transcriptions')
      .set('Cookie', cookieHeader(session))
      .set('X-CSRF-Token', session.csrf)
      .attach('file', bytes, { filename, contentType });
  const synthesize = (session: BrowserSession, body: unknown) =>
    http()
      .post('/api/speech/synthesis')
      .set('Cookie', cookieHeader(session))
      .set('X-CSRF-Token', session.csrf)
      .send(body as object)
      .buffer(true);

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    ({ app } = await startApp({
      PROVIDER_ORDER: 'openai',
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: fake.baseUrl('openai'),
      PROVIDER_TIMEOUT_MS: '1000',
      RATE_LIMIT_CHAT: '100/60',
      SPEECH_MAX_MB: '1',
    }));
    const admin = await signIn(app, 'root', ADMIN_PASSWORD);
    await http()
      .post('/api/users')
      .set('Cookie', cookieHeader(admin))
      .set('X-CSRF-Token', admin.csrf)
      .send({ username: 'alice', password: USER_PASSWORD, role: 'viewer' })
      .expect(201);
    alice = await signIn(app, 'alice', USER_PASSWORD);
  });

  beforeEach(() => fake.reset());

  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  it('says which directions are available, and the recording limit', async () => {
    expect((await http().get('/api/speech').set('Cookie', cookieHeader(alice)).expect(200)).body).toEqual({
      transcription: true,
      synthesis: true,
      maxBytes: 1024 * 1024,
    });
  });

  it('transcribes a recording through the provider, which gets the file, the model and the key', async () => {
    fake.enqueue('openai', transcription({ text: '  Restart the staging database.  ' }));
    const response = await transcribe(alice, WEBM, 'clip.bin', 'application/octet-stream').field('language', 'en').expect(200);
    expect(response.body).toEqual({ text: 'Restart the staging database.', provider: 'openai', model: 'whisper-1' });
    const [sent] = fake.requestsFor('openai');
    expect(sent).toMatchObject({ method: 'POST', path: '/audio/transcriptions', headers: { authorization: `Bearer ${OPENAI_KEY}` } });
    const fields = sent.body as Record<string, string | FakeMultipartFile>;
    expect(fields).toMatchObject({ model: 'whisper-1', language: 'en', response_format: 'json' });
    expect(fields['file']).toEqual({ filename: 'recording.webm', contentType: 'audio/webm', size: WEBM.length });
  });

  it('counts each speech request in the usage records of its user', async () => {
    await transcribe(alice, WEBM).expect(200);
    const rows = await app
      .get(DataSource)
      .query<{ requests: string | number }[]>(
        `SELECT u.requests FROM usage_records u JOIN users ON users.id = u.user_id WHERE users.username = 'alice' AND u.model = 'whisper-1'`,
      );
    expect(rows.reduce((sum, row) => sum + Number(row.requests), 0)).toBeGreaterThanOrEqual(1);
  });

  it('works with an API key, without CSRF', async () => {
    const created = await http()
      .post('/api/api-keys')
      .set('Cookie', cookieHeader(alice))
      .set('X-CSRF-Token', alice.csrf)
      .send({ name: 'voice' })
      .expect(201);
    const { key } = created.body as { key: string };
    const response = await http()
      .post('/api/speech/transcriptions')
      .set('Authorization', `Bearer ${key}`)
      .attach('file', WEBM, 'a.webm')
      .expect(200);
    expect(response.body).toMatchObject({ text: FAKE_TRANSCRIPTION_TEXT });
  });

  it('reads text aloud: the provider’s audio bytes, its type, and who spoke', async () => {
    const response = await synthesize(alice, { text: 'Nginx was restarted.' }).expect(200);
    expect(response.headers['content-type']).toBe('audio/mpeg');
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.headers['x-speech-provider']).toBe('openai');
    expect(response.headers['x-speech-model']).toBe('gpt-4o-mini-tts');
    const audio = response.body as Buffer;
    expect([...audio.subarray(0, 4)]).toEqual([0xff, 0xfb, 0x90, 0x64]);
    expect(fake.requestsFor('openai')[0]).toMatchObject({
      path: '/audio/speech',
      body: { model: 'gpt-4o-mini-tts', input: 'Nginx was restarted.', voice: 'alloy', response_format: 'mp3' },
    });

    fake.enqueue('openai', speech({ audio: Uint8Array.from([1, 2, 3, 4]), contentType: 'audio/ogg' }));
    const voiced = await synthesize(alice, { text: 'Hello', voice: 'nova' }).expect(200);
    expect(voiced.headers['content-type']).toBe('audio/ogg');
    expect([...(voiced.body as Buffer)]).toEqual([1, 2, 3, 4]);
    expect(fake.requestsFor('openai')[1]?.body).toMatchObject({ voice: 'nova' });
  });

  it('refuses what is not a recording with 415, and one over SPEECH_MAX_MB with 413', async () => {
    const text = await transcribe(alice, Buffer.from('just some text, not audio at all'), 'notes.webm').expect(415);
    expect(errorOf(text)).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringContaining('not a recording in a supported format (webm, ogg, wav') as unknown,
    });
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');
    expect(errorOf(await transcribe(alice, png, 'voice.mp3', 'audio/mpeg').expect(415)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await transcribe(alice, Buffer.concat([WEBM, Buffer.alloc(1024 * 1024)])).expect(413);
    expect(errorOf(big)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'The recording is larger than 1 MB (SPEECH_MAX_MB)' });
    expect(fake.requestsFor('openai')).toHaveLength(0);
  });

  it('refuses a request without a file, a bad language, and bad synthesis input with 400 or 415', async () => {
    const missing = await http()
      .post('/api/speech/transcriptions')
      .set('Cookie', cookieHeader(alice))
      .set('X-CSRF-Token', alice.csrf)
      .field('language', 'en')
      .expect(400);
    expect(errorOf(missing).message).toContain('"file"');
    expect(errorOf(await transcribe(alice, WEBM).field('language', 'English').expect(400)).code).toBe('VALIDATION_FAILED');
    expect(errorOf(await synthesize(alice, { text: '   ' }).expect(400)).message).toContain('text must not be blank');
    expect(errorOf(await synthesize(alice, { text: 'a'.repeat(4001) }).expect(400)).code).toBe('VALIDATION_FAILED');
    expect(errorOf(await synthesize(alice, { text: 'hi', voice: 'a voice; rm -rf' }).expect(400)).code).toBe('VALIDATION_FAILED');
    await http()
      .post('/api/speech/synthesis')
      .set('Cookie', cookieHeader(alice))
      .set('X-CSRF-Token', alice.csrf)
      .type('form')
      .send('text=hello')
      .expect(415);
    expect(fake.requestsFor('openai')).toHaveLength(0);
  });

  it('needs a signed-in caller, and the CSRF header with a cookie session', async () => {
    expect(errorOf(await http().post('/api/speech/transcriptions').attach('file', WEBM, 'a.webm').expect(401)).code).toBe(
      'UNAUTHENTICATED',
    );
    await http().post('/api/speech/synthesis').send({ text: 'hello' }).expect(401);
    await http().get('/api/speech').expect(401);
    expect(
      errorOf(await http().post('/api/speech/synthesis').set('Cookie', cookieHeader(alice)).send({ text: 'hello' }).expect(403)).code,
    ).toBe('CSRF_INVALID');
    expect(fake.requestsFor('openai')).toHaveLength(0);
  });

  it('turns an upstream failure into 502 with our words: no key, no vendor text', async () => {
    fake.enqueue(
      'openai',
      failure(500, { message: `upstream exploded while holding ${OPENAI_KEY}` }),
      failure(401, { message: 'Incorrect API key provided: sk-test-...cdef' }),
    );
    const failed = await transcribe(alice, WEBM).expect(502);
    expect(errorOf(failed)).toMatchObject({
      statusCode: 502,
      code: 'SPEECH_PROVIDER_FAILED',
      message: 'Transcription failed: openai: server error, HTTP 500',
    });
    const refused = await synthesize(alice, { text: 'hello' }).expect(502);
    expect(errorOf(refused)).toMatchObject({
      code: 'SPEECH_PROVIDER_FAILED',
      message: 'Speech synthesis failed: openai: key refused, HTTP 401',
    });
    for (const response of [failed, refused]) {
      expect(response.text).not.toContain(OPENAI_KEY);
      expect(response.text).not.toContain('exploded');
      expect(response.text).not.toContain('Incorrect API key');
    }
  });

  it('gives up on a provider that does not answer within PROVIDER_TIMEOUT_MS', async () => {
    fake.enqueue('openai', hang());
    const response = await transcribe(alice, WEBM).expect(502);
    expect(errorOf(response).message).toBe('Transcription failed: openai: timed out');
  });
});

describe('speech without a provider', () => {
  let app: NestExpressApplication;
  let bob: BrowserSession;

  beforeAll(async () => {
    ({ app } = await startApp({ PROVIDER_ORDER: 'ollama' }));
    bob = await signIn(app, 'root', ADMIN_PASSWORD);
  });

  afterAll(() => app.close());

  it('answers 503 SPEECH_UNAVAILABLE naming the variables to set, and says so in the status', async () => {
    const http = () => request(app.getHttpServer());
    expect((await http().get('/api/speech').set('Cookie', cookieHeader(bob)).expect(200)).body).toMatchObject({
      transcription: false,
      synthesis: false,
    });
    const heard = await http()
      .post('/api/speech/transcriptions')
      .set('Cookie', cookieHeader(bob))
      .set('X-CSRF-Token', bob.csrf)
      .attach('file', WEBM, 'a.webm')
      .expect(503);
    expect(errorOf(heard)).toMatchObject({
      code: 'SPEECH_UNAVAILABLE',
      message: expect.stringContaining('set OPENAI_API_KEY or GROQ_API_KEY, or SPEECH_PROVIDER') as unknown,
    });
    const spoken = await http()
      .post('/api/speech/synthesis')
      .set('Cookie', cookieHeader(bob))
      .set('X-CSRF-Token', bob.csrf)
      .send({ text: 'hello' })
      .expect(503);
    expect(errorOf(spoken)).toMatchObject({
      code: 'SPEECH_UNAVAILABLE',
      message: expect.stringContaining('SPEECH_TTS_PROVIDER') as unknown,
    });
  });
});
