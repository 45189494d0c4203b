import type { ChatMessageItem, ToolCallView } from '../types';
import { newToolCall } from './chat-items';
import type { ChatState, ServerEvent } from './chat-state.types';
import { clockOf, ensureRun, updateRun } from './conversation-updates';

type ToolCallServerEvent = Extract<
  ServerEvent,
  { name: 'tool:call' | 'tool:result' | 'approval:required' | 'approval:decided' | 'confirmation:required' | 'confirmation:decided' }
>;

/** A run's tool calls from their events: started, waiting on an approval or a confirmation, decided, ended. A later phase is never undone by a replayed earlier event. */
export function reduceToolCallEvent(state: ChatState, event: ToolCallServerEvent, now: number): ChatState {
  switch (event.name) {
    case 'tool:call': {
      const { runId, conversationId, toolCallId, tool, args } = event.payload;
      return updateRun(ensureRun(state, runId, conversationId, now), runId, (item) =>
        item.toolCalls.some((call) => call.toolCallId === toolCallId)
          ? item
          : {
              ...item,
              toolCalls: [...item.toolCalls, { ...newToolCall(toolCallId, tool, args), startedAt: clockOf(state, conversationId, now) }],
            },
      );
    }
    case 'tool:result': {
      const { runId, conversationId, call } = event.payload;
      return updateRun(ensureRun(state, runId, conversationId, now), runId, (item) =>
        upsertCall(
          item,
          call.toolCallId,
          () => ({ ...newToolCall(call.toolCallId, call.tool, call.args), startedAt: null }),
          (view) => ({
            ...view,
            phase: call.status,
            output: call.output,
            errorCode: call.errorCode,
            actionId: call.actionId,
            // Servers before the field existed send no actionClass: keep what the card showed.
            actionClass: call.actionClass === undefined ? view.actionClass : call.actionClass,
            finishedAt: view.finishedAt ?? clockOf(state, conversationId, now),
          }),
        ),
      );
    }
    case 'approval:required': {
      const event_ = event.payload;
      if (!event_.runId || !state.runs[event_.runId]) return state;
      const viewer = state.viewer;
      return updateRun(state, event_.runId, (item) => {
        const index = findCall(item.toolCalls, event_.toolCallId, (call) => call.tool === event_.tool && call.phase === 'running');
        return replaceCall(item, index, (view) => ({
          ...view,
          phase: view.phase === 'running' ? 'awaiting-approval' : view.phase,
          actionClass: event_.actionClass,
          approval: {
            approvalId: event_.approvalId,
            expiresAt: event_.expiresAt,
            requestedBy: event_.requestedBy.name,
            justification: event_.justification,
            needsAnotherAdmin: viewer !== null && viewer.role === 'admin' && viewer.id === event_.requestedBy.userId,
          },
        }));
      });
    }
    case 'approval:decided': {
      const event_ = event.payload;
      if (!event_.runId || !state.runs[event_.runId]) return state;
      return updateRun(state, event_.runId, (item) => {
        const index = findCall(item.toolCalls, event_.toolCallId, (call) => call.approval?.approvalId === event_.approvalId);
        return replaceCall(item, index, (view) => ({
          ...view,
          phase: view.phase === 'awaiting-approval' ? (event_.status === 'approved' ? 'running' : event_.status) : view.phase,
          approvalDecision: { status: event_.status, decidedBy: event_.decidedBy?.name ?? null, comment: event_.comment },
        }));
      });
    }
    case 'confirmation:required': {
      const { runId, conversationId, toolCallId, tool, args, actionClass, justification, expiresAt, confirmationId } = event.payload;
      return updateRun(ensureRun(state, runId, conversationId, now), runId, (item) =>
        upsertCall(
          item,
          toolCallId,
          () => ({ ...newToolCall(toolCallId, tool, args), startedAt: clockOf(state, conversationId, now) }),
          (view) => ({
            ...view,
            phase: view.phase === 'running' ? 'awaiting-confirmation' : view.phase,
            actionClass,
            confirmation: { confirmationId, expiresAt, justification, args },
          }),
        ),
      );
    }
    case 'confirmation:decided': {
      const { runId, confirmationId, decision } = event.payload;
      if (!state.runs[runId]) return state;
      return updateRun(state, runId, (item) => {
        const index = item.toolCalls.findIndex((call) => call.confirmation?.confirmationId === confirmationId);
        return replaceCall(item, index, (view) => ({
          ...view,
          phase:
            view.phase === 'awaiting-confirmation'
              ? decision === 'confirmed'
                ? 'running'
                : decision === 'declined'
                  ? 'rejected'
                  : decision
              : view.phase,
        }));
      });
    }
  }
}

/** By its id when the event names it, else the newest call that fits. */
function findCall(calls: readonly ToolCallView[], toolCallId: string | null | undefined, fits: (call: ToolCallView) => boolean): number {
  if (toolCallId) {
    const index = calls.findIndex((call) => call.toolCallId === toolCallId);
    if (index >= 0) return index;
  }
  return calls.findLastIndex(fits);
}

function replaceCall(item: ChatMessageItem, index: number, update: (call: ToolCallView) => ToolCallView): ChatMessageItem {
  const call = item.toolCalls[index];
  if (!call) return item;
  const toolCalls = [...item.toolCalls];
  toolCalls[index] = update(call);
  return { ...item, toolCalls };
}

function upsertCall(
  item: ChatMessageItem,
  toolCallId: string,
  create: () => ToolCallView,
  update: (call: ToolCallView) => ToolCallView,
): ChatMessageItem {
  const index = item.toolCalls.findIndex((call) => call.toolCallId === toolCallId);
  if (index >= 0) return replaceCall(item, index, update);
  return { ...item, toolCalls: [...item.toolCalls, update(create())] };
}
