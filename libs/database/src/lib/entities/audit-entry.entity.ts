import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuditActorType = 'user' | 'api_key' | 'anonymous' | 'system';

/** One append-only, hash-chained audit record (libs/governance AuditLog writes them). */
@Entity({ name: 'audit_entries' })
export class AuditEntryEntity {
  /** bigserial: the pg driver returns it as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType: AuditActorType;

  @Column({ name: 'actor_id', type: 'varchar', length: 64, nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 128, nullable: true })
  actorName: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  role: string | null;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId: string | null;

  @Column({ type: 'varchar', length: 128 })
  action: string;

  @Column({ name: 'action_class', type: 'varchar', length: 16, nullable: true })
  actionClass: string | null;

  @Column({ type: 'varchar', length: 32 })
  decision: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb' })
  args: Record<string, unknown>;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;
}
