import type { ChatMessageRole, RunStatus, ToolCallRecord } from '@aegis/contracts';
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

/** Conversations and their messages in PostgreSQL; ownership is checked by the service. */
@Injectable()
export class ConversationsRepository {
  private readonly conversations: Repository<ConversationEntity>;
  private readonly messages: Repository<MessageEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.conversations = dataSource.getRepository(ConversationEntity);
    this.messages = dataSource.getRepository(MessageEntity);
  }

  create(userId: string, title: string, now: Date): Promise<ConversationEntity> {
    return this.conversations.save(this.conversations.create({ userId, title, createdAt: now, updatedAt: now }));
  }

  findById(id: string): Promise<ConversationEntity | null> {
    return this.conversations.findOneBy({ id });
  }

  /** One page of a user's conversations, newest activity first, after the (updatedAt, id) cursor; `titleContains` filters case-insensitively. */
  listForUser(
    userId: string,
    limit: number,
    after?: { updatedAt: Date; id: string },
    titleContains?: string,
  ): Promise<ConversationEntity[]> {
    const query = this.conversations
      .createQueryBuilder('c')
      .where('c.user_id = :userId', { userId })
      .orderBy('c.updated_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit);
    if (after) query.andWhere('(c.updated_at, c.id) < (:updatedAt, :id)', { updatedAt: after.updatedAt, id: after.id });
    // The search text is a literal: LIKE's wildcards and its escape character are escaped.
    if (titleContains) query.andWhere("c.title ILIKE :pattern ESCAPE '\\'", { pattern: `%${titleContains.replace(/[\\%_]/g, '\\$&')}%` });
    return query.getMany();
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
