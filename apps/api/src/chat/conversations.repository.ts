import type { ChatMessageRole, ConversationView, RunStatus, ToolCallRecord } from '@aegis/contracts';
import { ConversationEntity, MessageEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type Repository } from 'typeorm';

export interface NewMessage {
  conversationId: string;
  role: ChatMessageRole;
  content: string;
  fileIds?: string[];
  toolCalls?: ToolCallRecord[];
  model?: string | null;
  provider?: string | null;
  inputTokens?: number;
  outputTokens?: number;
  costMicroDollars?: number;
  runId?: string | null;
  status?: RunStatus | null;
}

/** A timestamp as `Date.toISOString()` writes it (UTC, milliseconds), formatted by PostgreSQL. */
const isoTimestamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const LIST_COLUMNS = `id, title, ${isoTimestamp('created_at')} AS "createdAt", ${isoTimestamp('updated_at')} AS "updatedAt"`;

/** Conversations and their messages in PostgreSQL; ownership is checked by the service. */
@Injectable()
export class ConversationsRepository {
  private readonly conversations: Repository<ConversationEntity>;
  private readonly messages: Repository<MessageEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.conversations = dataSource.getRepository(ConversationEntity);
    this.messages = dataSource.getRepository(MessageEntity);
  }

  create(userId: string, title: string, now: Date): Promise<ConversationEntity> {
    return this.conversations.save(this.conversations.create({ userId, title, createdAt: now, updatedAt: now }));
  }

  findById(id: string): Promise<ConversationEntity | null> {
    return this.conversations.findOneBy({ id });
  }

  /**
   * One page of a user's conversations as the API shows them, newest activity first, after the (updatedAt, id) cursor;
   * `titleContains` filters case-insensitively. Plain SQL that returns the view itself, timestamps already in ISO form:
   * the list is the hottest read, and TypeORM's query builder and mapping, then parsing 40 dates and printing them again,
   * cost it several times the CPU of the query itself (docs/performance.md).
   */
  listForUser(userId: string, limit: number, after?: { updatedAt: Date; id: string }, titleContains?: string): Promise<ConversationView[]> {
    const parameters: unknown[] = [userId];
    const conditions = ['user_id = $1'];
    if (after) {
      parameters.push(after.updatedAt, after.id);
      conditions.push(`(updated_at, id) < ($${parameters.length - 1}, $${parameters.length})`);
    }
    if (titleContains) {
      // The search text is a literal: LIKE's wildcards and its escape character are escaped.
      parameters.push(`%${titleContains.replace(/[\\%_]/g, '\\$&')}%`);
      conditions.push(`title ILIKE $${parameters.length} ESCAPE '\\'`);
    }
    parameters.push(limit);
    return this.dataSource.query(
      `SELECT ${LIST_COLUMNS} FROM conversations WHERE ${conditions.join(' AND ')} ` +
        `ORDER BY updated_at DESC, id DESC LIMIT $${parameters.length}`,
      parameters,
    );
  }

  async rename(id: string, title: string): Promise<ConversationEntity | null> {
    await this.conversations.update({ id }, { title });
    return this.findById(id);
  }

  async delete(id: string): Promise<void> {
    await this.conversations.delete({ id });
  }

  async addMessage(message: NewMessage, now: Date): Promise<MessageEntity> {
    const saved = await this.messages.save(
      this.messages.create({
        fileIds: [],
        toolCalls: [],
        model: null,
        provider: null,
        inputTokens: 0,
        outputTokens: 0,
        costMicroDollars: 0,
        runId: null,
        status: null,
        ...message,
        createdAt: now,
      }),
    );
    await this.conversations.update({ id: message.conversationId }, { updatedAt: now });
    return saved;
  }

  messagesOf(conversationId: string): Promise<MessageEntity[]> {
    return this.messages.find({ where: { conversationId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
