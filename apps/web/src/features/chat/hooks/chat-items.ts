import type { ChatMessageView, ToolCallRecord } from '@aegis/contracts';
import type { ChatMessageItem, ToolCallView } from '../types';

/** The thread's items built from what the server stores or sends, and the ids of the ones this page makes. */

export function newToolCall(toolCallId: string, tool: string, args: unknown): ToolCallView {
  return {
    toolCallId,
    tool,
    args,
    actionClass: null,
    phase: 'running',
    output: null,
    errorCode: null,
    actionId: null,
    approval: null,
    approvalDecision: null,
    confirmation: null,
    startedAt: null,
    finishedAt: null,
  };
}

/** The stored answer, keeping what only the live events told: who approved, the confirmation, the timings, the run's error. */
export function withLiveDetails(stored: ChatMessageItem, live: ChatMessageItem): ChatMessageItem {
  const liveCalls = new Map(live.toolCalls.map((call) => [call.toolCallId, call]));
  return {
    ...stored,
    error: live.error,
    toolCalls: stored.toolCalls.map((call) => {
      const seen = liveCalls.get(call.toolCallId);
      if (!seen) return call;
      const { approval, approvalDecision, confirmation, startedAt, finishedAt } = seen;
      return { ...call, approval, approvalDecision, confirmation, startedAt, finishedAt };
    }),
  };
}

function recordToView(record: ToolCallRecord): ToolCallView {
  return {
    ...newToolCall(record.toolCallId, record.tool, record.args),
    // Messages stored before the field existed have none.
    actionClass: record.actionClass ?? null,
    phase: record.status,
    output: record.output,
    errorCode: record.errorCode,
    actionId: record.actionId,
  };
}

export function storedToItem(message: ChatMessageView): ChatMessageItem {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    fileIds: message.fileIds,
    toolCalls: message.toolCalls.map(recordToView),
    provider: message.provider,
    model: message.model,
    inputTokens: message.inputTokens,
    outputTokens: message.outputTokens,
    costMicroDollars: message.costMicroDollars,
    runId: message.runId,
    phase: message.status,
    error: null,
    createdAt: message.createdAt,
  };
}

/** A random UUID v4; `crypto.randomUUID` exists only on https and localhost pages, `getRandomValues` everywhere. */
function randomUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A message this page shows before the server stores it: no tool calls, no model, no usage yet. */
function unstoredItem(
  fields: Pick<ChatMessageItem, 'id' | 'role' | 'content' | 'fileIds' | 'runId' | 'phase'>,
  now: number,
): ChatMessageItem {
  return {
    ...fields,
    toolCalls: [],
    provider: null,
    model: null,
    inputTokens: 0,
    outputTokens: 0,
    costMicroDollars: 0,
    error: null,
    createdAt: new Date(now).toISOString(),
  };
}

/** A message typed here, shown at once under a temporary id until its stored copy arrives. */
export function localUserMessage(content: string, fileIds: readonly string[], now: number): ChatMessageItem {
  return unstoredItem({ id: `local-${randomUuid()}`, role: 'user', content, fileIds: [...fileIds], runId: null, phase: 'sending' }, now);
}

/** A run's answer before any of its text: an empty streaming message under the id `run-<runId>`. */
export function streamingAnswer(runId: string, now: number): ChatMessageItem {
  return unstoredItem({ id: `run-${runId}`, role: 'assistant', content: '', fileIds: [], runId, phase: 'streaming' }, now);
}
