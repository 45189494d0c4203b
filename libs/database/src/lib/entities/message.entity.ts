import type { ChatMessageRole, RunStatus, ToolCallRecord } from '@aegis/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A user turn or the agent's answer, with the tool calls, model, tokens and cost of the run behind it. */
@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId: string;

  @Column({ type: 'varchar', length: 16 })
  role: ChatMessageRole;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'file_ids', type: 'jsonb' })
  fileIds: string[];

  /** Each call with its arguments, governance's answer (result, refusal or approval) and the action id. */
  @Column({ name: 'tool_calls', type: 'jsonb' })
  toolCalls: ToolCallRecord[];

  @Column({ type: 'varchar', length: 128, nullable: true })
  model: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  provider: string | null;

  @Column({ name: 'input_tokens', type: 'integer' })
  inputTokens: number;

  @Column({ name: 'output_tokens', type: 'integer' })
  outputTokens: number;

  @Column({ name: 'cost_micro_dollars', type: 'integer' })
  costMicroDollars: number;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  status: RunStatus | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
