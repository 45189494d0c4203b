import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One chat between a user and the agent; only its owner can see it. */
@Entity({ name: 'conversations' })
export class ConversationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set on every new message; the list is ordered by it. */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
