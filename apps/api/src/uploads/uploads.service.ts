import { type AppConfig, APP_CONFIG } from '@aegis/config';
import { isUuid } from '@aegis/contracts';
import type { UploadEntity } from '@aegis/database';
import { Inject, Injectable } from '@nestjs/common';
import { readPdfText } from './pdf-text';
import { detectUploadType, sanitiseUploadName, TEXT_UPLOAD_TYPES } from './upload-type';
import { UploadStore } from './upload-store';
import { UploadsException, UploadsExceptionCode } from './uploads.exception';
import { UploadsRepository } from './uploads.repository';

/** What an upload is to its owner and to the API. */
interface UploadSummary {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

/** An upload with its bytes, for the agent (image parts, the read tool). */
interface ResolvedUpload {
  id: string;
  name: string;
  mime: string;
  size: number;
  bytes: Buffer;
}

/** Text handed to the agent from one file is cut here (characters). */
const EXTRACTED_TEXT_MAX_CHARS = 100_000;

const megabytes = (bytes: number): string => `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;

function toSummary(entity: UploadEntity): UploadSummary {
  return {
    id: entity.id,
    name: entity.name,
    mime: entity.mime,
    size: Number(entity.size),
    sha256: entity.sha256,
    createdAt: entity.createdAt.toISOString(),
  };
}

/**
 * Uploads are owner-only: another user's id is reported as not found, like a missing one. Each
 * user's uploads add up to at most UPLOAD_QUOTA_MB; an upload counts for its owner even when the
 * same bytes are stored once for several users, so nobody's quota is spent by someone else.
 */
@Injectable()
export class UploadsService {
  constructor(
    private readonly uploads: UploadsRepository,
    private readonly store: UploadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(ownerId: string, file: { originalname?: string; buffer: Buffer }): Promise<UploadSummary> {
    const name = sanitiseUploadName(file.originalname);
    const mime = await detectUploadType(file.buffer, name);
    const size = file.buffer.length;
    const sha256 = UploadStore.sha256(file.buffer);
    const id = await this.uploads.transaction(async (uploads) => {
      // One upload of a user at a time past this lock, so concurrent uploads cannot all fit the same room.
      await uploads.lockQuota(ownerId);
      const used = await uploads.usedBytes(ownerId);
      if (used + size > this.config.uploadQuotaBytes) throw this.quotaExceeded(used, size);
      // The bytes are stored and referenced under the content's lock, so a delete of the last other copy cannot remove them in between.
      await uploads.lockContent(sha256);
      await this.store.put(file.buffer);
      return uploads.insert({ ownerId, name, mime, size, sha256 });
    });
    return toSummary(await this.uploads.findById(id));
  }

  /** Deletes the caller's upload (freeing its quota), and its bytes when no other upload has the same content. */
  async remove(ownerId: string, id: string): Promise<void> {
    await this.uploads.transaction(async (uploads) => {
      const upload = await uploads.findOwned(ownerId, id);
      if (!upload) throw new UploadsException(UploadsExceptionCode.NotFound, 'Upload not found');
      await uploads.lockContent(upload.sha256);
      await uploads.delete(upload.id);
      if ((await uploads.countWithContent(upload.sha256)) === 0) await this.store.remove(upload.sha256);
    });
  }

  private quotaExceeded(used: number, size: number): UploadsException {
    const quota = this.config.uploadQuotaBytes;
    return new UploadsException(
      UploadsExceptionCode.QuotaExceeded,
      `Your uploads would add up to ${megabytes(used + size)}, past your quota of ${megabytes(quota)} (UPLOAD_QUOTA_MB): ${megabytes(used)} used, this file is ${megabytes(size)}`,
    );
  }

  async get(ownerId: string, id: string): Promise<UploadSummary> {
    return toSummary(await this.owned(ownerId, id));
  }

  async content(ownerId: string, id: string): Promise<{ upload: UploadSummary; bytes: Buffer }> {
    const upload = await this.owned(ownerId, id);
    return { upload: toSummary(upload), bytes: await this.store.get(upload.sha256) };
  }

  /** The files with their bytes, in the order asked; NOT_FOUND if any id is not the user's. */
  async resolveForUser(fileIds: readonly string[], userId: string): Promise<ResolvedUpload[]> {
    const ids = [...new Set(fileIds)];
    if (ids.length === 0) return [];
    if (ids.some((id) => !isUuid(id))) throw new UploadsException(UploadsExceptionCode.NotFound, 'Upload not found');
    const found = await this.uploads.findOwnedIn(userId, ids);
    const byId = new Map(found.map((upload) => [upload.id, upload]));
    const resolved: ResolvedUpload[] = [];
    for (const id of ids) {
      const upload = byId.get(id);
      if (!upload) throw new UploadsException(UploadsExceptionCode.NotFound, 'Upload not found');
      resolved.push({ id, name: upload.name, mime: upload.mime, size: Number(upload.size), bytes: await this.store.get(upload.sha256) });
    }
    return resolved;
  }

  /**
   * Text of a text or PDF upload, cut at EXTRACTED_TEXT_MAX_CHARS; images have none (415). A PDF
   * is read off the event loop, up to UPLOAD_PDF_MAX_PAGES pages (the text then says how many
   * were read) and within UPLOAD_PDF_TIMEOUT_MS (else 422 DOCUMENT_TOO_COMPLEX).
   */
  async extractText(upload: Pick<ResolvedUpload, 'mime' | 'bytes'>): Promise<string> {
    let text: string;
    if (TEXT_UPLOAD_TYPES.includes(upload.mime)) {
      text = upload.bytes.toString('utf8');
    } else if (upload.mime === 'application/pdf') {
      const { maxPages, timeoutMs } = this.config.uploadPdf;
      const pdf = await readPdfText(upload.bytes, { maxPages, timeoutMs, maxChars: EXTRACTED_TEXT_MAX_CHARS });
      const cut =
        pdf.totalPages > maxPages ? `[Only the first ${maxPages} of its ${pdf.totalPages} pages were read (UPLOAD_PDF_MAX_PAGES).]\n` : '';
      text = `${cut}${pdf.text}`;
    } else {
      throw new UploadsException(UploadsExceptionCode.UnsupportedMediaType, `No text can be read from a ${upload.mime} file`);
    }
    return text.length > EXTRACTED_TEXT_MAX_CHARS ? text.slice(0, EXTRACTED_TEXT_MAX_CHARS) : text;
  }

  private async owned(ownerId: string, id: string): Promise<UploadEntity> {
    const upload = await this.uploads.findOwned(ownerId, id);
    if (!upload) throw new UploadsException(UploadsExceptionCode.NotFound, 'Upload not found');
    return upload;
  }
}
