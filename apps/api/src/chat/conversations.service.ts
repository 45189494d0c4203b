import type { ChatMessageView, ConversationView } from '@aegis/contracts';
import { ChatException, ChatExceptionCode } from './chat.exception';
import type { ConversationEntity, MessageEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { ConversationsRepository, type NewMessage } from './conversations.repository';

const CONVERSATION_PAGE_SIZE = 20;
const TITLE_LENGTH = 80;

function toConversationView(conversation: ConversationEntity): ConversationView {
  return {
    id: conversation.id,
    title: conversation.title,
    createdAt: conversation.createdAt.toISOString(),
    updatedAt: conversation.updatedAt.toISOString(),
  };
}

function toMessageView(message: MessageEntity): ChatMessageView {
  return {
    id: message.id,
    conversationId: message.conversationId,
    role: message.role,
    content: message.content,
    fileIds: message.fileIds,
    // Messages stored before tool calls carried their class have none: they read as unclassified.
    toolCalls: message.toolCalls.map((call) => ({ ...call, actionClass: call.actionClass ?? null })),
    model: message.model,
    provider: message.provider,
    inputTokens: message.inputTokens,
    outputTokens: message.outputTokens,
    costMicroDollars: message.costMicroDollars,
    runId: message.runId,
    status: message.status,
    createdAt: message.createdAt.toISOString(),
  };
}

function encodeCursor(conversation: ConversationView): string {
  return Buffer.from(`${conversation.updatedAt}|${conversation.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { updatedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const updatedAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(updatedAt.getTime()))
    throw new ChatException(ChatExceptionCode.ValidationFailed, 'cursor is not valid');
  return { updatedAt, id };
}

/** Owner-only conversations: someone else's conversation is reported as missing, never as forbidden. */
@Injectable()
export class ConversationsService {
  constructor(private readonly repository: ConversationsRepository) {}

  async create(userId: string, title?: string): Promise<ConversationView> {
    const text = (title ?? '').trim() || 'New conversation';
    return toConversationView(await this.repository.create(userId, text.slice(0, TITLE_LENGTH), new Date()));
  }

  /** A conversation titled after its first message. */
  async createFor(userId: string, firstMessage: string): Promise<ConversationView> {
    return this.create(userId, firstMessage.replace(/\s+/g, ' '));
  }

  async list(userId: string, cursor?: string, titleContains?: string): Promise<{ items: ConversationView[]; nextCursor: string | null }> {
    const search = titleContains?.trim() || undefined;
    const rows = await this.repository.listForUser(userId, CONVERSATION_PAGE_SIZE + 1, cursor ? decodeCursor(cursor) : undefined, search);
    const page = rows.slice(0, CONVERSATION_PAGE_SIZE);
    return {
      items: page,
      nextCursor: rows.length > CONVERSATION_PAGE_SIZE ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  async requireOwned(id: string, userId: string): Promise<ConversationEntity> {
    const conversation = await this.repository.findById(id);
    if (!conversation || conversation.userId !== userId)
      throw new ChatException(ChatExceptionCode.NotFound, `There is no conversation ${id}`);
    return conversation;
  }

  async messages(id: string, userId: string): Promise<ChatMessageView[]> {
    await this.requireOwned(id, userId);
    return (await this.repository.messagesOf(id)).map(toMessageView);
  }

  /** A new title; the conversation keeps its place in the list (renaming is not activity). */
  async rename(id: string, userId: string, title: string): Promise<ConversationView> {
    await this.requireOwned(id, userId);
    const renamed = await this.repository.rename(id, title.trim());
    if (!renamed) throw new ChatException(ChatExceptionCode.NotFound, `There is no conversation ${id}`);
    return toConversationView(renamed);
  }

  async delete(id: string, userId: string): Promise<void> {
    await this.requireOwned(id, userId);
    await this.repository.delete(id);
  }

  async addMessage(message: NewMessage): Promise<ChatMessageView> {
    return toMessageView(await this.repository.addMessage(message, new Date()));
  }
}
