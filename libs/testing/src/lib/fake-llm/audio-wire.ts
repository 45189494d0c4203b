import type { FakeSpeech, FakeTranscription } from './fake-llm.types';
import { FAKE_TRANSCRIPTION_TEXT } from './fake-llm.types';
import { jsonBody, type WireResponse } from './wire';

/** One MPEG-1 Layer III frame, 128 kbit/s, 44.1 kHz, joint stereo: a header and zeroed side info decode as silence. */
const MP3_FRAME_BYTES = 417;
const MP3_FRAME_HEADER = [0xff, 0xfb, 0x90, 0x64];

/** About a quarter of a second of silence as MP3 (ten frames), playable by browsers. */
export function silentMp3(frames = 10): Buffer {
  const frame = Buffer.alloc(MP3_FRAME_BYTES, 0);
  Buffer.from(MP3_FRAME_HEADER).copy(frame);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

/** A tenth of a second of 16-bit mono silence at 16 kHz as a WAV file. */
export function silentWav(samples = 1600, sampleRate = 16_000): Buffer {
  const data = samples * 2;
  const wav = Buffer.alloc(44 + data, 0);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  return wav;
}

/** OpenAI's `response_format: json` answer (whisper reports duration, gpt-4o-transcribe tokens). */
export function transcriptionBody(step: FakeTranscription | undefined): WireResponse {
  const usage = step?.usage
    ? {
        type: 'tokens',
        input_tokens: step.usage.inputTokens,
        output_tokens: step.usage.outputTokens,
        total_tokens: step.usage.inputTokens + step.usage.outputTokens,
      }
    : { type: 'duration', seconds: 1 };
  return jsonBody(200, JSON.stringify({ text: step?.text ?? FAKE_TRANSCRIPTION_TEXT, usage }));
}

/** The audio bytes of `/audio/speech`, like OpenAI: the body is the file, typed by its format. */
export function speechBody(step: FakeSpeech | undefined, format: string): WireResponse {
  const wav = format === 'wav';
  const audio = step?.audio ?? (wav ? silentWav() : silentMp3());
  return { type: 'body', status: 200, headers: { 'content-type': step?.contentType ?? (wav ? 'audio/wav' : 'audio/mpeg') }, body: audio };
}
