import { UploadEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, type Repository } from 'typeorm';

/** Advisory-lock namespaces (first key of pg_advisory_xact_lock(int, int)): a user's quota, and one stored content. */
const UPLOAD_QUOTA_LOCK = 0x41455051;
const UPLOAD_CONTENT_LOCK = 0x41455043;

type NewUpload = Pick<UploadEntity, 'ownerId' | 'name' | 'mime' | 'sha256'> & { size: number };

/** The uploads table inside one transaction, for the steps that must not interleave with another user's or request's. */
class UploadsTransaction {
  private readonly uploads: Repository<UploadEntity>;

  constructor(private readonly manager: EntityManager) {
    this.uploads = manager.getRepository(UploadEntity);
  }

  /** Holds the user's quota until the transaction ends: one upload of theirs at a time past this point. */
  async lockQuota(ownerId: string): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [UPLOAD_QUOTA_LOCK, ownerId]);
  }

  /** Holds one content (by its sha256) until the transaction ends, so storing and removing its bytes cannot interleave. */
  async lockContent(sha256: string): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [UPLOAD_CONTENT_LOCK, sha256]);
  }

  /** The bytes of all of a user's uploads (each counts, even when its content is stored once for several). */
  async usedBytes(ownerId: string): Promise<number> {
    const [row] = await this.manager.query<{ used: string }[]>(
      `SELECT coalesce(sum(size), 0)::text AS used FROM uploads WHERE owner_id = $1`,
      [ownerId],
    );
    return Number(row.used);
  }

  /** Inserts an upload; returns its id. */
  async insert(upload: NewUpload): Promise<string> {
    return (await this.uploads.save(this.uploads.create({ ...upload, size: String(upload.size) }))).id;
  }

  findOwned(ownerId: string, id: string): Promise<UploadEntity | null> {
    return this.uploads.findOneBy({ id, ownerId });
  }

  async delete(id: string): Promise<void> {
    await this.uploads.delete({ id });
  }

  /** How many uploads (of anyone) have this content. */
  countWithContent(sha256: string): Promise<number> {
    return this.uploads.countBy({ sha256 });
  }
}

/** uploads: rows of the files users uploaded (the bytes are in UploadStore, by content). */
@Injectable()
export class UploadsRepository {
  private readonly uploads: Repository<UploadEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.uploads = dataSource.getRepository(UploadEntity);
  }

  /** Runs `work` in one transaction; its locks are released when it ends. */
  transaction<T>(work: (uploads: UploadsTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new UploadsTransaction(manager)));
  }

  findById(id: string): Promise<UploadEntity> {
    return this.uploads.findOneByOrFail({ id });
  }

  findOwned(ownerId: string, id: string): Promise<UploadEntity | null> {
    return this.uploads.findOneBy({ id, ownerId });
  }

  /** The user's uploads among `ids` (others' and missing ones are left out). */
  findOwnedIn(ownerId: string, ids: readonly string[]): Promise<UploadEntity[]> {
    return this.uploads.findBy({ id: In([...ids]), ownerId });
  }
}
