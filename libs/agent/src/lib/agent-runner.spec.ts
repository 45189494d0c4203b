import { ActionClass, type ApprovalDecidedEvent, ErrorCode, Role } from '@aegis/contracts';
import {
  type Caller,
  type ConfirmationDecision,
  GovernanceEvents,
  GovernanceException,
  GovernanceExceptionCode,
  type ExecutionOutcome,
} from '@aegis/governance';
import type { ProviderStreamEvent, ProviderStreamRequest } from '@aegis/providers';
import type { AgentEvent, AgentRunRequest } from './agent-run.types';
import { AgentRunner } from './agent-runner';
import { toolsFor } from './agent-tools';

const usage = { inputTokens: 10, outputTokens: 5 };
const finish = (finishReason: 'stop' | 'tool-calls'): ProviderStreamEvent => ({
  type: 'finish',
  provider: 'openai',
  model: 'm',
  finishReason,
  usage,
  costMicroDollars: 3,
});
const selected: ProviderStreamEvent = { type: 'model-selected', provider: 'openai', model: 'm', attempts: 1 };

/** A cascade that answers each step with the next scripted list of events and keeps the requests. */
function scriptedCascade(steps: ProviderStreamEvent[][]) {
  const requests: ProviderStreamRequest[] = [];
  return {
    requests,
    stream(request: ProviderStreamRequest) {
      requests.push(structuredClone({ ...request, signal: undefined }));
      const events = steps.shift() ?? [selected, { type: 'text-delta', text: 'done' }, finish('stop')];
      return (async function* () {
        for (const event of events) yield await Promise.resolve(event);
      })();
    },
  };
}

const descriptor = (name: string, minRole: Role) => ({
  name,
  description: name,
  actionClass: ActionClass.Read,
  minRole,
  argsSchema: { type: 'object', properties: { path: { type: 'string' } } },
});
const caller = { actor: { type: 'user' as const, id: 'u1', name: 'opal' }, userId: 'u1', role: Role.Operator };
const limits = { maxSteps: 4, maxTokens: 10_000, deadlineMs: 10_000 };
const runId = '3f2a1c5e-8d4b-4c1a-9e7f-2b6d8a0c4e11';

describe('toolsFor', () => {
  it('offers only the tools the role could call directly, each with a justification field', () => {
    const registry = { list: () => [descriptor('read_file', Role.Viewer), descriptor('apt_install', Role.Admin)] };
    const tools = toolsFor(registry, Role.Operator);
    expect(tools.map((tool) => tool.name)).toEqual(['read_file']);
    expect(tools[0].inputSchema['properties']).toHaveProperty('justification');
  });
});

describe('AgentRunner', () => {
  function runner(
    cascade: ReturnType<typeof scriptedCascade>,
    execute: (name: string, args: unknown, who: unknown, justification?: string) => Promise<ExecutionOutcome>,
    maxSteps = 4,
  ) {
    const registry = { list: () => [descriptor('read_file', Role.Viewer)], execute };
    return new AgentRunner(cascade, registry, new GovernanceEvents(), {
      limits: { ...limits, maxSteps },
      approvalTimeoutMs: 1_000,
      systemPrompt: 'sys',
    });
  }

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
    const executed: ExecutionOutcome = {
      kind: 'executed',
      actionId: 'a',
      actionClass: ActionClass.Read,
      result: { status: 'completed', actionClass: ActionClass.Read, output: 'x', verification: null, rollback: { available: false } },
    };
    const deltas: string[] = [];
    const result = await runner(cascade, () => Promise.resolve(executed)).run({
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
    const executed: ExecutionOutcome = {
      kind: 'executed',
      actionId: 'a',
      actionClass: ActionClass.Read,
      result: { status: 'completed', actionClass: ActionClass.Read, output: 'x', verification: null, rollback: { available: false } },
    };
    const result = await runner(cascade, () => Promise.resolve(executed), 2).run({
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
    const executed: ExecutionOutcome = {
      kind: 'executed',
      actionId: 'a',
      actionClass: ActionClass.Read,
      result: { status: 'completed', actionClass: ActionClass.Read, output: 'x', verification: null, rollback: { available: false } },
    };
    const roles: Role[] = [];
    const agent = runner(scriptedCascade([call, call]), (_name, _args, who) => {
      roles.push((who as Caller).role);
      return Promise.resolve(executed);
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

  describe('confirmations of SENSITIVE calls', () => {
    const writeCall: ProviderStreamEvent[] = [
      selected,
      { type: 'tool-call', toolCallId: 'w1', toolName: 'read_file', input: { path: 'x', justification: 'the file says so' } },
      finish('tool-calls'),
    ];
    const executed: ExecutionOutcome = {
      kind: 'executed',
      actionId: 'a',
      actionClass: ActionClass.Sensitive,
      result: {
        status: 'completed',
        actionClass: ActionClass.Sensitive,
        output: 'written',
        verification: null,
        rollback: { available: false },
      },
    };

    /** A registry that asks for a confirmation the way governance does, and records the decision. */
    function confirmingAgent(
      expiresInMs: number,
      decisions: (ConfirmationDecision | 'no confirm hook')[],
      onAsk: () => void = () => undefined,
    ) {
      return runner(scriptedCascade([writeCall]), async (_name, _args, who) => {
        const confirm = (who as Caller).confirm;
        if (!confirm) {
          decisions.push('no confirm hook');
          throw new GovernanceException(GovernanceExceptionCode.ConfirmationDeclined, 'nobody to ask');
        }
        onAsk();
        const decision = await confirm({
          confirmationId: 'k1',
          tool: 'write_file',
          actionClass: ActionClass.Sensitive,
          args: { path: 'x' },
          justification: 'the file says so',
          expiresAt: new Date(Date.now() + expiresInMs),
        });
        decisions.push(decision);
        if (decision !== 'confirmed') throw new GovernanceException(GovernanceExceptionCode.ConfirmationDeclined, decision);
        return executed;
      });
    }

    const request = (overrides: Partial<AgentRunRequest>, events: AgentEvent[]): AgentRunRequest => ({
      caller,
      runId,
      conversationId: 'c',
      messages: [],
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
      ...overrides,
    });

    it("passes the person's answer to governance and announces the request and the decision", async () => {
      const decisions: unknown[] = [];
      const events: AgentEvent[] = [];
      const asked: unknown[] = [];
      const result = await confirmingAgent(10_000, decisions as ConfirmationDecision[]).run(
        request(
          {
            confirm: (pending) => {
              asked.push(pending);
              return Promise.resolve('confirmed');
            },
          },
          events,
        ),
      );
      expect(decisions).toEqual(['confirmed']);
      expect(asked).toEqual([
        { toolCallId: 'w1', request: expect.objectContaining({ confirmationId: 'k1', justification: 'the file says so' }) as unknown },
      ]);
      expect(events.map((event) => event.type)).toEqual([
        'model-selected',
        'tool-call',
        'confirmation-required',
        'confirmation-decided',
        'tool-result',
        'text-delta',
      ]);
      expect(events.find((event) => event.type === 'confirmation-decided')).toMatchObject({
        toolCallId: 'w1',
        confirmationId: 'k1',
        decision: 'confirmed',
      });
      expect(result.toolCalls[0]).toMatchObject({ status: 'completed' });
    });

    it('declines when the person declines', async () => {
      const decisions: ConfirmationDecision[] = [];
      const result = await confirmingAgent(10_000, decisions).run(request({ confirm: () => Promise.resolve('declined') }, []));
      expect(decisions).toEqual(['declined']);
      expect(result.toolCalls[0]).toMatchObject({ status: 'refused', errorCode: ErrorCode.ConfirmationDeclined });
    });

    it('expires at expiresAt when nobody answers, and tells the asker to stop waiting', async () => {
      const decisions: ConfirmationDecision[] = [];
      let stopped: AbortSignal | undefined;
      const result = await confirmingAgent(50, decisions).run(
        request(
          {
            confirm: (_pending, signal) => {
              stopped = signal;
              return new Promise<never>(() => undefined);
            },
          },
          [],
        ),
      );
      expect(decisions).toEqual(['expired']);
      expect(stopped?.aborted).toBe(true);
      expect(result.toolCalls[0]).toMatchObject({ status: 'refused' });
    });

    it('resolves cancelled when the run is cancelled while waiting', async () => {
      const decisions: ConfirmationDecision[] = [];
      const controller = new AbortController();
      const result = await confirmingAgent(10_000, decisions, () => setTimeout(() => controller.abort(), 20)).run(
        request({ signal: controller.signal, confirm: () => new Promise<never>(() => undefined) }, []),
      );
      expect(decisions).toEqual(['cancelled']);
      expect(result.status).toBe('cancelled');
    });

    it('gives governance no way to confirm when the run has no one to ask', async () => {
      const decisions: (ConfirmationDecision | 'no confirm hook')[] = [];
      const result = await confirmingAgent(10_000, decisions).run(request({}, []));
      expect(decisions).toEqual(['no confirm hook']);
      expect(result.toolCalls[0]).toMatchObject({ status: 'refused' });
    });
  });

  describe('the class of each tool call', () => {
    const call = (toolName: string, input: unknown = { path: 'x' }): ProviderStreamEvent[] => [
      selected,
      { type: 'tool-call', toolCallId: 'c1', toolName, input },
      finish('tool-calls'),
    ];
    const pending = (expiresInMs: number): ExecutionOutcome => ({
      kind: 'pending',
      approvalId: 'ap1',
      actionClass: ActionClass.Critical,
      expiresAt: new Date(Date.now() + expiresInMs),
    });
    const decidedEvent = (status: ApprovalDecidedEvent['status']): ApprovalDecidedEvent => ({
      approvalId: 'ap1',
      tool: 'read_file',
      status,
      decidedBy: { id: 'admin', name: 'ada' },
      comment: 'ok',
      actionId: status === 'approved' ? 'act1' : null,
      actionStatus: status === 'approved' ? 'completed' : null,
      requestedByUserId: caller.userId,
      runId,
      toolCallId: 'c1',
    });

    /** Runs one scripted tool call against `execute` and returns its record, the tool-result event's record and what governance was given. */
    async function recordOf(
      toolName: string,
      execute: (who: Caller, events: GovernanceEvents) => Promise<ExecutionOutcome>,
      listed = [descriptor('read_file', Role.Viewer)],
    ) {
      const events = new GovernanceEvents();
      const callers: Caller[] = [];
      const registry = {
        list: () => listed,
        execute: (_name: string, _args: unknown, who: Caller) => {
          callers.push(who);
          return execute(who, events);
        },
      };
      const agent = new AgentRunner(scriptedCascade([call(toolName)]), registry, events, {
        limits,
        approvalTimeoutMs: 1_000,
        systemPrompt: 'sys',
      });
      const seen: AgentEvent[] = [];
      const result = await agent.run({
        caller,
        runId,
        conversationId: 'c',
        messages: [],
        signal: new AbortController().signal,
        onEvent: (event) => seen.push(event),
      });
      const announced = seen.find((event) => event.type === 'tool-result');
      return { record: result.toolCalls[0], announced: announced?.type === 'tool-result' ? announced.call : undefined, callers };
    }

    it('carries READ on an executed READ call, in the result and the tool:result event, and tells governance the tool call id', async () => {
      const executed: ExecutionOutcome = {
        kind: 'executed',
        actionId: 'a',
        actionClass: ActionClass.Read,
        result: { status: 'completed', actionClass: ActionClass.Read, output: 'x', verification: null, rollback: { available: false } },
      };
      const { record, announced, callers } = await recordOf('read_file', (who) => {
        who.onClassified?.(ActionClass.Read);
        return Promise.resolve(executed);
      });
      expect(record).toMatchObject({ status: 'completed', actionClass: ActionClass.Read, actionId: 'a' });
      expect(announced).toEqual(record);
      expect(callers[0]).toMatchObject({ runId, toolCallId: 'c1' });
    });

    it('keeps the class governance decided (raised by the arguments) on a call the policy refused', async () => {
      const { record } = await recordOf('read_file', (who) => {
        who.onClassified?.(ActionClass.Sensitive);
        return Promise.reject(new GovernanceException(GovernanceExceptionCode.PolicyDenied, 'SENSITIVE actions need an admin'));
      });
      expect(record).toMatchObject({ status: 'refused', errorCode: ErrorCode.PolicyDenied, actionClass: ActionClass.Sensitive });
    });

    it('keeps the class on a call whose tool failed', async () => {
      const { record } = await recordOf('read_file', (who) => {
        who.onClassified?.(ActionClass.Moderate);
        return Promise.reject(new Error('disk full'));
      });
      expect(record).toMatchObject({ status: 'failed', errorCode: ErrorCode.Internal, actionClass: ActionClass.Moderate });
    });

    it('has no class for a call governance never classified (an unknown tool)', async () => {
      const { record } = await recordOf('no_such_tool', () =>
        Promise.reject(new GovernanceException(GovernanceExceptionCode.NotFound, "There is no tool named 'no_such_tool'")),
      );
      expect(record).toMatchObject({ status: 'refused', errorCode: ErrorCode.NotFound, actionClass: null });
    });

    it.each([
      ['approved', 'completed'],
      ['rejected', 'rejected'],
      ['expired', 'expired'],
    ] as const)("gives a call that waited for an admin the approval's class once it is %s", async (status, expected) => {
      const { record } = await recordOf('read_file', (who, events) => {
        who.onClassified?.(ActionClass.Critical);
        events.emit('approval:decided', decidedEvent(status));
        return Promise.resolve(pending(10_000));
      });
      expect(record).toMatchObject({ status: expected, approvalId: 'ap1', actionClass: ActionClass.Critical });
    });

    it("gives a call whose approval nobody decided in time the approval's class", async () => {
      const { record } = await recordOf('read_file', () => Promise.resolve(pending(20)));
      expect(record).toMatchObject({ status: 'expired', approvalId: 'ap1', actionClass: ActionClass.Critical });
    });

    it('runs a memory tool call through the registry like any tool, with the run id and the class governance decided', async () => {
      const executed: ExecutionOutcome = {
        kind: 'executed',
        actionId: 'm',
        actionClass: ActionClass.Read,
        result: {
          status: 'completed',
          actionClass: ActionClass.Read,
          output: { items: [] },
          verification: null,
          rollback: { available: false },
        },
      };
      const { record, callers } = await recordOf(
        'memory_search',
        (who) => {
          who.onClassified?.(ActionClass.Read);
          return Promise.resolve(executed);
        },
        [descriptor('memory_search', Role.Viewer)],
      );
      expect(callers).toEqual([expect.objectContaining({ runId, toolCallId: 'c1', conversationId: 'c' })]);
      expect(record).toMatchObject({ status: 'completed', tool: 'memory_search', actionClass: ActionClass.Read, actionId: 'm' });
    });
  });
});
