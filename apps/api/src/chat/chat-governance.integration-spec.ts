import type {
  ApprovalDecidedEvent,
  ApprovalRequiredEvent,
  ChatMessageView,
  MessageCompletedEvent,
  ToolResultEvent,
} from '@aegis/contracts';
import { answer, type FakeLlmServer } from '@aegis/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import type { BrowserSession } from '../testing/http-session';
import { chatTestApp } from '../testing/chat-test-app';

// A chat run's tool calls under governance (docs/governance.md): a CRITICAL call waits for an admin's
// approval, and every call carries the class governance decided.

const JUSTIFICATION = 'the operator asked to record this run for the audit';

describe('chat tool calls under governance', () => {
  const chat = chatTestApp();
  const { post, get, connect, send, runs } = chat;
  let fake: FakeLlmServer;
  let admin: BrowserSession;
  let operator: BrowserSession;
  let other: BrowserSession;
  let app: NestExpressApplication;

  beforeAll(async () => {
    ({ fake, app, admin, operator, other } = await chat.start());
  });

  afterEach(() => fake.setDefault('openai', undefined));

  afterAll(async () => {
    await chat.close();
  });

  it('waits for approval of a CRITICAL call, resumes after an admin approves, and ends cleanly after a rejection', async () => {
    const { socket, recorder } = await connect(operator);
    const call = (id: string, label: string) => ({
      id,
      name: 'execute_command',
      arguments: { command: `python3 record.py ${label}`, justification: JUSTIFICATION },
    });
    fake.enqueue('openai', answer({ toolCalls: [call('call_a', 'approved-run')] }), answer({ text: ['Recorded.'] }));
    const required = recorder.next<ApprovalRequiredEvent>('approval:required');
    const completed = recorder.next<MessageCompletedEvent>('message:completed');
    const ack = await send(socket, { content: 'Record a run, please.' });
    if (!ack.ok) throw new Error('not started');
    const approval = await required;
    expect(approval).toMatchObject({ tool: 'execute_command', actionClass: 'CRITICAL', runId: ack.runId });
    expect(runs()).toEqual([]);
    await post(admin, `/api/approvals/${approval.approvalId}/approve`, { comment: 'looks fine' }).expect(200);
    const { message } = await completed;
    expect(runs()).toEqual(['approved-run']);
    expect(recorder.names()).toContain('approval:decided');
    expect(message).toMatchObject({ status: 'completed', content: 'Recorded.' });
    expect(message.toolCalls[0]).toMatchObject({
      status: 'completed',
      approvalId: approval.approvalId,
      actionId: expect.any(String) as unknown,
    });

    recorder.clear();
    fake.enqueue('openai', answer({ toolCalls: [call('call_b', 'rejected-run')] }), answer({ text: ['It was rejected.'] }));
    const requiredAgain = recorder.next<ApprovalRequiredEvent>('approval:required');
    const completedAgain = recorder.next<MessageCompletedEvent>('message:completed');
    await send(socket, { conversationId: ack.conversationId, content: 'Once more.' });
    const second = await requiredAgain;
    await post(admin, `/api/approvals/${second.approvalId}/reject`, { reason: 'not today' }).expect(200);
    const rejected = (await completedAgain).message;
    expect(rejected).toMatchObject({ status: 'completed', content: 'It was rejected.' });
    expect(rejected.toolCalls[0]).toMatchObject({ status: 'rejected', approvalId: second.approvalId });
    expect(runs()).toEqual(['approved-run']);
    expect(JSON.stringify(fake.requestsFor('openai').at(-1)?.body)).toContain('not today');
  });

  it('gives every tool call the class governance decided, and links an approval to the tool call that asked', async () => {
    const { socket, recorder } = await connect(other);
    fake.enqueue(
      'openai',
      answer({
        toolCalls: [
          { id: 'call_read', name: 'read_file', arguments: { path: 'hello.txt' } },
          // sort is READ; writing over an existing file raises it to SENSITIVE, which an operator may not do.
          {
            id: 'call_raised',
            name: 'execute_command',
            arguments: { command: 'sort -o hello.txt hello.txt', justification: JUSTIFICATION },
          },
          { id: 'call_unknown', name: 'no_such_tool', arguments: {} },
          {
            id: 'call_critical',
            name: 'execute_command',
            arguments: { command: 'python3 record.py linked-run', justification: JUSTIFICATION },
          },
        ],
      }),
      answer({ text: ['Done.'] }),
    );
    const required = recorder.next<ApprovalRequiredEvent>('approval:required');
    const decided = recorder.next<ApprovalDecidedEvent>('approval:decided');
    const completed = recorder.next<MessageCompletedEvent>('message:completed');
    const ack = await send(socket, { content: 'Read, sort, guess and record.' });
    if (!ack.ok) throw new Error('not started');
    const approval = await required;
    expect(approval).toMatchObject({ toolCallId: 'call_critical', actionClass: 'CRITICAL', runId: ack.runId });
    await post(admin, `/api/approvals/${approval.approvalId}/reject`, { reason: 'not now' }).expect(200);
    expect(await decided).toMatchObject({ approvalId: approval.approvalId, status: 'rejected', toolCallId: 'call_critical' });
    const { message } = await completed;

    const results = recorder.events.filter((event) => event.name === 'tool:result').map((event) => (event.payload as ToolResultEvent).call);
    const classes = results.map((call) => [call.toolCallId, call.status, call.actionClass, call.errorCode]);
    const expected = [
      ['call_read', 'completed', 'READ', null],
      ['call_raised', 'refused', 'SENSITIVE', 'POLICY_DENIED'],
      ['call_unknown', 'refused', null, 'NOT_FOUND'],
      ['call_critical', 'rejected', 'CRITICAL', null],
    ];
    expect(classes).toEqual(expected);
    expect(results[3]?.approvalId).toBe(approval.approvalId);
    expect(message.toolCalls.map((call) => [call.toolCallId, call.status, call.actionClass, call.errorCode])).toEqual(expected);

    const listed = () => get(other, `/api/conversations/${ack.conversationId}/messages`).expect(200);
    const stored = (await listed()).body as { items: ChatMessageView[] };
    expect(stored.items[1]?.toolCalls.map((call) => call.actionClass)).toEqual(['READ', 'SENSITIVE', null, 'CRITICAL']);
    // A message stored before tool calls carried their class reads as unclassified.
    await app
      .get(DataSource)
      .query(
        `UPDATE messages SET tool_calls = (SELECT jsonb_agg(call - 'actionClass') FROM jsonb_array_elements(tool_calls) AS call) WHERE id = $1`,
        [message.id],
      );
    const old = (await listed()).body as { items: ChatMessageView[] };
    expect(old.items[1]?.toolCalls.map((call) => [call.toolCallId, call.actionClass])).toEqual([
      ['call_read', null],
      ['call_raised', null],
      ['call_unknown', null],
      ['call_critical', null],
    ]);
  });
});
