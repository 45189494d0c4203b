import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A file a user uploaded; the bytes live on disk under DATA_DIR/uploads by sha256, shared by identical uploads. */
@Entity({ name: 'uploads' })
export class UploadEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  /** The client's file name, sanitised; never used as a path. */
  @Column({ type: 'varchar', length: 255 })
  name: string;

  /** Detected from the bytes, never taken from the client. */
  @Column({ type: 'varchar', length: 128 })
  mime: string;

  /** bigint comes back as a string. */
  @Column({ type: 'bigint' })
  size: string;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
