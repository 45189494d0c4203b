import { isUuid } from '@aegis/contracts';
import { randomUUID } from 'node:crypto';
import {
  type AgentEvent,
  AgentRunner,
  type AgentRunResult,
  type ConfirmationAnswer,
  type PendingConfirmation,
  trimHistory,
} from '@aegis/agent';
import { callerOf, type Principal } from '@aegis/auth';
import type {
  ActionConfirmAck,
  ChatMessageView,
  MessageSendAck,
  MessageSendPayload,
  ServerToClientEventName,
  ServerToClientEvents,
} from '@aegis/contracts';
import { ErrorCode } from '@aegis/contracts';
import { type Caller, unstorableTextProblems } from '@aegis/governance';
import type { ChatMessage } from '@aegis/providers';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChatAttachments } from './chat-attachments';
import { CHAT_SETTINGS, type ChatSettings } from './chat.settings';
import { ChatException, ChatExceptionCode } from './chat.exception';
import { ConversationsService } from './conversations.service';
import { SocketSessions } from './socket-sessions';

/** One event as it went out, kept so a client that reconnects can be sent what it missed. */
export interface LoggedEvent<Name extends ServerToClientEventName = ServerToClientEventName> {
  name: Name;
  payload: Parameters<ServerToClientEvents[Name]>[0];
}

/** Who receives an event: the conversation's room, and with `userId` every socket of that user as well. */
export interface BroadcastTarget {
  conversationId: string;
  userId?: string;
}

/** Where a run's events go: the gateway sends them to the target's rooms. */
export type ChatBroadcast = <Name extends ServerToClientEventName>(
  target: BroadcastTarget,
  name: Name,
  payload: Parameters<ServerToClientEvents[Name]>[0],
) => void;

interface ActiveRun {
  runId: string;
  userId: string;
  conversationId: string;
  controller: AbortController;
  log: LoggedEvent[];
  done: Promise<void>;
}

/** A confirmation the run's owner has not answered yet. */
interface WaitingConfirmation {
  run: ActiveRun;
  answer: (decision: ConfirmationAnswer) => void;
}

const MAX_CONTENT_LENGTH = 32_000;
/** Files one message may attach; each is read and sent to the model. */
export const MAX_FILES_PER_MESSAGE = 10;

function validate(payload: unknown): MessageSendPayload {
  const problems: string[] = [];
  const body = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const { conversationId, content, fileIds, model } = body;
  if (typeof content !== 'string' || content.trim().length === 0) problems.push('content must be a non-empty string');
  else if (content.length > MAX_CONTENT_LENGTH) problems.push(`content must be at most ${MAX_CONTENT_LENGTH} characters`);
  if (conversationId !== undefined && (typeof conversationId !== 'string' || !isUuid(conversationId)))
    problems.push('conversationId must be a UUID');
  if (fileIds !== undefined && (!Array.isArray(fileIds) || fileIds.some((id) => typeof id !== 'string' || !isUuid(id))))
    problems.push('fileIds must be UUIDs');
  else if (Array.isArray(fileIds) && fileIds.length > MAX_FILES_PER_MESSAGE)
    problems.push(`fileIds must hold at most ${MAX_FILES_PER_MESSAGE} files`);
  if (model !== undefined && (typeof model !== 'string' || model.length > 128)) problems.push('model must be a string');
  // PostgreSQL cannot store NUL or a lone surrogate; refused here as HTTP refuses it at the door (docs/governance.md "Audit first").
  problems.push(...unstorableTextProblems(body, 'message'));
  if (problems.length > 0) throw new ChatException(ChatExceptionCode.ValidationFailed, 'Invalid message', problems);
  return body as unknown as MessageSendPayload;
}

function validateAnswer(payload: unknown): { id: string; decision: ConfirmationAnswer } {
  const body = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof body['id'] !== 'string' || !isUuid(body['id']))
    problems.push('id must be the confirmationId of a confirmation:required event');
  if (body['decision'] !== 'confirmed' && body['decision'] !== 'declined') problems.push("decision must be 'confirmed' or 'declined'");
  if (problems.length > 0) throw new ChatException(ChatExceptionCode.ValidationFailed, 'Invalid confirmation', problems);
  return { id: body['id'] as string, decision: body['decision'] as ConfirmationAnswer };
}

function toChatMessage(message: ChatMessageView): ChatMessage {
  if (message.role === 'user') return { role: 'user', content: message.content };
  const calls = message.toolCalls.map((call) => `[tool ${call.tool} → ${call.status}]`).join(' ');
  return { role: 'assistant', content: calls ? `${calls}\n${message.content}` : message.content };
}

/** Runs the agent for socket messages: persistence, events to the conversation's room, cancellation, catch-up. */
@Injectable()
export class ChatRunsService {
  private readonly logger = new Logger(ChatRunsService.name);
  private readonly runs = new Map<string, ActiveRun>();
  /** Runs started and not yet ended, per user: a slot is taken before anything is stored. */
  private readonly runsPerUser = new Map<string, number>();
  private readonly confirmations = new Map<string, WaitingConfirmation>();
  private broadcast: ChatBroadcast = () => undefined;

  constructor(
    private readonly conversations: ConversationsService,
    private readonly agent: AgentRunner,
    private readonly attachments: ChatAttachments,
    private readonly sessions: SocketSessions,
    @Inject(CHAT_SETTINGS) private readonly settings: ChatSettings,
  ) {}

  attach(broadcast: ChatBroadcast): void {
    this.broadcast = broadcast;
  }

  /**
   * Starts a run for `principal`: creates the conversation when none is given (announced through
   * `onCreated` before anything else), stores the user's message, and runs the agent in the background.
   */
  async send(
    principal: Principal,
    client: { ip?: string; userAgent?: string },
    raw: unknown,
    onCreated: (conversationId: string) => void,
  ): Promise<MessageSendAck & { ok: true }> {
    const payload = validate(raw);
    const release = this.takeRunSlot(principal.userId);
    try {
      return await this.start(principal, client, payload, onCreated, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * The answer of the run's owner to one of its `confirmation:required` events. Someone else's
   * confirmation is NOT_FOUND, like an unknown or already decided one.
   */
  decide(principal: Principal, raw: unknown): ActionConfirmAck & { ok: true } {
    const { id, decision } = validateAnswer(raw);
    const waiting = this.confirmations.get(id);
    if (!waiting || waiting.run.userId !== principal.userId)
      throw new ChatException(ChatExceptionCode.NotFound, 'No confirmation with this id is waiting for your answer');
    this.confirmations.delete(id);
    waiting.answer(decision);
    return { ok: true, decision };
  }

  /** Takes one of the user's CHAT_MAX_CONCURRENT_RUNS slots; the returned function gives it back (once). */
  private takeRunSlot(userId: string): () => void {
    const running = this.runsPerUser.get(userId) ?? 0;
    const limit = this.settings.maxConcurrentRunsPerUser;
    if (running >= limit)
      throw new ChatException(
        ChatExceptionCode.RateLimited,
        `Too many runs: at most ${limit} at once per user; wait for one to end or cancel it`,
      );
    this.runsPerUser.set(userId, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.runsPerUser.get(userId) ?? 1) - 1;
      if (left > 0) this.runsPerUser.set(userId, left);
      else this.runsPerUser.delete(userId);
    };
  }

  private async start(
    principal: Principal,
    client: { ip?: string; userAgent?: string },
    payload: MessageSendPayload,
    onCreated: (conversationId: string) => void,
    release: () => void,
  ): Promise<MessageSendAck & { ok: true }> {
    const fileIds = payload.fileIds ?? [];
    const attached = await this.attachments.partsFor(fileIds, principal.userId);
    let conversationId = payload.conversationId;
    const log: LoggedEvent[] = [];
    if (conversationId) {
      await this.conversations.requireOwned(conversationId, principal.userId);
    } else {
      const conversation = await this.conversations.createFor(principal.userId, payload.content);
      conversationId = conversation.id;
      onCreated(conversationId);
      log.push({ name: 'conversation:created', payload: { conversation } });
      this.broadcast({ conversationId }, 'conversation:created', { conversation });
    }
    const history = await this.conversations.messages(conversationId, principal.userId);
    await this.conversations.addMessage({ conversationId, role: 'user', content: payload.content, fileIds });
    const turn: ChatMessage = {
      role: 'user',
      content: attached.length > 0 ? [{ type: 'text', text: payload.content }, ...attached] : payload.content,
    };
    const messages = trimHistory([...history.map(toChatMessage), turn], this.settings.historyBudgetChars);
    const runId = randomUUID();
    const run: ActiveRun = {
      runId,
      userId: principal.userId,
      conversationId,
      controller: new AbortController(),
      log,
      done: Promise.resolve(),
    };
    this.runs.set(runId, run);
    const callerNow = async () => {
      const standing = await this.sessions.standing(principal);
      return standing ? { ...callerOf(standing, client), conversationId } : undefined;
    };
    run.done = this.execute(run, { ...callerOf(principal, client), conversationId }, callerNow, messages, payload.model).finally(release);
    return { ok: true, conversationId, runId };
  }

  /** Aborts the caller's own run; someone else's run id is ignored. */
  cancel(userId: string, runId: unknown): boolean {
    const run = typeof runId === 'string' ? this.runs.get(runId) : undefined;
    if (!run || run.userId !== userId) return false;
    run.controller.abort();
    return true;
  }

  /** The events so far of the runs in progress in a conversation the caller owns. */
  async missed(userId: string, conversationId: unknown): Promise<LoggedEvent[]> {
    if (typeof conversationId !== 'string' || !isUuid(conversationId))
      throw new ChatException(ChatExceptionCode.ValidationFailed, 'conversationId must be a UUID');
    await this.conversations.requireOwned(conversationId, userId);
    return [...this.runs.values()].filter((run) => run.conversationId === conversationId).flatMap((run) => run.log);
  }

  /** Resolves when every run in progress has ended (application shutdown, tests). */
  async settle(): Promise<void> {
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  abortAll(): void {
    for (const run of this.runs.values()) run.controller.abort();
  }

  /** Sends an event of the run and keeps it for replay; `toEveryTab` also reaches the owner's sockets outside the conversation. */
  private emit<Name extends ServerToClientEventName>(
    run: ActiveRun,
    name: Name,
    payload: Parameters<ServerToClientEvents[Name]>[0],
    toEveryTab = false,
  ): void {
    if (run.log.length < this.settings.eventLogSize) run.log.push({ name, payload });
    this.broadcast(
      toEveryTab ? { conversationId: run.conversationId, userId: run.userId } : { conversationId: run.conversationId },
      name,
      payload,
    );
  }

  /** Waits for the owner's `action:confirm`; the agent stops waiting (signal) when it expires or the run ends. */
  private awaitAnswer(run: ActiveRun, pending: PendingConfirmation, signal: AbortSignal): Promise<ConfirmationAnswer> {
    const id = pending.request.confirmationId;
    return new Promise<ConfirmationAnswer>((resolve) => {
      if (signal.aborted) return;
      this.confirmations.set(id, { run, answer: resolve });
      signal.addEventListener('abort', () => this.confirmations.delete(id), { once: true });
    });
  }

  private forward(run: ActiveRun, event: AgentEvent): void {
    const scope = { conversationId: run.conversationId, runId: run.runId };
    switch (event.type) {
      case 'model-selected':
        return this.emit(run, 'model:selected', { ...scope, provider: event.provider, model: event.model });
      case 'text-delta':
        return this.emit(run, 'message:delta', { ...scope, text: event.text });
      case 'tool-call':
        return this.emit(run, 'tool:call', { ...scope, toolCallId: event.toolCallId, tool: event.tool, args: event.args });
      case 'tool-result':
        return this.emit(run, 'tool:result', { ...scope, call: event.call });
      case 'approval-required':
        return this.emit(run, 'approval:required', event.event);
      case 'approval-decided':
        return this.emit(run, 'approval:decided', event.event);
      case 'confirmation-required': {
        const { request } = event;
        const required = {
          ...scope,
          confirmationId: request.confirmationId,
          toolCallId: event.toolCallId,
          tool: request.tool,
          actionClass: request.actionClass,
          args: request.args,
          justification: request.justification ?? null,
          expiresAt: request.expiresAt.toISOString(),
        };
        return this.emit(run, 'confirmation:required', required, true);
      }
      case 'confirmation-decided':
        return this.emit(run, 'confirmation:decided', { ...scope, confirmationId: event.confirmationId, decision: event.decision }, true);
      case 'warning':
        this.logger.warn({ runId: run.runId, code: event.code }, event.message);
        return;
    }
  }

  private async execute(
    run: ActiveRun,
    caller: Caller,
    callerNow: () => Promise<Caller | undefined>,
    messages: ChatMessage[],
    model: string | undefined,
  ): Promise<void> {
    try {
      let result: AgentRunResult;
      try {
        result = await this.agent.run({
          caller,
          runId: run.runId,
          conversationId: run.conversationId,
          messages,
          signal: run.controller.signal,
          model,
          onEvent: (event) => this.forward(run, event),
          confirm: (pending, signal) => this.awaitAnswer(run, pending, signal),
          callerNow,
        });
      } catch (error) {
        this.logger.error({ err: error, runId: run.runId }, 'an agent run failed');
        this.emit(run, 'run:error', {
          conversationId: run.conversationId,
          runId: run.runId,
          code: ErrorCode.Internal,
          message: 'The run failed',
        });
        return;
      }
      const message = await this.conversations.addMessage({
        conversationId: run.conversationId,
        role: 'assistant',
        content: result.text,
        toolCalls: result.toolCalls,
        model: result.model,
        provider: result.provider,
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
        costMicroDollars: result.costMicroDollars,
        runId: run.runId,
        status: result.status,
      });
      if (result.error)
        this.emit(run, 'run:error', {
          conversationId: run.conversationId,
          runId: run.runId,
          code: result.error.code,
          message: result.error.message,
        });
      this.emit(run, 'message:completed', { conversationId: run.conversationId, runId: run.runId, message });
    } catch (error) {
      this.logger.error({ err: error, runId: run.runId }, 'storing an agent run failed');
    } finally {
      this.runs.delete(run.runId);
    }
  }
}
