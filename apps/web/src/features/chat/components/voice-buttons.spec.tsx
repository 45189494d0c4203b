import { Blob as NodeBlob, File as NodeFile } from 'node:buffer';
import { ErrorCode } from '@aegis/contracts';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { calls, errorBody, fakeApi, jsonResponse, setCsrfCookie } from '../../../testing/fake-api';
import { MicrophoneButton, ReadAloudButton } from './voice-buttons';

/** MediaRecorder at the browser boundary: one chunk of "recorded" bytes on stop. */
class FakeMediaRecorder {
  static isTypeSupported = (type: string) => type === 'audio/webm;codecs=opus';
  static made: FakeMediaRecorder[] = [];
  state: 'inactive' | 'recording' = 'inactive';
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  readonly mimeType: string;

  constructor(
    readonly stream: unknown,
    options?: { mimeType?: string },
  ) {
    this.mimeType = options?.mimeType ?? '';
    FakeMediaRecorder.made.push(this);
  }
  start() {
    this.state = 'recording';
  }
  stop() {
    this.state = 'inactive';
    this.ondataavailable?.({ data: new Blob([new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3])], { type: this.mimeType }) });
    this.onstop?.();
  }
}

function fakeMicrophone(getUserMedia: () => Promise<unknown>) {
  Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia: vi.fn(getUserMedia) }, configurable: true });
  vi.stubGlobal('MediaRecorder', FakeMediaRecorder);
}

function fakeStream() {
  const track = { stop: vi.fn() };
  return { track, stream: { getTracks: () => [track] } };
}

/** Node's own FormData (with its Blob and File below): jsdom's cannot be the body of Node's Request, which the fetch stub builds. */
async function nodeFormData(): Promise<typeof FormData> {
  const form = await new Response('a=1', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }).formData();
  return form.constructor as typeof FormData;
}

describe('MicrophoneButton', () => {
  beforeEach(async () => {
    FakeMediaRecorder.made = [];
    vi.stubGlobal('FormData', await nodeFormData());
    vi.stubGlobal('Blob', NodeBlob);
    vi.stubGlobal('File', NodeFile);
  });
  afterEach(() => {
    Reflect.deleteProperty(navigator, 'mediaDevices');
  });

  it('records, shows the recording with its time, and hands the transcript to onText', async () => {
    setCsrfCookie('csrf.1');
    const { track, stream } = fakeStream();
    fakeMicrophone(() => Promise.resolve(stream));
    let answer: (response: Response) => void = () => undefined;
    const requests = fakeApi({ 'POST /api/speech/transcriptions': () => new Promise<Response>((resolve) => (answer = resolve)) });
    const onText = vi.fn();
    render(<MicrophoneButton onText={onText} />);

    const button = screen.getByRole('button', { name: 'Record a message' });
    button.focus();
    fireEvent.click(button);
    const stop = await screen.findByRole('button', { name: 'Stop recording' });
    expect(stop).toBe(button);
    expect(document.activeElement).toBe(stop);
    expect(screen.getByText('0:00')).toBeTruthy();
    expect(FakeMediaRecorder.made[0]?.mimeType).toBe('audio/webm;codecs=opus');

    fireEvent.click(stop);
    expect(await screen.findByText('Transcribing…')).toBeTruthy();
    expect(track.stop).toHaveBeenCalled();
    // Waiting keeps focus on the button: aria-disabled, not disabled.
    expect(screen.getByRole('button', { name: 'Record a message' }).getAttribute('aria-disabled')).toBe('true');

    await waitFor(() => expect(calls(requests)).toEqual(['POST /api/speech/transcriptions']));
    const sent = requests[0];
    expect(sent?.headers.get('X-CSRF-Token')).toBe('csrf.1');
    const file = (await sent?.formData())?.get('file');
    expect(file).toBeInstanceOf(Blob);
    expect((file as File).name).toBe('recording.webm');

    await act(async () => {
      answer(jsonResponse(200, { text: '  What is on my calendar today? ', provider: 'openai', model: 'whisper-1' }));
      await Promise.resolve();
    });
    await waitFor(() => expect(onText).toHaveBeenCalledWith('What is on my calendar today?'));
    expect(screen.queryByText('Transcribing…')).toBeNull();
    expect(screen.getByRole('button', { name: 'Record a message' }).getAttribute('aria-disabled')).toBeNull();
  });

  it('explains a server without speech-to-text (503) next to the button', async () => {
    fakeMicrophone(() => Promise.resolve(fakeStream().stream));
    fakeApi({
      'POST /api/speech/transcriptions': () =>
        jsonResponse(
          503,
          errorBody(503, ErrorCode.SpeechUnavailable, 'Speech to text is not configured: set OPENAI_API_KEY or GROQ_API_KEY'),
        ),
    });
    const onText = vi.fn();
    render(<MicrophoneButton onText={onText} />);

    fireEvent.click(screen.getByRole('button', { name: 'Record a message' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Stop recording' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Voice input is not available');
    expect(alert.textContent).toContain('Speech to text is not configured');
    expect(onText).not.toHaveBeenCalled();
  });

  it('shows a provider failure (502) in the server’s words', async () => {
    fakeMicrophone(() => Promise.resolve(fakeStream().stream));
    fakeApi({
      'POST /api/speech/transcriptions': () =>
        jsonResponse(502, errorBody(502, ErrorCode.SpeechProviderFailed, 'The speech provider did not answer')),
    });
    render(<MicrophoneButton onText={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Record a message' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Stop recording' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The recording could not be transcribed: The speech provider did not answer',
    );
  });

  it.each([
    ['NotAllowedError', 'Microphone access was denied'],
    ['NotFoundError', 'No microphone was found'],
  ])('says so in words when getUserMedia fails with %s', async (name, words) => {
    fakeMicrophone(() => Promise.reject(new DOMException('refused', name)));
    const requests = fakeApi({});
    render(<MicrophoneButton onText={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Record a message' }));
    expect((await screen.findByRole('alert')).textContent).toContain(words);
    expect(screen.getByRole('button', { name: 'Record a message' }).getAttribute('aria-disabled')).toBeNull();
    expect(requests).toEqual([]);
  });

  it('is disabled with the composer, yet a recording under way can still be stopped', async () => {
    fakeMicrophone(() => Promise.resolve(fakeStream().stream));
    fakeApi({ 'POST /api/speech/transcriptions': () => jsonResponse(200, { text: 'hi', provider: 'openai', model: 'whisper-1' }) });
    const { rerender } = render(<MicrophoneButton onText={vi.fn()} disabled />);
    expect(screen.getByRole('button', { name: 'Record a message' })).toHaveProperty('disabled', true);

    rerender(<MicrophoneButton onText={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Record a message' }));
    await screen.findByRole('button', { name: 'Stop recording' });
    rerender(<MicrophoneButton onText={vi.fn()} disabled />);
    expect(screen.getByRole('button', { name: 'Stop recording' })).toHaveProperty('disabled', false);
    fireEvent.click(screen.getByRole('button', { name: 'Stop recording' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Record a message' })).toHaveProperty('disabled', true));
  });

  it('stops the microphone and sends nothing when it goes away mid-recording', async () => {
    const { track, stream } = fakeStream();
    fakeMicrophone(() => Promise.resolve(stream));
    const requests = fakeApi({});
    const { unmount } = render(<MicrophoneButton onText={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Record a message' }));
    await screen.findByRole('button', { name: 'Stop recording' });
    unmount();
    expect(track.stop).toHaveBeenCalled();
    expect(FakeMediaRecorder.made[0]?.state).toBe('inactive');
    await Promise.resolve();
    expect(requests).toEqual([]);
  });
});

/** HTMLAudioElement at the browser boundary: jsdom cannot play. */
class FakeAudio {
  static made: FakeAudio[] = [];
  onended: (() => void) | null = null;
  onerror: (() => void) | null = null;
  paused = true;
  constructor(readonly src: string) {
    FakeAudio.made.push(this);
  }
  play() {
    this.paused = false;
    return Promise.resolve();
  }
  pause() {
    this.paused = true;
  }
}

class FakeUtterance {
  onend: (() => void) | null = null;
  onerror: ((event: { error: string }) => void) | null = null;
  constructor(readonly text: string) {}
}

describe('ReadAloudButton', () => {
  const createObjectURL = vi.fn(() => 'blob:speech-1');
  const revokeObjectURL = vi.fn();
  const speechSynthesis = { speak: vi.fn(), cancel: vi.fn() };

  beforeEach(() => {
    FakeAudio.made = [];
    vi.stubGlobal('Audio', FakeAudio);
    Object.assign(URL, { createObjectURL, revokeObjectURL });
  });
  afterEach(() => {
    Reflect.deleteProperty(URL, 'createObjectURL');
    Reflect.deleteProperty(URL, 'revokeObjectURL');
    Reflect.deleteProperty(window, 'speechSynthesis');
    createObjectURL.mockClear();
    revokeObjectURL.mockClear();
    speechSynthesis.speak.mockClear();
    speechSynthesis.cancel.mockClear();
  });

  it('plays the server’s audio of the answer as plain text, then offers to read again', async () => {
    const requests = fakeApi({
      'POST /api/speech/synthesis': () => new Response(new Uint8Array([0xff, 0xf3, 0x44]), { headers: { 'Content-Type': 'audio/mpeg' } }),
    });
    render(<ReadAloudButton text={'## Result\n\nThe **build** passed.\n\n```sh\nnpm test\n```'} />);

    fireEvent.click(screen.getByRole('button', { name: 'Read aloud' }));
    await screen.findByRole('button', { name: 'Stop reading' });
    await waitFor(() => expect(FakeAudio.made[0]?.paused).toBe(false));
    expect(FakeAudio.made[0]?.src).toBe('blob:speech-1');
    expect(await requests[0]?.json()).toEqual({ text: 'Result\nThe build passed.\n(code block)' });

    act(() => FakeAudio.made[0]?.onended?.());
    expect(screen.getByRole('button', { name: 'Read aloud' })).toBeTruthy();
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:speech-1');
  });

  it('falls back to the browser’s speechSynthesis when the server has no speech provider (503)', async () => {
    Object.defineProperty(window, 'speechSynthesis', { value: speechSynthesis, configurable: true });
    vi.stubGlobal('SpeechSynthesisUtterance', FakeUtterance);
    fakeApi({
      'POST /api/speech/synthesis': () =>
        jsonResponse(503, errorBody(503, ErrorCode.SpeechUnavailable, 'Text to speech is not configured')),
    });
    render(<ReadAloudButton text="See [the docs](https://example.com/docs) for `npm run openapi`." />);

    fireEvent.click(screen.getByRole('button', { name: 'Read aloud' }));
    await waitFor(() => expect(speechSynthesis.speak).toHaveBeenCalledTimes(1));
    const utterance = speechSynthesis.speak.mock.calls[0]?.[0] as FakeUtterance;
    expect(utterance.text).toBe('See the docs for npm run openapi.');
    expect(FakeAudio.made).toEqual([]);
    expect(screen.queryByRole('alert')).toBeNull();

    speechSynthesis.cancel.mockClear();
    fireEvent.click(screen.getByRole('button', { name: 'Stop reading' }));
    expect(speechSynthesis.cancel).toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Read aloud' })).toBeTruthy();
  });

  it('says so when the browser’s speech fails (no voice installed)', async () => {
    Object.defineProperty(window, 'speechSynthesis', { value: speechSynthesis, configurable: true });
    vi.stubGlobal('SpeechSynthesisUtterance', FakeUtterance);
    fakeApi({
      'POST /api/speech/synthesis': () =>
        jsonResponse(503, errorBody(503, ErrorCode.SpeechUnavailable, 'Text to speech is not configured')),
    });
    render(<ReadAloudButton text="Hello" />);
    fireEvent.click(screen.getByRole('button', { name: 'Read aloud' }));
    await waitFor(() => expect(speechSynthesis.speak).toHaveBeenCalledTimes(1));
    const utterance = speechSynthesis.speak.mock.calls[0]?.[0] as FakeUtterance;

    act(() => utterance.onerror?.({ error: 'synthesis-failed' }));
    expect(screen.getByRole('alert').textContent).toContain('The browser could not read the answer aloud');
    expect(screen.getByRole('button', { name: 'Read aloud' })).toBeTruthy();
  });

  it('says so when neither the server nor the browser can speak', async () => {
    fakeApi({
      'POST /api/speech/synthesis': () =>
        jsonResponse(503, errorBody(503, ErrorCode.SpeechUnavailable, 'Text to speech is not configured')),
    });
    render(<ReadAloudButton text="Hello" />);
    fireEvent.click(screen.getByRole('button', { name: 'Read aloud' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Reading aloud is not available');
    expect(screen.getByRole('button', { name: 'Read aloud' })).toBeTruthy();
  });

  it('stops the audio and frees it when the answer goes away', async () => {
    fakeApi({ 'POST /api/speech/synthesis': () => new Response(new Uint8Array([1]), { headers: { 'Content-Type': 'audio/mpeg' } }) });
    const { unmount } = render(<ReadAloudButton text="Hello" />);
    fireEvent.click(screen.getByRole('button', { name: 'Read aloud' }));
    await waitFor(() => expect(FakeAudio.made[0]?.paused).toBe(false));
    unmount();
    expect(FakeAudio.made[0]?.paused).toBe(true);
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:speech-1');
  });
});
