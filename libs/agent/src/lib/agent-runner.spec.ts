import { ErrorCode, Role } from '@aegis/contracts';
import { type Caller, GovernanceException, GovernanceExceptionCode } from '@aegis/governance';
import type { ProviderStreamEvent } from '@aegis/providers';
import type { AgentEvent } from './agent-run.types';
import { caller, executedRead, finish, runId, runner, scriptedCascade, selected } from './agent-runner.fixture';

// The agent loop: observations, text between steps, the step limit, cancellation and the session's standing.
// Confirmations are in agent-runner-confirmations.spec.ts, the class of each call in agent-runner-tool-class.spec.ts.

describe('AgentRunner', () => {
  it('passes a refusal back to the model as the observation and then answers', async () => {
    const cascade = scriptedCascade([
      [
        selected,
        {
          type: 'tool-call',
          toolCallId: 'c1',
          toolName: 'read_file',
          input: { path: '/etc/shadow', justification: 'I want to read it now' },
        },
        finish('tool-calls'),
      ],
    ]);
    const calls: unknown[] = [];
    const events: AgentEvent[] = [];
    const agent = runner(cascade, (name, args, who, justification) => {
      calls.push({ name, args, runId: (who as { runId: string }).runId, justification });
      return Promise.reject(new GovernanceException(GovernanceExceptionCode.PolicyDenied, 'not here'));
    });
    const result = await agent.run({
      caller,
      runId,
      conversationId: 'c',
      messages: [{ role: 'user', content: 'hi' }],
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
    });
    expect(calls).toEqual([{ name: 'read_file', args: { path: '/etc/shadow' }, runId, justification: 'I want to read it now' }]);
    expect(result).toMatchObject({ status: 'completed', text: 'done', steps: 2, inputTokens: 20, outputTokens: 10, costMicroDollars: 6 });
    expect(result.toolCalls[0]).toMatchObject({ status: 'refused', errorCode: ErrorCode.PolicyDenied, output: 'not here' });
    expect(events.map((event) => event.type)).toEqual(['model-selected', 'tool-call', 'tool-result', 'text-delta']);
    expect(JSON.stringify(cascade.requests[1].messages.at(-1))).toContain('not here');
  });

  it('starts the text of a step after tool calls on a new paragraph, in the events and the stored text alike', async () => {
    const cascade = scriptedCascade([
      [
        selected,
        { type: 'text-delta', text: 'Let me look.' },
        { type: 'tool-call', toolCallId: 'c1', toolName: 'read_file', input: { path: 'a' } },
        finish('tool-calls'),
      ],
      [selected, { type: 'text-delta', text: 'Here it is' }, { type: 'text-delta', text: '.' }, finish('stop')],
    ]);
    const deltas: string[] = [];
    const result = await runner(cascade, () => Promise.resolve(executedRead)).run({
      caller,
      runId,
      conversationId: 'c',
      messages: [],
      signal: new AbortController().signal,
      onEvent: (event) => event.type === 'text-delta' && deltas.push(event.text),
    });
    expect(result.text).toBe('Let me look.\n\nHere it is.');
    expect(deltas.join('')).toBe(result.text);
    // The model's own history keeps each step's text as it wrote it.
    expect(JSON.stringify(cascade.requests[1].messages)).toContain('"text":"Let me look."');
  });

  it('stops at the step limit', async () => {
    const loop: ProviderStreamEvent[] = [
      selected,
      { type: 'tool-call', toolCallId: 'c', toolName: 'read_file', input: {} },
      finish('tool-calls'),
    ];
    const cascade = scriptedCascade([loop, loop, loop]);
    const result = await runner(cascade, () => Promise.resolve(executedRead), 2).run({
      caller,
      runId,
      conversationId: 'c',
      messages: [],
      signal: new AbortController().signal,
      onEvent: () => undefined,
    });
    expect(result).toMatchObject({ status: 'budget_exhausted', steps: 2, error: { code: ErrorCode.BudgetExceeded } });
    expect(result.toolCalls).toHaveLength(2);
  });

  it('reports a cancelled run without asking the model again', async () => {
    const controller = new AbortController();
    const cascade = scriptedCascade([
      [selected, { type: 'tool-call', toolCallId: 'c', toolName: 'read_file', input: {} }, finish('tool-calls')],
    ]);
    const agent = runner(cascade, () => {
      controller.abort();
      return Promise.reject(new Error('aborted'));
    });
    const result = await agent.run({
      caller,
      runId,
      conversationId: 'c',
      messages: [],
      signal: controller.signal,
      onEvent: () => undefined,
    });
    expect(result.status).toBe('cancelled');
    expect(cascade.requests).toHaveLength(1);
  });
  it('stops before the next tool call when the session that started the run has ended, and never raises the role', async () => {
    const call: ProviderStreamEvent[] = [
      selected,
      { type: 'tool-call', toolCallId: 'c', toolName: 'read_file', input: {} },
      finish('tool-calls'),
    ];
    const roles: Role[] = [];
    const agent = runner(scriptedCascade([call, call]), (_name, _args, who) => {
      roles.push((who as Caller).role);
      return Promise.resolve(executedRead);
    });
    // Standing at the first turn and first call (promoted, which is ignored), then demoted, then gone.
    const answers: (Role | undefined)[] = [Role.Admin, Role.Admin, Role.Viewer, Role.Viewer, undefined];
    const result = await agent.run({
      caller,
      runId,
      conversationId: 'c',
      messages: [],
      signal: new AbortController().signal,
      onEvent: () => undefined,
      callerNow: () => {
        const role = answers.shift();
        return Promise.resolve(role ? { ...caller, role } : undefined);
      },
    });
    expect(roles).toEqual([Role.Operator, Role.Viewer]);
    expect(result).toMatchObject({ status: 'failed', error: { code: ErrorCode.SessionExpired } });
  });
});
