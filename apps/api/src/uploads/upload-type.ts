import { extname } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { UploadsException, UploadsExceptionCode } from './uploads.exception';

/** Binary types accepted, as file-type names them from the magic bytes. */
const BINARY_UPLOAD_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'];
export const TEXT_UPLOAD_TYPES: readonly string[] = ['text/plain', 'text/markdown', 'text/csv', 'application/json'];

const TEXT_TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
};

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Markup could run as a page if ever served inline (HTML, SVG, XML): refused even as "text". */
function looksLikeMarkup(text: string): boolean {
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('<');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The upload's type from its bytes alone (the client's declared type is never consulted): an
 * allowlisted binary type by magic bytes, or UTF-8 text without NULs whose flavour (markdown,
 * CSV, JSON) comes from the file name's extension. Anything else is 415.
 */
export async function detectUploadType(bytes: Buffer, name: string): Promise<string> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    if (BINARY_UPLOAD_TYPES.includes(detected.mime)) return detected.mime;
    throw new UploadsException(UploadsExceptionCode.UnsupportedMediaType, `Files of type ${detected.mime} are not accepted`);
  }
  if (bytes.length > 0 && isUtf8Text(bytes)) {
    const text = bytes.toString('utf8');
    if (!looksLikeMarkup(text)) {
      const byExtension = TEXT_TYPE_BY_EXTENSION[extname(name).toLowerCase()];
      if (byExtension === 'application/json') return isJson(text) ? byExtension : 'text/plain';
      return byExtension ?? 'text/plain';
    }
  }
  throw new UploadsException(
    UploadsExceptionCode.UnsupportedMediaType,
    'Only PNG, JPEG, GIF, WebP, PDF and plain-text files (text, markdown, CSV, JSON) are accepted',
  );
}

/** A display name safe to store and to put in a header: no path, no control characters, at most 255 characters. */
export function sanitiseUploadName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = [...base.normalize('NFC')]
    .map((char) => (char.charCodeAt(0) < 0x20 || char === '\u007f' || '"<>|:*?'.includes(char) ? '_' : char))
    .join('')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 255);
  return cleaned.length > 0 ? cleaned : 'upload';
}
