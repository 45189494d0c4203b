import { detectAudioType } from './audio-type';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((character) => character.charCodeAt(0)) : part)));

describe('detectAudioType', () => {
  it.each([
    ['webm', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]), 'audio/webm', 'webm'],
    ['ogg', bytes('OggS', [0, 2, 0, 0]), 'audio/ogg', 'ogg'],
    ['wav', bytes('RIFF', [36, 0, 0, 0], 'WAVEfmt '), 'audio/wav', 'wav'],
    ['flac', bytes('fLaC', [0, 0, 0, 34]), 'audio/flac', 'flac'],
    ['m4a', bytes([0, 0, 0, 0x20], 'ftypM4A ', [0, 0, 0, 0]), 'audio/mp4', 'm4a'],
    ['mp3 with ID3', bytes('ID3', [4, 0, 0, 0, 0, 0, 0]), 'audio/mpeg', 'mp3'],
    ['mp3 frame', bytes([0xff, 0xfb, 0x90, 0x64, 0, 0]), 'audio/mpeg', 'mp3'],
  ])('recognises %s', (_name, audio, mediaType, extension) => {
    expect(detectAudioType(audio)).toEqual({ mediaType, extension });
  });

  it.each([
    ['text', bytes('hello, this is not audio')],
    ['PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a])],
    ['RIFF that is not WAVE', bytes('RIFF', [36, 0, 0, 0], 'AVI LIST')],
    ['nothing', bytes()],
  ])('refuses %s', (_name, audio) => {
    expect(detectAudioType(audio)).toBeUndefined();
  });
});
