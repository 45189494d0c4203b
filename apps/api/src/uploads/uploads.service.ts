import { UploadEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type Repository } from 'typeorm';
import { extractText as extractPdfText, getDocumentProxy } from 'unpdf';
import { detectUploadType, IMAGE_UPLOAD_TYPES, sanitiseUploadName, TEXT_UPLOAD_TYPES } from './upload-type';
import { UploadStore } from './upload-store';
import { UploadsException, UploadsExceptionCode } from './uploads.exception';

/** What an upload is to its owner and to the API. */
export interface UploadSummary {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

/** An upload with its bytes, for the agent (image parts, the read tool). */
export interface ResolvedUpload {
  id: string;
  name: string;
  mime: string;
  size: number;
  bytes: Buffer;
}

/** Text handed to the agent from one file is cut here (characters). */
export const EXTRACTED_TEXT_MAX_CHARS = 100_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toSummary(entity: UploadEntity): UploadSummary {
  return { id: entity.id, name: entity.name, mime: entity.mime, size: Number(entity.size), sha256: entity.sha256, createdAt: entity.createdAt.toISOString() };
}

export function isImageUpload(upload: { mime: string }): boolean {
  return IMAGE_UPLOAD_TYPES.includes(upload.mime);
}

/** Uploads are owner-only: another user's id is reported as not found, like a missing one. */
@Injectable()
export class UploadsService {
  private readonly uploads: Repository<UploadEntity>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly store: UploadStore,
  ) {
    this.uploads = dataSource.getRepository(UploadEntity);
  }

  async create(ownerId: string, file: { originalname?: string; buffer: Buffer }): Promise<UploadSummary> {
    const name = sanitiseUploadName(file.originalname);
    const mime = await detectUploadType(file.buffer, name);
    const sha256 = await this.store.put(file.buffer);
    const saved = await this.uploads.save(this.uploads.create({ ownerId, name, mime, size: String(file.buffer.length), sha256 }));
    return toSummary(await this.uploads.findOneByOrFail({ id: saved.id }));
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
    if (ids.some((id) => !UUID.test(id))) throw new UploadsException(UploadsExceptionCode.NotFound, 'Upload not found');
    const found = await this.uploads.findBy({ id: In(ids), ownerId: userId });
    const byId = new Map(found.map((upload) => [upload.id, upload]));
    const resolved: ResolvedUpload[] = [];
    for (const id of ids) {
      const upload = byId.get(id);
      if (!upload) throw new UploadsException(UploadsExceptionCode.NotFound, 'Upload not found');
      resolved.push({ id, name: upload.name, mime: upload.mime, size: Number(upload.size), bytes: await this.store.get(upload.sha256) });
    }
    return resolved;
  }

  /** Text of a text or PDF upload, cut at EXTRACTED_TEXT_MAX_CHARS; images have none (415). */
  async extractText(upload: Pick<ResolvedUpload, 'mime' | 'bytes'>): Promise<string> {
    let text: string;
    if (TEXT_UPLOAD_TYPES.includes(upload.mime)) {
      text = upload.bytes.toString('utf8');
    } else if (upload.mime === 'application/pdf') {
      const pdf = await getDocumentProxy(new Uint8Array(upload.bytes));
      text = (await extractPdfText(pdf, { mergePages: true })).text;
    } else {
      throw new UploadsException(UploadsExceptionCode.UnsupportedMediaType, `No text can be read from a ${upload.mime} file`);
    }
    return text.length > EXTRACTED_TEXT_MAX_CHARS ? text.slice(0, EXTRACTED_TEXT_MAX_CHARS) : text;
  }

  private async owned(ownerId: string, id: string): Promise<UploadEntity> {
    const upload = await this.uploads.findOneBy({ id, ownerId });
    if (!upload) throw new UploadsException(UploadsExceptionCode.NotFound, 'Upload not found');
    return upload;
  }
}
