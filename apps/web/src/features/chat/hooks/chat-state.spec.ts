import { ActionClass, type ChatMessageView, type ToolCallRecord } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { localUserMessage } from './chat-items';
import { chatReducer, initialChatState, NEW_CHAT } from './chat-state';
import type { ChatAction, ChatState, ServerEvent } from './chat-state.types';
import { conversationOf } from './conversation-updates';
import { mergeMessages } from './merge-messages';

const CONVERSATION = '11111111-1111-4111-8111-111111111111';
const RUN = '22222222-2222-4222-8222-222222222222';
const ADMIN = { id: '33333333-3333-4333-8333-333333333333', role: 'admin' };
const scope = { conversationId: CONVERSATION, runId: RUN };

function server(event: ServerEvent): ChatAction {
  return { type: 'server', event, now: 1_000 };
}

function play(actions: ChatAction[], state: ChatState = initialChatState): ChatState {
  return actions.reduce(chatReducer, state);
}

function delta(text: string): ChatAction {
  return server({ name: 'message:delta', payload: { ...scope, text } });
}

function thread(state: ChatState, stored?: ChatMessageView[], key = CONVERSATION) {
  return mergeMessages(stored, conversationOf(state, key), { read_file: ActionClass.Read, execute_command: ActionClass.Moderate });
}

function answerOf(state: ChatState, key = CONVERSATION) {
  const answer = thread(state, undefined, key).messages.find((message) => message.role === 'assistant');
  if (!answer) throw new Error('no answer in the thread');
  return answer;
}

function stored(overrides: Partial<ChatMessageView>): ChatMessageView {
  return {
    id: crypto.randomUUID(),
    conversationId: CONVERSATION,
    role: 'assistant',
    content: '',
    fileIds: [],
    toolCalls: [],
    model: null,
    provider: null,
    inputTokens: 0,
    outputTokens: 0,
    costMicroDollars: 0,
    runId: null,
    status: null,
    createdAt: '2026-11-29T10:00:00.000Z',
    ...overrides,
  };
}

function record(overrides: Partial<ToolCallRecord>): ToolCallRecord {
  return {
    toolCallId: 'call-1',
    tool: 'execute_command',
    args: { program: 'ls' },
    status: 'completed',
    actionClass: ActionClass.Read,
    output: 'file.txt',
    actionId: 'action-1',
    approvalId: null,
    errorCode: null,
    ...overrides,
  };
}

describe('chatReducer: replay after a reconnect or a reload', () => {
  it('does not double the text a replay sends again, and keeps what it adds', () => {
    const before = play([
      server({ name: 'model:selected', payload: { ...scope, provider: 'openai', model: 'gpt-4.1-mini' } }),
      delta('Hel'),
      delta('lo'),
    ]);
    expect(answerOf(before).content).toBe('Hello');

    const after = play(
      [
        { type: 'join-started', conversationId: CONVERSATION },
        server({ name: 'model:selected', payload: { ...scope, provider: 'openai', model: 'gpt-4.1-mini' } }),
        delta('Hel'),
        delta('lo'),
        delta(' world'),
        { type: 'join-ended', conversationId: CONVERSATION },
        delta('!'),
      ],
      before,
    );

    expect(answerOf(after).content).toBe('Hello world!');
    expect(thread(after).messages).toHaveLength(1);
  });

  it('builds the whole answer from a replay when the page was reloaded mid-run', () => {
    const state = play([
      { type: 'join-started', conversationId: CONVERSATION },
      delta('a'),
      delta('b'),
      { type: 'join-ended', conversationId: CONVERSATION },
      delta('c'),
    ]);

    expect(answerOf(state).content).toBe('abc');
    expect(answerOf(state).phase).toBe('streaming');
  });

  it('replays a tool call once, with its latest phase', () => {
    const call = server({ name: 'tool:call', payload: { ...scope, toolCallId: 'call-1', tool: 'read_file', args: { path: 'a' } } });
    const result = server({ name: 'tool:result', payload: { ...scope, call: record({ tool: 'read_file' }) } });
    const state = play([
      call,
      result,
      { type: 'join-started', conversationId: CONVERSATION },
      call,
      result,
      { type: 'join-ended', conversationId: CONVERSATION },
    ]);

    expect(answerOf(state).toolCalls).toHaveLength(1);
    expect(answerOf(state).toolCalls[0]?.phase).toBe('completed');
  });

  it("gives replayed tool calls no duration, since their times are the replay's", () => {
    const call = server({ name: 'tool:call', payload: { ...scope, toolCallId: 'call-1', tool: 'read_file', args: { path: 'a' } } });
    const result = server({ name: 'tool:result', payload: { ...scope, call: record({ tool: 'read_file' }) } });
    const state = play([
      { type: 'join-started', conversationId: CONVERSATION },
      call,
      result,
      { type: 'join-ended', conversationId: CONVERSATION },
    ]);

    expect(answerOf(state).toolCalls[0]).toMatchObject({ phase: 'completed', startedAt: null, finishedAt: null });
  });
});

describe('chatReducer: sending', () => {
  it('shows the message at once under a local id, and the stored copy replaces it without a duplicate', () => {
    const local = localUserMessage('Hello', [], 1_000);
    expect(local.id).toMatch(/^local-[0-9a-f-]{36}$/);
    const sent = play([{ type: 'sent', key: CONVERSATION, item: local, afterStoredId: null }]);
    expect(thread(sent).messages.map((message) => [message.id, message.phase])).toEqual([[local.id, 'sending']]);
    expect(thread(sent).activeRun).toEqual({ runId: null });

    const acknowledged = play([{ type: 'acknowledged', key: CONVERSATION, localId: local.id, runId: RUN }], sent);
    expect(thread(acknowledged).activeRun).toEqual({ runId: RUN });

    const storedUser = stored({ role: 'user', content: 'Hello' });
    const merged = thread(acknowledged, [storedUser]);
    expect(merged.messages.map((message) => message.id)).toEqual([storedUser.id]);
  });

  it('matches a repeated text to the copy sent after the newest stored message, not an older one', () => {
    const older = stored({ role: 'user', content: 'again' });
    const olderAnswer = stored({ role: 'assistant', content: 'ok', runId: 'old-run', status: 'completed' });
    const local = localUserMessage('again', [], 1_000);
    const state = play([{ type: 'sent', key: CONVERSATION, item: local, afterStoredId: olderAnswer.id }]);

    expect(thread(state, [older, olderAnswer]).messages.map((message) => message.id)).toEqual([older.id, olderAnswer.id, local.id]);
    const copy = stored({ role: 'user', content: 'again' });
    expect(thread(state, [older, olderAnswer, copy]).messages.map((message) => message.id)).toEqual([older.id, olderAnswer.id, copy.id]);
  });

  it('makes temporary ids on plain-http pages too, where crypto.randomUUID is missing', () => {
    const original = crypto.randomUUID.bind(crypto);
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const ids = new Set([localUserMessage('a', [], 1).id, localUserMessage('a', [], 1).id]);
      expect(ids.size).toBe(2);
      for (const id of ids) expect(id).toMatch(/^local-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });

  it('drops a refused message', () => {
    const local = localUserMessage('Hello', [], 1_000);
    const state = play([
      { type: 'sent', key: CONVERSATION, item: local, afterStoredId: null },
      { type: 'refused', key: CONVERSATION, localId: local.id },
    ]);
    expect(thread(state).messages).toEqual([]);
    expect(thread(state).activeRun).toBeNull();
  });

  it('moves a new chat to its conversation without losing the stream', () => {
    const local = localUserMessage('Start', [], 1_000);
    const state = play([
      { type: 'sent', key: NEW_CHAT, item: local, afterStoredId: null },
      { type: 'moved', from: NEW_CHAT, to: CONVERSATION },
      { type: 'acknowledged', key: CONVERSATION, localId: local.id, runId: RUN },
      delta('Hi'),
    ]);

    expect(thread(state, undefined, NEW_CHAT).messages).toEqual([]);
    expect(thread(state).messages.map((message) => [message.role, message.content])).toEqual([
      ['user', 'Start'],
      ['assistant', 'Hi'],
    ]);
  });
});

describe('chatReducer: tool calls through approval and confirmation', () => {
  const call = server({ name: 'tool:call', payload: { ...scope, toolCallId: 'call-1', tool: 'execute_command', args: { program: 'rm' } } });
  const approvalRequired = (toolCallId: string | null): ChatAction =>
    server({
      name: 'approval:required',
      payload: {
        approvalId: 'approval-1',
        tool: 'execute_command',
        actionClass: ActionClass.Critical,
        requestedBy: { id: ADMIN.id, name: 'admin', userId: ADMIN.id },
        justification: 'clean up',
        argsSha256: 'abc',
        expiresAt: '2026-11-29T11:00:00.000Z',
        runId: RUN,
        toolCallId,
      },
    });
  const approvalDecided = (status: 'approved' | 'rejected'): ChatAction =>
    server({
      name: 'approval:decided',
      payload: {
        approvalId: 'approval-1',
        tool: 'execute_command',
        status,
        decidedBy: { id: 'other', name: 'second-admin' },
        comment: null,
        actionId: null,
        actionStatus: null,
        requestedByUserId: ADMIN.id,
        runId: RUN,
        toolCallId: 'call-1',
      },
    });

  it('shows the declared class while running, then waits for an admin, then completes with the class governance decided', () => {
    const running = play([{ type: 'viewer', viewer: ADMIN }, call]);
    expect(answerOf(running).toolCalls[0]).toMatchObject({ phase: 'running', actionClass: ActionClass.Moderate, startedAt: 1_000 });

    const waiting = play([approvalRequired('call-1')], running);
    expect(answerOf(waiting).toolCalls[0]).toMatchObject({
      phase: 'awaiting-approval',
      actionClass: ActionClass.Critical,
      approval: { approvalId: 'approval-1', requestedBy: 'admin', needsAnotherAdmin: true, expiresAt: '2026-11-29T11:00:00.000Z' },
    });

    const approved = play([approvalDecided('approved')], waiting);
    expect(answerOf(approved).toolCalls[0]).toMatchObject({
      phase: 'running',
      approvalDecision: { status: 'approved', decidedBy: 'second-admin' },
    });

    const finalCall = record({ actionClass: ActionClass.Critical, approvalId: 'approval-1' });
    const done = play([server({ name: 'tool:result', payload: { ...scope, call: finalCall } })], approved);
    expect(answerOf(done).toolCalls[0]).toMatchObject({
      phase: 'completed',
      actionClass: ActionClass.Critical,
      output: 'file.txt',
      actionId: 'action-1',
    });

    // The stored answer has no word of who approved: the thread keeps it from the events, also after a refetch.
    const answer = stored({ content: 'Done', runId: RUN, status: 'completed', toolCalls: [finalCall] });
    const completed = play([server({ name: 'message:completed', payload: { ...scope, message: answer } })], done);
    const decision = { status: 'approved', decidedBy: 'second-admin' };
    expect(answerOf(completed).toolCalls[0]).toMatchObject({ phase: 'completed', approvalDecision: decision });
    expect(thread(completed, [answer]).messages[0]).toMatchObject({ id: answer.id, toolCalls: [{ approvalDecision: decision }] });
  });

  it('finds the call by its tool when the approval does not name it (older servers), and marks a rejection', () => {
    const state = play([{ type: 'viewer', viewer: { id: 'someone-else', role: 'operator' } }, call, approvalRequired(null)]);
    expect(answerOf(state).toolCalls[0]).toMatchObject({ phase: 'awaiting-approval', approval: { needsAnotherAdmin: false } });

    expect(answerOf(play([approvalDecided('rejected')], state)).toolCalls[0]?.phase).toBe('rejected');
  });

  it('waits for the chatting user to confirm, and goes on or stops with the answer', () => {
    const required = server({
      name: 'confirmation:required',
      payload: {
        ...scope,
        confirmationId: 'confirm-1',
        toolCallId: 'call-1',
        tool: 'execute_command',
        actionClass: ActionClass.Sensitive,
        args: { program: 'rm' },
        justification: 'tidy',
        expiresAt: '2026-11-29T11:00:00.000Z',
      },
    });
    const waiting = play([call, required]);
    expect(answerOf(waiting).toolCalls[0]).toMatchObject({
      phase: 'awaiting-confirmation',
      actionClass: ActionClass.Sensitive,
      confirmation: { confirmationId: 'confirm-1', justification: 'tidy' },
    });

    const decided = (decision: 'confirmed' | 'declined') =>
      play([server({ name: 'confirmation:decided', payload: { ...scope, confirmationId: 'confirm-1', decision } })], waiting);
    expect(answerOf(decided('confirmed')).toolCalls[0]?.phase).toBe('running');
    expect(answerOf(decided('declined')).toolCalls[0]?.phase).toBe('rejected');
  });
});

describe('chatReducer: the end of a run', () => {
  it('replaces the streaming answer with the stored one, keeping the error the run reported', () => {
    const answer = stored({
      content: 'Partial',
      runId: RUN,
      status: 'failed',
      model: 'gpt-4.1-mini',
      provider: 'openai',
      outputTokens: 12,
    });
    const state = play([
      delta('Partial'),
      server({ name: 'run:error', payload: { ...scope, code: 'PROVIDER_UNAVAILABLE', message: 'No provider answered' } }),
      server({ name: 'message:completed', payload: { ...scope, message: answer } }),
    ]);

    const merged = thread(state);
    expect(merged.messages).toHaveLength(1);
    expect(merged.messages[0]).toMatchObject({
      id: answer.id,
      phase: 'failed',
      outputTokens: 12,
      error: { code: 'PROVIDER_UNAVAILABLE', message: 'No provider answered' },
    });
    expect(merged.activeRun).toBeNull();
    expect(conversationOf(state, CONVERSATION).lastFinished).toEqual({ runId: RUN, phase: 'failed' });

    // The refetched list carries the same answer: it is shown once.
    expect(thread(state, [stored({ role: 'user', content: 'q' }), answer]).messages.map((message) => message.id)).toHaveLength(2);
  });

  it('ignores a delta that arrives after the run ended', () => {
    const answer = stored({ content: 'Done', runId: RUN, status: 'completed' });
    const state = play([delta('Done'), server({ name: 'message:completed', payload: { ...scope, message: answer } }), delta(' late')]);
    expect(answerOf(state).content).toBe('Done');
  });
});
