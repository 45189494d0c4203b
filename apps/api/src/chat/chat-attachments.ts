import type { ImagePart, TextPart } from '@aegis/providers';
import { Injectable } from '@nestjs/common';
import { UploadsService } from '../uploads/uploads.service';

/** Turns a message's `fileIds` into model input: images as image parts, text and PDFs as their text. */
@Injectable()
export class ChatAttachments {
  constructor(private readonly uploads: UploadsService) {}

  /** Throws NOT_FOUND when any file is missing or not the user's. */
  async partsFor(fileIds: readonly string[], userId: string): Promise<(TextPart | ImagePart)[]> {
    const files = await this.uploads.resolveForUser(fileIds, userId);
    const parts: (TextPart | ImagePart)[] = [];
    for (const file of files) {
      if (file.mime.startsWith('image/')) {
        parts.push({ type: 'image', image: new Uint8Array(file.bytes), mediaType: file.mime });
      } else {
        parts.push({ type: 'text', text: `Attached file ${file.name} (${file.mime}):\n${await this.uploads.extractText(file)}` });
      }
    }
    return parts;
  }
}
