import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MemoryItemKind = 'fact' | 'summary';

/**
 * One long-term memory of one user. The generated `search_vector` and the optional `embedding`
 * (present only where pgvector is) are not mapped: libs/memory reads them with SQL.
 */
@Entity({ name: 'memory_items' })
export class MemoryItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: MemoryItemKind;

  @Column({ type: 'text' })
  content: string;

  /** The conversation it came from, if any. */
  @Column({ type: 'uuid', nullable: true })
  source: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
