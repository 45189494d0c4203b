import { ActionClass, type ApprovalDecidedEvent, ErrorCode, Role } from '@aegis/contracts';
import { type Caller, GovernanceEvents, GovernanceException, GovernanceExceptionCode, type ExecutionOutcome } from '@aegis/governance';
import type { ProviderStreamEvent } from '@aegis/providers';
import type { AgentEvent } from './agent-run.types';
import { AgentRunner } from './agent-runner';
import { caller, descriptor, executedRead, finish, limits, runId, scriptedCascade, selected } from './agent-runner.fixture';

describe('AgentRunner', () => {
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
      const { record, announced, callers } = await recordOf('read_file', (who) => {
        who.onClassified?.(ActionClass.Read);
        return Promise.resolve(executedRead);
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
