import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * LLM usage summed per UTC day, user, conversation, provider and model (one row each); written
 * by libs/providers, read for budgets and GET /api/usage. bigint columns come back as strings.
 */
@Entity({ name: 'usage_records' })
export class UsageRecordEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'date' })
  day: string;

  /** Null for work done for nobody in particular (e.g. system embeddings). */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ name: 'conversation_id', type: 'uuid', nullable: true })
  conversationId: string | null;

  @Column({ type: 'varchar', length: 32 })
  provider: string;

  @Column({ type: 'varchar', length: 128 })
  model: string;

  @Column({ type: 'integer' })
  requests: number;

  @Column({ name: 'input_tokens', type: 'bigint' })
  inputTokens: string;

  @Column({ name: 'output_tokens', type: 'bigint' })
  outputTokens: string;

  /** US dollars × 10⁶, summed exactly as integers. */
  @Column({ name: 'cost_micro_usd', type: 'bigint' })
  costMicroUsd: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
