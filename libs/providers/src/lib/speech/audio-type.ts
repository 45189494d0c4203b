/** The recordings the transcription endpoint takes, as OpenAI-compatible servers name them (by file extension). */
export interface AudioType {
  /** What the upstream is told, e.g. `audio/webm`. */
  mediaType: string;
  /** OpenAI-compatible servers read the format from the file name's extension. */
  extension: string;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));

/** An MPEG audio frame header: 11 sync bits, a layer, and a bitrate other than "bad". */
function isMpegFrame(bytes: Uint8Array): boolean {
  const [first, second, third] = bytes;
  if (first !== 0xff || second === undefined || third === undefined) return false;
  return (second & 0xe0) === 0xe0 && (second & 0x06) !== 0 && (third & 0xf0) !== 0xf0;
}

/**
 * The audio type of a recording, from its bytes (never from the name or Content-Type a client
 * claims): WebM/Matroska (Chrome, Firefox), Ogg (Firefox), WAV, MP3/MPEG, MP4/M4A (Safari), FLAC.
 * Undefined for anything else.
 */
export function detectAudioType(bytes: Uint8Array): AudioType | undefined {
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return { mediaType: 'audio/webm', extension: 'webm' };
  if (startsWith(bytes, ascii('OggS'))) return { mediaType: 'audio/ogg', extension: 'ogg' };
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WAVE'), 8)) return { mediaType: 'audio/wav', extension: 'wav' };
  if (startsWith(bytes, ascii('fLaC'))) return { mediaType: 'audio/flac', extension: 'flac' };
  if (startsWith(bytes, ascii('ftyp'), 4)) return { mediaType: 'audio/mp4', extension: 'm4a' };
  if (startsWith(bytes, ascii('ID3')) || isMpegFrame(bytes)) return { mediaType: 'audio/mpeg', extension: 'mp3' };
  return undefined;
}

/** For messages: the formats detectAudioType knows. */
export const AUDIO_FORMATS = 'webm, ogg, wav, mp3, m4a/mp4, mpeg, flac';
