import { ErrorCode } from '@aegis/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../../lib/api-error';
import { speakableText, synthesizeSpeech, transcribeAudio, withinSynthesisLimit } from '../api/speech';
import './voice-buttons.css';

/** Recording formats in order of preference; the server reads each of them (webm/opus in Chromium and Firefox, mp4 in Safari). */
const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];
/** A longer recording is stopped and sent: it stays well under SPEECH_MAX_MB. */
const MAX_RECORDING_MS = 10 * 60 * 1000;

interface Problem {
  message: string;
  /** The server's own words, in small print, where the message above is ours. */
  detail?: string;
}

function MicrophoneIcon() {
  return (
    <svg className="voice-button__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect x="9" y="3" width="6" height="11" rx="3" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

function StopIcon() {
  return (
    <svg className="voice-button__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect x="6.5" y="6.5" width="11" height="11" rx="2" fill="currentColor" />
    </svg>
  );
}

function SpeakerIcon() {
  return (
    <svg className="voice-button__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M4 9.5h3.5L12 5.5v13l-4.5-4H4z" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
      <path d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

function ProblemAlert({ problem }: { problem: Problem | null }) {
  if (problem === null) return null;
  return (
    <div className="voice__problem" role="alert">
      <p>{problem.message}</p>
      {problem.detail !== undefined && <p className="voice__detail">{problem.detail}</p>}
    </div>
  );
}

function errorName(error: unknown): string {
  return error instanceof DOMException || error instanceof Error ? error.name : '';
}

/** getUserMedia's and MediaRecorder's failures in words. */
function microphoneProblem(error: unknown): Problem {
  switch (errorName(error)) {
    case 'NotAllowedError':
    case 'SecurityError':
      return { message: 'Microphone access was denied. Allow the microphone for this site in the browser’s settings, then try again.' };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return { message: 'No microphone was found. Connect one and try again.' };
    case 'NotReadableError':
    case 'AbortError':
      return { message: 'The microphone could not be started: another application may be using it.' };
    default:
      return { message: 'The recording could not be started in this browser.' };
  }
}

function transcriptionProblem(error: unknown): Problem {
  if (error instanceof ApiError && error.code === ErrorCode.SpeechUnavailable) {
    return { message: 'Voice input is not available: no speech-to-text provider is set up on this server.', detail: error.message };
  }
  return { message: `The recording could not be transcribed: ${errorMessage(error)}` };
}

function formatElapsed(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

function canRecord(): boolean {
  const devices: MediaDevices | undefined = navigator.mediaDevices;
  return typeof devices?.getUserMedia === 'function' && typeof MediaRecorder !== 'undefined';
}

function supportedRecordingType(): string | undefined {
  return typeof MediaRecorder.isTypeSupported === 'function'
    ? RECORDING_TYPES.find((type) => MediaRecorder.isTypeSupported(type))
    : undefined;
}

type RecorderPhase = 'idle' | 'starting' | 'recording' | 'transcribing';

/** One recording from the microphone to its transcript. */
interface Recording {
  recorder: MediaRecorder | null;
  stream: MediaStream | null;
  transcription: AbortController | null;
  limit: ReturnType<typeof setTimeout> | null;
  /** Set when the component goes away: nothing more is sent or shown. */
  cancelled: boolean;
}

/**
 * Records speech (getUserMedia + MediaRecorder), sends it to POST /api/speech/transcriptions and
 * hands the transcript to onText (the composer puts it in the message box).
 */
export function MicrophoneButton({ onText, disabled }: { onText: (text: string) => void; disabled?: boolean }) {
  const [phase, setPhase] = useState<RecorderPhase>('idle');
  const [startedAt, setStartedAt] = useState(0);
  const [now, setNow] = useState(0);
  const [problem, setProblem] = useState<Problem | null>(null);
  const recording = useRef<Recording | null>(null);
  const latestOnText = useRef(onText);

  useEffect(() => {
    latestOnText.current = onText;
  }, [onText]);

  useEffect(() => {
    if (phase !== 'recording') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [phase]);

  useEffect(
    () => () => {
      const current = recording.current;
      recording.current = null;
      if (current === null) return;
      current.cancelled = true;
      if (current.limit !== null) clearTimeout(current.limit);
      if (current.recorder !== null && current.recorder.state !== 'inactive') current.recorder.stop();
      if (current.stream !== null) stopTracks(current.stream);
      current.transcription?.abort();
    },
    [],
  );

  const transcribe = useCallback(async (session: Recording, audio: Blob) => {
    if (audio.size === 0) {
      setProblem({ message: 'Nothing was recorded. Hold on a moment longer before stopping.' });
      setPhase('idle');
      return;
    }
    setPhase('transcribing');
    const controller = new AbortController();
    session.transcription = controller;
    try {
      const { text } = await transcribeAudio(audio, { signal: controller.signal });
      if (session.cancelled) return;
      const spoken = text.trim();
      if (spoken === '') setProblem({ message: 'No speech was heard in the recording.' });
      else latestOnText.current(spoken);
    } catch (error) {
      if (!session.cancelled) setProblem(transcriptionProblem(error));
    } finally {
      if (!session.cancelled) {
        recording.current = null;
        setPhase('idle');
      }
    }
  }, []);

  const start = useCallback(async () => {
    setProblem(null);
    if (!canRecord()) {
      setProblem({ message: 'This browser cannot record audio here (recording needs a secure https:// page).' });
      return;
    }
    const session: Recording = { recorder: null, stream: null, transcription: null, limit: null, cancelled: false };
    recording.current = session;
    setPhase('starting');
    try {
      session.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      if (session.cancelled) return stopTracks(session.stream);
      const mimeType = supportedRecordingType();
      const recorder = new MediaRecorder(session.stream, mimeType === undefined ? undefined : { mimeType });
      session.recorder = recorder;
      const chunks: Blob[] = [];
      recorder.ondataavailable = (event) => {
        if (event.data.size > 0) chunks.push(event.data);
      };
      recorder.onstop = () => {
        if (session.limit !== null) clearTimeout(session.limit);
        if (session.stream !== null) stopTracks(session.stream);
        if (session.cancelled) return;
        void transcribe(session, new Blob(chunks, { type: recorder.mimeType || mimeType || 'audio/webm' }));
      };
      recorder.start();
      session.limit = setTimeout(() => {
        if (recorder.state === 'recording') recorder.stop();
      }, MAX_RECORDING_MS);
      const at = Date.now();
      setStartedAt(at);
      setNow(at);
      setPhase('recording');
    } catch (error) {
      if (session.stream !== null) stopTracks(session.stream);
      if (session.cancelled) return;
      recording.current = null;
      setProblem(microphoneProblem(error));
      setPhase('idle');
    }
  }, [transcribe]);

  const stop = useCallback(() => {
    const recorder = recording.current?.recorder;
    if (recorder && recorder.state !== 'inactive') recorder.stop();
  }, []);

  const recordingNow = phase === 'recording';
  // Starting or transcribing: the button ignores presses but keeps focus (a disabled button would drop it).
  const waiting = phase === 'starting' || phase === 'transcribing';
  return (
    <div className="voice">
      {/* One button throughout, so that keyboard focus stays on it from start to stop. */}
      <button
        type="button"
        className={`button button--small voice-button${recordingNow ? ' voice-button--recording' : ''}`}
        title={recordingNow ? 'Stop recording' : 'Record a message'}
        disabled={disabled === true && !recordingNow}
        aria-disabled={waiting ? true : undefined}
        aria-busy={waiting ? true : undefined}
        onClick={() => {
          if (recordingNow) stop();
          else if (phase === 'idle') void start();
        }}
      >
        {recordingNow ? <StopIcon /> : <MicrophoneIcon />}
        <span className="visually-hidden">{recordingNow ? 'Stop recording' : 'Record a message'}</span>
      </button>
      {phase === 'recording' && (
        <span className="voice__recording">
          <span className="voice__dot" aria-hidden="true" />
          <span className="visually-hidden">Recording, </span>
          <time dateTime={`PT${Math.floor((now - startedAt) / 1000)}S`}>{formatElapsed(now - startedAt)}</time>
        </span>
      )}
      <span className="voice__status" role="status">
        {phase === 'transcribing' ? (
          'Transcribing…'
        ) : phase === 'recording' ? (
          <span className="visually-hidden">Recording started</span>
        ) : null}
      </span>
      <ProblemAlert problem={problem} />
    </div>
  );
}

/** A reading under way: stop() when the person stops it, release() when its button goes away (no state is set). */
interface Reading {
  stop: () => void;
  release: () => void;
}

/** The one reading under way on the page: starting another stops it, as two voices at once help nobody. */
let currentReading: Reading | null = null;

function browserSpeech(): SpeechSynthesis | null {
  return typeof window.speechSynthesis === 'object' && typeof SpeechSynthesisUtterance === 'function' ? window.speechSynthesis : null;
}

type ReaderPhase = 'idle' | 'loading' | 'playing';

/**
 * Reads an answer aloud: POST /api/speech/synthesis and plays the audio; when the server has no
 * speech provider (503 SPEECH_UNAVAILABLE), the browser's own speechSynthesis reads it instead.
 * Markdown is read as plain text (docs/web.md "Attachments and voice").
 */
export function ReadAloudButton({ text }: { text: string }) {
  const [phase, setPhase] = useState<ReaderPhase>('idle');
  const [problem, setProblem] = useState<Problem | null>(null);
  const reading = useRef<Reading | null>(null);

  useEffect(
    () => () => {
      reading.current?.release();
    },
    [],
  );

  const read = useCallback(async () => {
    currentReading?.stop();
    setProblem(null);
    const spoken = speakableText(text);
    if (spoken === '') return;

    const controller = new AbortController();
    let audio: HTMLAudioElement | null = null;
    let audioUrl: string | null = null;
    let utterance: SpeechSynthesisUtterance | null = null;
    let ended = false;
    // Stops and frees everything this reading holds; `quietly` when the component is going away.
    const end = (quietly: boolean) => {
      if (ended) return;
      ended = true;
      controller.abort();
      if (audio !== null) {
        audio.onended = null;
        audio.onerror = null;
        audio.pause();
      }
      if (audioUrl !== null) URL.revokeObjectURL(audioUrl);
      if (utterance !== null) {
        utterance.onend = null;
        utterance.onerror = null;
        browserSpeech()?.cancel();
      }
      if (currentReading === handle) currentReading = null;
      if (reading.current === handle) reading.current = null;
      if (!quietly) setPhase('idle');
    };
    const handle: Reading = { stop: () => end(false), release: () => end(true) };
    reading.current = handle;
    currentReading = handle;
    setPhase('loading');

    try {
      const audioBlob = await synthesizeSpeech(withinSynthesisLimit(spoken), { signal: controller.signal });
      if (ended) return;
      audioUrl = URL.createObjectURL(audioBlob);
      audio = new Audio(audioUrl);
      audio.onended = () => end(false);
      audio.onerror = () => {
        setProblem({ message: 'The audio could not be played.' });
        end(false);
      };
      await audio.play();
      if (!ended) setPhase('playing');
    } catch (error) {
      if (ended) return;
      const speech = browserSpeech();
      if (error instanceof ApiError && error.code === ErrorCode.SpeechUnavailable && speech !== null) {
        utterance = new SpeechSynthesisUtterance(spoken);
        utterance.onend = () => end(false);
        utterance.onerror = (event) => {
          // Stopped on purpose (Stop reading, another reading): nothing went wrong.
          if (event.error !== 'interrupted' && event.error !== 'canceled') {
            setProblem({ message: 'The browser could not read the answer aloud: it may have no voice installed.', detail: error.message });
          }
          end(false);
        };
        speech.cancel();
        speech.speak(utterance);
        setPhase('playing');
        return;
      }
      if (error instanceof ApiError && error.code === ErrorCode.SpeechUnavailable) {
        setProblem({
          message: 'Reading aloud is not available: the server has no speech provider and this browser cannot speak.',
          detail: error.message,
        });
      } else if (errorName(error) === 'NotAllowedError') {
        setProblem({ message: 'The browser did not allow the audio to play. Press Read aloud again.' });
      } else {
        setProblem({ message: `The answer could not be read aloud: ${errorMessage(error)}` });
      }
      end(false);
    }
  }, [text]);

  const busy = phase !== 'idle';
  return (
    <div className="voice">
      <button
        type="button"
        className={`button button--small voice-button${busy ? ' voice-button--active' : ''}`}
        title={busy ? 'Stop reading' : 'Read aloud'}
        aria-busy={phase === 'loading' ? true : undefined}
        onClick={() => (busy ? reading.current?.stop() : void read())}
      >
        {busy ? <StopIcon /> : <SpeakerIcon />}
        <span className="visually-hidden">{busy ? 'Stop reading' : 'Read aloud'}</span>
      </button>
      <ProblemAlert problem={problem} />
    </div>
  );
}
