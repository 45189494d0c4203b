import { renewSessionAfterUnauthorized } from '../../../lib/api-client';
import { apiErrorFrom } from '../../../lib/api-error';
import { withCsrfHeader } from '../../../lib/csrf';

const TRANSCRIPTIONS_PATH = '/api/speech/transcriptions';
const SYNTHESIS_PATH = '/api/speech/synthesis';

/** The longest text the server reads aloud in one request. */
export const SYNTHESIS_MAX_CHARACTERS = 4000;

export interface Transcription {
  text: string;
  provider: string;
  model: string;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Sends a request built afresh each time (a body is spent once), with the CSRF header and the
 * session cookies; after a 401 the session is refreshed once and the request sent again.
 * Throws ApiError with the server's message for any answer that is not ok.
 */
async function send(build: () => Request): Promise<Response> {
  let response = await fetch(withCsrfHeader(build()));
  if (response.status === 401 && (await renewSessionAfterUnauthorized())) {
    response = await fetch(withCsrfHeader(build()));
  }
  if (!response.ok) throw apiErrorFrom(response, await readJson(response));
  return response;
}

const EXTENSION_BY_TYPE: Readonly<Record<string, string>> = {
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
};

/** A file name for the recording; the server goes by its bytes, the name only helps people reading logs. */
function recordingName(audio: Blob): string {
  const type = audio.type.split(';')[0]?.trim() ?? '';
  return `recording.${EXTENSION_BY_TYPE[type] ?? 'webm'}`;
}

/** POST /api/speech/transcriptions (multipart `file`): the words spoken in a recording. */
export async function transcribeAudio(audio: Blob, { signal }: { signal?: AbortSignal } = {}): Promise<Transcription> {
  const response = await send(() => {
    const form = new FormData();
    form.append('file', audio, recordingName(audio));
    return new Request(TRANSCRIPTIONS_PATH, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      signal,
      headers: { Accept: 'application/json' },
    });
  });
  const body = await readJson(response);
  const text = typeof body === 'object' && body !== null ? (body as { text?: unknown }).text : undefined;
  if (typeof text !== 'string') throw apiErrorFrom(response, body);
  const { provider, model } = body as { provider?: unknown; model?: unknown };
  return { text, provider: typeof provider === 'string' ? provider : '', model: typeof model === 'string' ? model : '' };
}

/** POST /api/speech/synthesis {text}: the text spoken, as audio bytes. */
export async function synthesizeSpeech(text: string, { signal }: { signal?: AbortSignal } = {}): Promise<Blob> {
  const response = await send(
    () =>
      new Request(SYNTHESIS_PATH, {
        method: 'POST',
        body: JSON.stringify({ text }),
        credentials: 'same-origin',
        signal,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  return response.blob();
}

/**
 * An answer's Markdown as text worth hearing: no code blocks, link targets, emphasis marks,
 * heading or list markers, or HTML; links and images keep their words.
 */
export function speakableText(markdown: string): string {
  return (
    markdown
      // Fenced code is mentioned, not read out character by character (an unclosed fence runs to the end).
      .replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^\1[^\n]*$|(?![\s\S]))/gm, ' (code block) ')
      .replace(/<\/?[A-Za-z][^>\n]*>/g, ' ')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/^\s{0,3}\[[^\]]+\]:\s*\S+.*$/gm, '')
      .replace(/`([^`\n]+)`/g, '$1')
      .replace(/^\s{0,3}#{1,6}\s+/gm, '')
      .replace(/^\s{0,3}>\s?/gm, '')
      .replace(/^\s*(?:[-*_]\s*){3,}$/gm, '')
      .replace(/^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/gm, '')
      .replace(/^\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*$/gm, '')
      .replace(/\|/g, ' ')
      .replace(/\*\*(\S(?:[^\n]*?\S)?)\*\*/g, '$1')
      .replace(/\*(\S(?:[^\n]*?\S)?)\*/g, '$1')
      .replace(/~~(\S(?:[^\n]*?\S)?)~~/g, '$1')
      // Underscores mark emphasis only at word edges: snake_case names stay whole.
      .replace(/(^|[^\w])__(\S(?:[^\n]*?\S)?)__(?!\w)/g, '$1$2')
      .replace(/(^|[^\w])_(\S(?:[^\n]*?\S)?)_(?!\w)/g, '$1$2')
      .replace(/[ \t]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .replace(/\n{2,}/g, '\n')
      .trim()
  );
}

/** At most SYNTHESIS_MAX_CHARACTERS, cut after the last full sentence that fits. */
export function withinSynthesisLimit(text: string): string {
  if (text.length <= SYNTHESIS_MAX_CHARACTERS) return text;
  const head = text.slice(0, SYNTHESIS_MAX_CHARACTERS);
  const lastStop = Math.max(head.lastIndexOf('. '), head.lastIndexOf('.\n'), head.lastIndexOf('? '), head.lastIndexOf('! '));
  return lastStop > SYNTHESIS_MAX_CHARACTERS / 2 ? head.slice(0, lastStop + 1) : head;
}
