import type { ActionClass, ApprovalStatus, Role } from '@aegis/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A CRITICAL action waiting for (or decided by) an admin: who asked, for what, why, with which exact arguments. */
@Entity({ name: 'approval_requests' })
export class ApprovalRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  tool: string;

  @Column({ name: 'action_class', type: 'varchar', length: 16 })
  actionClass: ActionClass;

  /** The arguments exactly as requested; the approved action runs with these and nothing else. */
  @Column({ type: 'jsonb' })
  args: Record<string, unknown>;

  /** sha256 of the canonical JSON of `args`, checked again right before the action runs. */
  @Column({ name: 'args_sha256', type: 'char', length: 64 })
  argsSha256: string;

  @Column({ type: 'text' })
  justification: string;

  @Column({ name: 'requested_by_type', type: 'varchar', length: 16 })
  requestedByType: 'user' | 'api_key';

  /** The user's id, or the API key's id. */
  @Column({ name: 'requested_by_id', type: 'varchar', length: 64 })
  requestedById: string;

  @Column({ name: 'requested_by_name', type: 'varchar', length: 128 })
  requestedByName: string;

  /** The user behind the request (the key's owner for an API key): four-eyes compares deciders with it. */
  @Column({ name: 'requested_by_user_id', type: 'uuid' })
  requestedByUserId: string;

  /** The role the action runs with once approved. */
  @Column({ name: 'requester_role', type: 'varchar', length: 16 })
  requesterRole: Role;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId: string | null;

  /** The model's tool call that asked, when the agent did (the provider's id, unbounded text). */
  @Column({ name: 'tool_call_id', type: 'text', nullable: true })
  toolCallId: string | null;

  /** The conversation of the agent run that asked (null for HTTP and API requests, and requests stored before it was kept). */
  @Column({ name: 'conversation_id', type: 'uuid', nullable: true })
  conversationId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: ApprovalStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'decided_by_id', type: 'uuid', nullable: true })
  decidedById: string | null;

  @Column({ name: 'decided_by_name', type: 'varchar', length: 128, nullable: true })
  decidedByName: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_comment', type: 'text', nullable: true })
  decisionComment: string | null;

  @Column({ name: 'action_id', type: 'uuid', nullable: true })
  actionId: string | null;
}
