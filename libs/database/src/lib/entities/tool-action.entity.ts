import type { ActionClass, Role } from '@aegis/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ToolActionStatus = 'running' | 'completed' | 'failed';

/** One tool run through governance: what ran, how it was verified, and how to undo it. */
@Entity({ name: 'tool_actions' })
export class ToolActionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  tool: string;

  @Column({ name: 'action_class', type: 'varchar', length: 16 })
  actionClass: ActionClass;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType: 'user' | 'api_key' | 'system';

  @Column({ name: 'actor_id', type: 'varchar', length: 64, nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 128, nullable: true })
  actorName: string | null;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId: string | null;

  @Column({ name: 'approval_id', type: 'uuid', nullable: true })
  approvalId: string | null;

  @Column({ name: 'args_sha256', type: 'char', length: 64 })
  argsSha256: string;

  @Column({ type: 'varchar', length: 16 })
  status: ToolActionStatus;

  @Column({ type: 'jsonb', nullable: true })
  verification: { verified: boolean; detail: string } | null;

  /** The tool's rollback record (libs/sandbox-executor RollbackRecord); a file's previous content is sealed (docs/governance.md "Rollback records"). */
  @Column({ type: 'jsonb', nullable: true })
  rollback: Record<string, string | string[] | null> | null;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'rolled_back_at', type: 'timestamptz', nullable: true })
  rolledBackAt: Date | null;

  @Column({ name: 'rolled_back_by_id', type: 'uuid', nullable: true })
  rolledBackById: string | null;

  @Column({ name: 'rolled_back_by_name', type: 'varchar', length: 128, nullable: true })
  rolledBackByName: string | null;
}
